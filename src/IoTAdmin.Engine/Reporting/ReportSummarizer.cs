using System;
using System.Collections.Generic;
using System.Linq;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Reporting;

/// <summary>Computes the per-device and per-measure summaries of an <see cref="AuditReport"/>.</summary>
internal static class ReportSummarizer
{
    public static IReadOnlyList<DeviceSummary> SummarizeDevices(
        IReadOnlyList<IoTDevice> devices, IReadOnlyList<RuleResult> results, IReadOnlyList<DeviceError> errors)
    {
        // A result or error may name an address discovery never reported; it still gets a summary.
        var addresses = devices.Select(d => d.Address)
            .Concat(results.Select(r => r.DeviceAddress))
            .Concat(errors.Select(e => e.Address))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(a => a, AddressComparer.Instance);

        return addresses.Select(a => SummarizeDevice(a, devices, results, errors)).ToList();
    }

    public static IReadOnlyList<MeasureSummary> SummarizeMeasures(IReadOnlyList<RuleResult> results)
    {
        var measureIds = MeasureCatalog.MeasureIds
            .Concat(results.SelectMany(r => r.Measures))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderBy(m => m, Comparer<string>.Create(MeasureCatalog.Compare));

        return measureIds.Select(m => SummarizeMeasure(m, results)).ToList();
    }

    private static DeviceSummary SummarizeDevice(
        string address, IReadOnlyList<IoTDevice> devices, IReadOnlyList<RuleResult> results,
        IReadOnlyList<DeviceError> errors)
    {
        var own = results.Where(r => r.DeviceAddress == address).ToList();
        var counts = OutcomeCounts.Of(own);
        var hasDeviceError = errors.Any(e => e.Address == address);

        var failures = own.Where(r => r.Outcome == RuleOutcome.Fail).ToList();
        Severity? worst = failures.Count == 0 ? null : failures.Max(r => r.Severity);

        var name = devices.FirstOrDefault(d => d.Address == address)?.Name
            ?? own.Select(r => r.DeviceName).FirstOrDefault(n => n is not null);

        return new DeviceSummary(address, name, counts, worst, DeviceStatusOf(counts, hasDeviceError));
    }

    private static DeviceStatus DeviceStatusOf(OutcomeCounts counts, bool hasDeviceError)
    {
        if (counts.Fail > 0)
        {
            return DeviceStatus.NonCompliant;
        }

        if (counts.Error > 0 || hasDeviceError)
        {
            return DeviceStatus.Incomplete;
        }

        return counts.Total == 0 ? DeviceStatus.NotAudited : DeviceStatus.Compliant;
    }

    private static MeasureSummary SummarizeMeasure(string measureId, IReadOnlyList<RuleResult> results)
    {
        var own = results
            .Where(r => r.Measures.Contains(measureId, StringComparer.OrdinalIgnoreCase))
            .ToList();

        var rules = own.Select(r => r.RuleId).Distinct(StringComparer.Ordinal)
            .OrderBy(id => id, StringComparer.Ordinal).ToList();
        var failing = DevicesWhere(own, device => device.Any(r => r.Outcome == RuleOutcome.Fail));
        var passing = DevicesWhere(own, device =>
            device.Any(r => r.Outcome == RuleOutcome.Pass)
            && device.All(r => r.Outcome == RuleOutcome.Pass || r.Outcome == RuleOutcome.NotApplicable));

        var status = MeasureStatusOf(OutcomeCounts.Of(own));
        return new MeasureSummary(measureId, MeasureCatalog.TitleOf(measureId), status, rules, failing, passing);
    }

    private static IReadOnlyList<string> DevicesWhere(
        IEnumerable<RuleResult> results, Func<IGrouping<string, RuleResult>, bool> predicate) =>
        results.GroupBy(r => r.DeviceAddress, StringComparer.Ordinal)
            .Where(predicate)
            .Select(g => g.Key)
            .OrderBy(a => a, AddressComparer.Instance)
            .ToList();

    private static MeasureStatus MeasureStatusOf(OutcomeCounts counts)
    {
        if (counts.Total == 0)
        {
            return MeasureStatus.NotChecked;
        }

        if (counts.Fail > 0)
        {
            return MeasureStatus.NotFulfilled;
        }

        if (counts.Error > 0 || (counts.NotChecked > 0 && counts.Pass > 0))
        {
            return MeasureStatus.Incomplete;
        }

        if (counts.NotChecked > 0)
        {
            return MeasureStatus.NotChecked;
        }

        return counts.Pass > 0 ? MeasureStatus.Fulfilled : MeasureStatus.NotApplicable;
    }
}
