using System.Collections.Generic;

namespace IoTAdmin.Engine.Reporting;

/// <summary>How far the audited devices meet one SYS.4.4 measure.</summary>
public enum MeasureStatus
{
    /// <summary>Every device checked for the measure passed.</summary>
    Fulfilled,

    /// <summary>At least one device failed a rule of the measure.</summary>
    NotFulfilled,

    /// <summary>Nothing failed, but some checks ended in an error.</summary>
    Incomplete,

    /// <summary>The rules of the measure did not apply to any device.</summary>
    NotApplicable,

    /// <summary>No rule checks the measure; it needs an organisational review.</summary>
    NotChecked,
}

/// <summary>The rules, failing and passing devices of one SYS.4.4 measure.</summary>
public sealed class MeasureSummary
{
    public MeasureSummary(
        string measureId,
        string title,
        MeasureStatus status,
        IReadOnlyList<string> rules,
        IReadOnlyList<string> devicesFailing,
        IReadOnlyList<string> devicesPassing)
    {
        MeasureId = measureId;
        Title = title;
        Status = status;
        Rules = rules;
        DevicesFailing = devicesFailing;
        DevicesPassing = devicesPassing;
    }

    /// <summary>The measure id, e.g. SYS.4.4.M2.</summary>
    public string MeasureId { get; }

    public string Title { get; }

    public MeasureStatus Status { get; }

    /// <summary>Ids of the rules that produced results for the measure.</summary>
    public IReadOnlyList<string> Rules { get; }

    /// <summary>Addresses of devices with at least one failed rule of the measure.</summary>
    public IReadOnlyList<string> DevicesFailing { get; }

    /// <summary>Addresses of devices that passed the measure's rules without failure or error.</summary>
    public IReadOnlyList<string> DevicesPassing { get; }
}
