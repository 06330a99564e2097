using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// One check of a device against a SYS.4.4 requirement. Rules are stateless and found by
/// reflection; each returns exactly one result per device.
/// </summary>
public interface IBaselineRule
{
    BaselineRuleInfo Info { get; }

    /// <summary>
    /// Checks the device. A device that does not answer gives an <see cref="RuleOutcome.Error"/>
    /// result with the reason as evidence; only cancellation escapes as an exception.
    /// </summary>
    Task<RuleResult> EvaluateAsync(IoTDevice device, AuditContext context, CancellationToken cancellationToken);
}
