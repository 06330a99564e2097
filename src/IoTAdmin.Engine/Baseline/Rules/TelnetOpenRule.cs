using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>IOT-TELNET-OPEN: a Telnet service is reachable at all (clear-text administration).</summary>
public sealed class TelnetOpenRule : IBaselineRule
{
    /// <summary>The TCP ports probed besides discovered Telnet services; some devices hide Telnet on 2323.</summary>
    public static readonly RuleParameter<int[]> Ports = new RuleParameter<int[]>(
        "Ports", new[] { 23 }, "TCP ports probed for Telnet besides the Telnet services discovery reported.");

    public BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-TELNET-OPEN",
        "Telnet is disabled",
        Severity.High,
        "Disable the Telnet service (often a debug or factory setting) and administer the device over SSH or HTTPS.",
        "SYS.4.4.M5",
        "SYS.4.4.M11")
    {
        Parameters = { Ports },
    };

    public async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var ports = ServicePorts.For(device, context.GetParameter(Info, Ports), "telnet");
        var open = await ServicePorts.OpenAsync(device, ports, context, cancellationToken).ConfigureAwait(false);
        var outcome = open.Count > 0 ? RuleOutcome.Fail : RuleOutcome.Pass;
        var evidence = open.Count > 0
            ? $"Telnet accepts TCP connections on {device.Address} port {string.Join(", ", open)}"
            : $"no Telnet port open on {device.Address} (checked TCP {string.Join(", ", ports)})";
        return new RuleResult(device.Address, device.Name, Info, outcome, evidence);
    }
}
