using System;
using System.Collections.Generic;
using System.Linq;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.History;

/// <summary>
/// One saved Test-IoTBaseline run: when, against which baseline, the devices with their profiles,
/// and every result. Saved as JSON by <see cref="AuditRunStore"/>; two of them make a comparison.
/// </summary>
public sealed class AuditRun
{
    public AuditRun(
        DateTimeOffset savedAt,
        string? baseline,
        IEnumerable<IoTDevice> devices,
        IEnumerable<RuleResult> results)
    {
        SavedAt = savedAt.ToUniversalTime();
        Baseline = baseline;
        Results = results.ToList();
        Devices = devices
            .Concat(Results.Select(r => r.Device).OfType<IoTDevice>())
            .GroupBy(d => d.Address, StringComparer.Ordinal)
            .Select(g => g.First())
            .ToList();
    }

    public DateTimeOffset SavedAt { get; }

    /// <summary>The baseline name, or null when the run used every rule with its defaults.</summary>
    public string? Baseline { get; }

    public IReadOnlyList<IoTDevice> Devices { get; }

    public IReadOnlyList<RuleResult> Results { get; }
}
