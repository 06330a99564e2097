using System;
using System.Collections.Generic;
using System.Linq;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Reporting;

/// <summary>A problem that kept one device from being discovered or audited completely.</summary>
public sealed class DeviceError
{
    public DeviceError(string address, string message)
    {
        Address = address ?? throw new ArgumentNullException(nameof(address));
        Message = message ?? string.Empty;
    }

    public string Address { get; }

    public string Message { get; }

    public override string ToString() => $"{Address}: {Message}";
}

/// <summary>
/// Everything one audit run produced: the devices, the rule results and the problems met. The
/// summaries per device and per measure are computed from these once, when the report is built.
/// </summary>
public sealed class AuditReport
{
    /// <summary>Builds a report generated now.</summary>
    public AuditReport(
        string toolName,
        string toolVersion,
        string baseline,
        IEnumerable<IoTDevice> devices,
        IEnumerable<RuleResult> results,
        IEnumerable<DeviceError>? errors = null)
        : this(DateTimeOffset.UtcNow, toolName, toolVersion, baseline, devices, results, errors)
    {
    }

    /// <summary>Builds a report with a given generation time, for reproducible output.</summary>
    public AuditReport(
        DateTimeOffset generatedAt,
        string toolName,
        string toolVersion,
        string baseline,
        IEnumerable<IoTDevice> devices,
        IEnumerable<RuleResult> results,
        IEnumerable<DeviceError>? errors = null)
    {
        GeneratedAt = generatedAt.ToUniversalTime();
        ToolName = toolName ?? throw new ArgumentNullException(nameof(toolName));
        ToolVersion = toolVersion ?? throw new ArgumentNullException(nameof(toolVersion));
        Baseline = baseline ?? throw new ArgumentNullException(nameof(baseline));

        // Sorted once here so that every writer lists things in the same, input-independent order.
        Results = (results ?? throw new ArgumentNullException(nameof(results)))
            .OrderBy(r => r.DeviceAddress, AddressComparer.Instance)
            .ThenBy(r => r.RuleId, StringComparer.Ordinal).ToList();
        Devices = MergeDevices(devices ?? throw new ArgumentNullException(nameof(devices)), Results);
        Errors = (errors ?? Enumerable.Empty<DeviceError>())
            .OrderBy(e => e.Address, AddressComparer.Instance).ToList();

        DeviceSummaries = ReportSummarizer.SummarizeDevices(Devices, Results, Errors);
        MeasureSummaries = ReportSummarizer.SummarizeMeasures(Results);
        Totals = OutcomeCounts.Of(Results);
    }

    /// <summary>When the report was produced, always in UTC.</summary>
    public DateTimeOffset GeneratedAt { get; }

    public string ToolName { get; }

    public string ToolVersion { get; }

    /// <summary>The baseline the devices were audited against, e.g. SYS.4.4-Basic.</summary>
    public string Baseline { get; }

    /// <summary>The audited devices (given or carried by a result), one per address, ordered by address.</summary>
    public IReadOnlyList<IoTDevice> Devices { get; }

    /// <summary>All rule results, ordered by device address and rule id.</summary>
    public IReadOnlyList<RuleResult> Results { get; }

    /// <summary>Per-device problems, ordered by address.</summary>
    public IReadOnlyList<DeviceError> Errors { get; }

    /// <summary>One summary per device address seen in devices, results or errors.</summary>
    public IReadOnlyList<DeviceSummary> DeviceSummaries { get; }

    /// <summary>One summary per SYS.4.4 measure, covered by a rule or not, in measure order.</summary>
    public IReadOnlyList<MeasureSummary> MeasureSummaries { get; }

    /// <summary>The outcome counts over all results.</summary>
    public OutcomeCounts Totals { get; }

    /// <summary>
    /// The given devices plus any device a result carries that is not among them, one per address:
    /// a report built from results alone still shows the audited devices' inventory.
    /// </summary>
    private static IReadOnlyList<IoTDevice> MergeDevices(
        IEnumerable<IoTDevice> devices, IEnumerable<RuleResult> results) =>
        devices.Concat(results.Select(r => r.Device).OfType<IoTDevice>())
            .GroupBy(d => d.Address, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(d => d.Address, AddressComparer.Instance)
            .ToList();

    /// <summary>The results that failed, worst severity first.</summary>
    public IEnumerable<RuleResult> Failures =>
        Results.Where(r => r.Outcome == RuleOutcome.Fail).OrderByDescending(r => r.Severity);
}
