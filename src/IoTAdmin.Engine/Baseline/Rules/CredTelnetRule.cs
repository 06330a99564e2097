using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>IOT-CRED-TELNET: the device accepts a published default login over Telnet.</summary>
public sealed class CredTelnetRule : IBaselineRule
{
    private static readonly int[] s_standardPorts = { 23 };

    public BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-CRED-TELNET",
        "No default credentials accepted over Telnet",
        Severity.Critical,
        "Change the default passwords and disable Telnet; use SSH with individual accounts instead.",
        "SYS.4.4.M1",
        "SYS.4.4.M2");

    public async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var ports = ServicePorts.For(device, s_standardPorts, "telnet");
        var open = await ServicePorts.OpenAsync(device, ports, context, cancellationToken).ConfigureAwait(false);
        if (open.Count == 0)
        {
            return new RuleResult(device.Address, device.Name, Info, RuleOutcome.NotApplicable,
                $"no Telnet port open on {device.Address} (checked TCP {string.Join(", ", ports)})");
        }

        var trial = new CredentialTrial(Info, "Telnet", async (port, pair, token) =>
        {
            var timeout = context.Options.ProbeTimeout;
            var result = await TelnetProbe.TryLoginAsync(device.Address, port, pair, timeout, token)
                .ConfigureAwait(false);
            return new AttemptVerdict(result.Outcome, $"{result.Detail}; last text \"{OneLine(result.LastPrompt)}\"");
        });
        return await trial.RunAsync(device, open, context, cancellationToken).ConfigureAwait(false);
    }

    private static string OneLine(string? text) =>
        (text ?? string.Empty).Replace("\r", " ").Replace("\n", " ").Trim();
}
