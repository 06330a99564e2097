using System.Collections.Generic;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// The audit of one device: one result per rule run. When the device did not answer at all,
/// <see cref="Unreachable"/> is true, every result is an Error naming <see cref="Reason"/>, and the
/// cmdlet should also write a non-terminating error for the device.
/// </summary>
public sealed class DeviceAuditResult
{
    public DeviceAuditResult(IReadOnlyList<RuleResult> results, bool unreachable, string? reason)
    {
        Results = results;
        Unreachable = unreachable;
        Reason = reason;
    }

    public IReadOnlyList<RuleResult> Results { get; }

    public bool Unreachable { get; }

    /// <summary>Why the device counts as unreachable; null when it answered.</summary>
    public string? Reason { get; }
}
