using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>IOT-MQTT-ANON: an MQTT broker on the device accepts clients without credentials.</summary>
public sealed class MqttAnonRule : IBaselineRule
{
    private static readonly int[] s_standardPorts = { 1883 };

    public BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-MQTT-ANON",
        "MQTT requires authentication",
        Severity.High,
        "Set allow_anonymous false (or the broker's equivalent), give each client its own credentials and use "
        + "MQTT over TLS (8883).",
        "SYS.4.4.M2");

    public async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var ports = ServicePorts.For(device, s_standardPorts, "mqtt");
        var open = await ServicePorts.OpenAsync(device, ports, context, cancellationToken).ConfigureAwait(false);
        if (open.Count == 0)
        {
            return Result(device, RuleOutcome.NotApplicable,
                $"no MQTT port open on {device.Address} (checked TCP {string.Join(", ", ports)})");
        }

        var notes = new List<string>();
        var failed = false;
        var inconclusive = 0;
        foreach (var port in open)
        {
            var timeout = context.Options.ProbeTimeout;
            var result = await MqttProbe.ConnectAsync(device.Address, port, null, null, timeout, cancellationToken)
                .ConfigureAwait(false);
            var version = result.VersionText is null ? string.Empty : $" (MQTT {result.VersionText})";
            notes.Add($"anonymous CONNECT to {device.Address}:{port}: {result.Detail}{version}");
            failed |= result.Outcome == LoginOutcome.Accepted;
            inconclusive += result.Outcome == LoginOutcome.Rejected || result.Outcome == LoginOutcome.Accepted ? 0 : 1;
        }

        // A broker that did not answer CONNECT may take anonymous clients: unknown, not a pass.
        var outcome = failed ? RuleOutcome.Fail : inconclusive > 0 ? RuleOutcome.Error : RuleOutcome.Pass;
        return Result(device, outcome, string.Join("; ", notes));
    }

    private RuleResult Result(IoTDevice device, RuleOutcome outcome, string evidence) =>
        new RuleResult(device.Address, device.Name, Info, outcome, evidence);
}
