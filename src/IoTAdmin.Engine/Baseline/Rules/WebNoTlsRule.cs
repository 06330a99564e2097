using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>IOT-WEB-NOTLS: the web interface is served over plain HTTP without a redirect to HTTPS.</summary>
public sealed class WebNoTlsRule : IBaselineRule
{
    private static readonly int[] s_httpPorts = { 80, 8080 };
    private static readonly int[] s_httpsPorts = { 443, 8443 };

    public BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-WEB-NOTLS",
        "Web interface only over HTTPS",
        Severity.High,
        "Enable HTTPS for the web interface and disable plain HTTP, or redirect every HTTP request to HTTPS.",
        "SYS.4.4.M19",
        "SYS.4.4.M24");

    public async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var httpPorts = ServicePorts.For(device, s_httpPorts, "http");
        var httpsPorts = ServicePorts.For(device, s_httpsPorts, "https");
        var openHttp = await ServicePorts.OpenAsync(device, httpPorts, context, cancellationToken)
            .ConfigureAwait(false);
        var openHttps = await ServicePorts.OpenAsync(device, httpsPorts, context, cancellationToken)
            .ConfigureAwait(false);
        if (openHttp.Count == 0)
        {
            return openHttps.Count == 0
                ? Result(device, RuleOutcome.NotApplicable, $"no web port open on {device.Address} (checked TCP "
                    + $"{string.Join(", ", httpPorts.Concat(httpsPorts))})")
                : Result(device, RuleOutcome.Pass,
                    $"only HTTPS offered on {device.Address} port {string.Join(", ", openHttps)}");
        }

        var plain = new List<string>();
        var redirected = new List<string>();
        var unanswered = new List<string>();
        foreach (var url in WebTargets.For(device, openHttp))
        {
            var response = await HttpAuthProbe.GetAsync(url, context.Options.ProbeTimeout, cancellationToken)
                .ConfigureAwait(false);
            var line = $"GET {url}: {CredHttpRule.Describe(response)}";
            (!response.Answered ? unanswered : response.RedirectsToHttps ? redirected : plain).Add(line);
        }

        return Judge(device, plain, redirected, unanswered);
    }

    // The port accepted a connection a moment ago, so a GET without an answer is an unchecked port, not a Pass.
    private RuleResult Judge(IoTDevice device, List<string> plain, List<string> redirected, List<string> unanswered)
    {
        var all = string.Join("; ", plain.Concat(redirected).Concat(unanswered));
        if (plain.Count > 0)
        {
            return Result(device, RuleOutcome.Fail, "served over plain HTTP: " + all);
        }

        return unanswered.Count > 0
            ? Result(device, RuleOutcome.Error, "check incomplete, plain HTTP did not answer: " + all)
            : Result(device, RuleOutcome.Pass, "plain HTTP redirects to HTTPS: " + all);
    }

    private RuleResult Result(IoTDevice device, RuleOutcome outcome, string evidence) =>
        new RuleResult(device.Address, device.Name, Info, outcome, evidence);
}
