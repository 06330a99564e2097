using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Engine.Reporting;

/// <summary>The overall verdict on one device.</summary>
public enum DeviceStatus
{
    /// <summary>No rule failed and none ended in an error.</summary>
    Compliant,

    /// <summary>At least one rule failed.</summary>
    NonCompliant,

    /// <summary>Nothing failed, but some checks could not be completed.</summary>
    Incomplete,

    /// <summary>No rule was evaluated on the device.</summary>
    NotAudited,
}

/// <summary>The outcome counts and verdict for one device.</summary>
public sealed class DeviceSummary
{
    public DeviceSummary(
        string address, string? name, OutcomeCounts counts, Severity? worstFailedSeverity, DeviceStatus status)
    {
        Address = address;
        Name = name;
        Counts = counts;
        WorstFailedSeverity = worstFailedSeverity;
        Status = status;
    }

    public string Address { get; }

    public string? Name { get; }

    public OutcomeCounts Counts { get; }

    /// <summary>The highest severity among failed rules; null when nothing failed.</summary>
    public Severity? WorstFailedSeverity { get; }

    public DeviceStatus Status { get; }
}
