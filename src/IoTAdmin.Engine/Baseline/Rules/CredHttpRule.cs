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

        var probes = await ProbeAsync(device, open, context, cancellationToken).ConfigureAwait(false);
        if (probes.Challenged.Count == 0)
        {
            // The port accepted a connection a moment ago: a GET without an answer leaves it unchecked.
            return probes.Unanswered.Count > 0
                ? Result(device, RuleOutcome.Error,
                    "check incomplete, " + string.Join("; ", probes.Unanswered.Concat(probes.Notes)))
                : Result(device, RuleOutcome.NotApplicable, string.Join("; ", probes.Notes));
        }

        return await RunTrialAsync(device, probes, context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tries default logins on the challenged ports; an unanswered target keeps it from passing.</summary>
    private async Task<RuleResult> RunTrialAsync(
        IoTDevice device,
        ChallengeProbes probes,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var challenged = probes.Challenged;
        var trial = new CredentialTrial(
            Info, "HTTP", (port, pair, token) => AttemptAsync(challenged[port], pair, context, token));
        var result = await trial.RunAsync(device, challenged.Keys.ToList(), context, cancellationToken)
            .ConfigureAwait(false);
        var outcome = result.Outcome == RuleOutcome.Pass && probes.Unanswered.Count > 0
            ? RuleOutcome.Error
            : result.Outcome;
        var challenges = challenged.Select(c => $"{c.Value.Url} asks {string.Join(" + ", c.Value.Challenges)}");
        var evidence = string.Join("; ",
            challenges.Concat(probes.Notes).Concat(probes.Unanswered).Concat(new[] { result.Evidence }));
        return Result(device, outcome, evidence);
    }

    /// <summary>GETs every target without credentials and sorts the answers: challenged, not, unanswered.</summary>
    private static async Task<ChallengeProbes> ProbeAsync(
        IoTDevice device,
        IReadOnlyList<int> open,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var probes = new ChallengeProbes();
        foreach (var url in WebTargets.For(device, open))
        {
            var response = await HttpAuthProbe.GetAsync(url, context.Options.ProbeTimeout, cancellationToken)
                .ConfigureAwait(false);
            if (!response.Answered)
            {
                probes.Unanswered.Add($"GET {url}: {Describe(response)}");
            }
            else if (response.RequiresAuthentication && !probes.Challenged.ContainsKey(url.Port))
            {
                probes.Challenged[url.Port] = response;
            }
            else
            {
                probes.Notes.Add(
                    $"GET {url}: {Describe(response)}, no Basic/Digest challenge (form logins are not checked)");
            }
        }

        return probes;
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

    private sealed class ChallengeProbes
    {
        public Dictionary<int, HttpProbeResponse> Challenged { get; } = new Dictionary<int, HttpProbeResponse>();

        public List<string> Notes { get; } = new List<string>();

        public List<string> Unanswered { get; } = new List<string>();
    }
}
