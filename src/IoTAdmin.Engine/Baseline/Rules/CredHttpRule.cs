using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>IOT-CRED-HTTP: the web interface accepts a published default login (HTTP Basic or Digest).</summary>
public sealed class CredHttpRule : IBaselineRule
{
    private static readonly int[] s_standardPorts = { 80, 8080 };

    public BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-CRED-HTTP",
        "No default credentials accepted by the web interface",
        Severity.Critical,
        "Change the default password of the web interface's accounts and serve it over HTTPS only.",
        "SYS.4.4.M1",
        "SYS.4.4.M2");

    public async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var ports = ServicePorts.For(device, s_standardPorts, "http");
        var open = await ServicePorts.OpenAsync(device, ports, context, cancellationToken).ConfigureAwait(false);
        if (open.Count == 0)
        {
            return Result(device, RuleOutcome.NotApplicable,
                $"no HTTP port open on {device.Address} (checked TCP {string.Join(", ", ports)})");
        }

        var challenged = new Dictionary<int, HttpProbeResponse>();
        var notes = new List<string>();
        foreach (var url in WebTargets.For(device, open))
        {
            var response = await HttpAuthProbe.GetAsync(url, context.Options.ProbeTimeout, cancellationToken)
                .ConfigureAwait(false);
            if (response.RequiresAuthentication && !challenged.ContainsKey(url.Port))
            {
                challenged[url.Port] = response;
                continue;
            }

            notes.Add($"GET {url}: {Describe(response)}, no Basic/Digest challenge (form logins are not checked)");
        }

        if (challenged.Count == 0)
        {
            return Result(device, RuleOutcome.NotApplicable, string.Join("; ", notes));
        }

        var trial = new CredentialTrial(
            Info, "HTTP", (port, pair, token) => AttemptAsync(challenged[port], pair, context, token));
        var result = await trial.RunAsync(device, challenged.Keys.ToList(), context, cancellationToken)
            .ConfigureAwait(false);
        var challenges = challenged.Select(c => $"{c.Value.Url} asks {string.Join(" + ", c.Value.Challenges)}");
        var evidence = string.Join("; ", challenges.Concat(notes).Concat(new[] { result.Evidence }));
        return Result(device, result.Outcome, evidence);
    }

    private static async Task<AttemptVerdict> AttemptAsync(
        HttpProbeResponse challenged,
        CredentialPair pair,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var scheme = challenged.Digest is not null ? "Digest" : "Basic";
        var timeout = context.Options.ProbeTimeout;
        var response = await HttpAuthProbe.TryLoginAsync(challenged, pair, timeout, cancellationToken)
            .ConfigureAwait(false);
        return new AttemptVerdict(response.Status, $"{scheme} on {challenged.Url.AbsolutePath}: {response.Detail}");
    }

    internal static string Describe(HttpProbeResponse response)
    {
        if (!response.Answered)
        {
            return $"{response.Status} ({response.Detail})";
        }

        var text = $"HTTP {response.StatusCode}";
        if (response.Location is not null)
        {
            text += $" Location {response.Location}";
        }

        if (response.Server is not null)
        {
            text += $", Server \"{response.Server}\"";
        }

        return text;
    }

    private RuleResult Result(IoTDevice device, RuleOutcome outcome, string evidence) =>
        new RuleResult(device.Address, device.Name, Info, outcome, evidence);
}
