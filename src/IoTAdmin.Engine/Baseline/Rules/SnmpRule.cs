using System;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>
/// What every SNMP rule shares: the agent's UDP port (161, or a loopback port in tests) and the way
/// results and send failures are reported.
/// </summary>
public abstract class SnmpRule : IBaselineRule
{
    protected SnmpRule(int port)
    {
        Port = port;
    }

    public abstract BaselineRuleInfo Info { get; }

    protected int Port { get; }

    public abstract Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken);

    protected RuleResult Result(IoTDevice device, RuleOutcome outcome, string evidence) =>
        new RuleResult(device.Address, device.Name, Info, outcome, evidence);

    /// <summary>An Error result for requests that could not even leave this host.</summary>
    protected RuleResult SendFailed(IoTDevice device, Exception exception) =>
        Result(device, RuleOutcome.Error, $"SNMP requests to udp/{Port} could not be sent: {exception.Message}");
}
