using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>
/// IOT-SSH-STDPORT: SSH listens on a standard port (22, 1022, 2222), which SYS.4.4.M5 asks to
/// avoid for access from outside in favour of a random port from 10000 to 65535.
/// </summary>
public sealed class SshStandardPortRule : IBaselineRule
{
    public BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-SSH-STDPORT",
        "SSH not on a standard port",
        Severity.Low,
        "If SSH must be reachable from outside, move it to a random port from 10000 to 65535 and allow only "
            + "key-based logins; otherwise block it at the perimeter.",
        "SYS.4.4.M5");

    public async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var hellos = await SshHellos.ReadAsync(device, context, cancellationToken).ConfigureAwait(false);
        if (hellos.Count == 0)
        {
            var none = SshHellos.Checked(device);
            return new RuleResult(device.Address, device.Name, Info, RuleOutcome.NotApplicable, none);
        }

        var standard = hellos.Where(h => SshHellos.StandardPorts.Contains(h.Port)).ToList();
        var listing = string.Join(", ", hellos.Select(h => $"port {h.Port} ({h.Hello.Identification})"));
        return standard.Count > 0
            ? new RuleResult(device.Address, device.Name, Info, RuleOutcome.Fail,
                $"SSH on standard port {string.Join(", ", standard.Select(h => h.Port))}: {listing}")
            : new RuleResult(device.Address, device.Name, Info, RuleOutcome.Pass, $"SSH only on {listing}");
    }
}
