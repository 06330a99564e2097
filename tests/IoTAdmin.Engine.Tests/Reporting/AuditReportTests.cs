using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Reporting;

namespace IoTAdmin.Engine.Tests.Reporting;

public sealed class AuditReportTests
{
    [Fact]
    public void Generated_time_is_kept_in_utc()
    {
        var report = ReportSamples.Mixed();

        Assert.Equal(TimeSpan.Zero, report.GeneratedAt.Offset);
        Assert.Equal(16, report.GeneratedAt.Hour);
    }

    [Fact]
    public void Report_without_a_given_time_is_generated_now()
    {
        var before = DateTimeOffset.UtcNow;
        var report = new AuditReport("IoTAdmin", "0.1.0", "SYS.4.4-Basic",
            Array.Empty<IoTDevice>(), Array.Empty<RuleResult>());

        Assert.InRange(report.GeneratedAt, before, DateTimeOffset.UtcNow);
        Assert.Empty(report.Errors);
    }

    [Fact]
    public void Devices_summaries_include_addresses_known_only_from_errors()
    {
        var report = ReportSamples.Mixed();

        Assert.Equal(new[] { "10.0.0.9", "10.0.0.10", "10.0.0.20", "10.0.0.77" },
            report.DeviceSummaries.Select(s => s.Address));
        Assert.Equal(DeviceStatus.Incomplete, report.DeviceSummaries[3].Status);
    }

    [Fact]
    public void Device_status_follows_worst_outcome()
    {
        var summaries = ReportSamples.Mixed().DeviceSummaries.ToDictionary(s => s.Address);

        Assert.Equal(DeviceStatus.NonCompliant, summaries["10.0.0.20"].Status);
        Assert.Equal(Severity.Critical, summaries["10.0.0.20"].WorstFailedSeverity);
        Assert.Equal(DeviceStatus.Incomplete, summaries["10.0.0.9"].Status);
        Assert.Equal(DeviceStatus.Compliant, summaries["10.0.0.10"].Status);
        Assert.Null(summaries["10.0.0.10"].WorstFailedSeverity);
    }

    [Fact]
    public void Devices_carried_by_results_join_the_inventory_once()
    {
        var given = new IoTDevice("10.0.0.1") { Name = "given" };
        var carried = new IoTDevice("10.0.0.2") { Name = "carried" };
        var duplicate = new IoTDevice("10.0.0.1") { Name = "duplicate" };
        var rule = ReportSamples.TelnetRule;
        var results = new[]
        {
            new RuleResult("10.0.0.2", "carried", rule, RuleOutcome.Pass, "ok") { Device = carried },
            new RuleResult("10.0.0.1", "given", rule, RuleOutcome.Pass, "ok") { Device = duplicate },
        };

        var report = new AuditReport(ReportSamples.GeneratedAt, "IoTAdmin", "0.1.0", "SYS.4.4-Basic",
            new[] { given }, results);

        Assert.Equal(new[] { "given", "carried" }, report.Devices.Select(d => d.Name));
    }

    [Fact]
    public void Device_without_results_is_not_audited()
    {
        var report = new AuditReport(ReportSamples.GeneratedAt, "IoTAdmin", "0.1.0", "SYS.4.4-Basic",
            new[] { new IoTDevice("192.168.1.5") }, Array.Empty<RuleResult>());

        Assert.Equal(DeviceStatus.NotAudited, Assert.Single(report.DeviceSummaries).Status);
    }

    [Fact]
    public void Measure_summary_names_rules_and_devices()
    {
        var measures = ReportSamples.Mixed().MeasureSummaries.ToDictionary(m => m.MeasureId);

        var m2 = measures["SYS.4.4.M2"];
        Assert.Equal(MeasureStatus.NotFulfilled, m2.Status);
        Assert.Equal(new[] { "IOT-CRED-SSH" }, m2.Rules);
        Assert.Equal(new[] { "10.0.0.20" }, m2.DevicesFailing);
        Assert.Empty(m2.DevicesPassing);
        Assert.Equal(MeasureStatus.NotChecked, measures["SYS.4.4.M6"].Status);
        Assert.Empty(measures["SYS.4.4.M6"].Rules);
    }

    [Fact]
    public void Measure_whose_rules_never_apply_is_not_applicable()
    {
        var device = new IoTDevice("10.0.0.1");
        var result = new RuleResult(device.Address, null, ReportSamples.DefaultPasswordRule,
            RuleOutcome.NotApplicable, "No SSH");
        var report = new AuditReport(ReportSamples.GeneratedAt, "IoTAdmin", "0.1.0", "SYS.4.4-Basic",
            new[] { device }, new[] { result });

        Assert.Equal(MeasureStatus.NotApplicable, report.MeasureSummaries[1].Status);
        Assert.Equal(DeviceStatus.Compliant, report.DeviceSummaries[0].Status);
    }

    [Fact]
    public void Unknown_measure_ids_are_listed_after_the_catalog()
    {
        var rule = new BaselineRuleInfo("X-1", "Extra", Severity.Low, "Fix it.", "CUSTOM.1");
        var report = new AuditReport(ReportSamples.GeneratedAt, "IoTAdmin", "0.1.0", "SYS.4.4-Basic",
            Array.Empty<IoTDevice>(), new[] { new RuleResult("10.0.0.1", null, rule, RuleOutcome.Pass, "ok") });

        Assert.Equal(25, report.MeasureSummaries.Count);
        Assert.Equal("CUSTOM.1", report.MeasureSummaries[24].MeasureId);
        Assert.Equal(string.Empty, report.MeasureSummaries[24].Title);
    }

    [Fact]
    public void Catalog_orders_measures_numerically()
    {
        Assert.Equal(24, MeasureCatalog.MeasureIds.Count);
        Assert.True(MeasureCatalog.Compare("SYS.4.4.M2", "SYS.4.4.M10") < 0);
        Assert.Equal("Protection of the administration interfaces", MeasureCatalog.TitleOf("SYS.4.4.M19"));
    }

    [Fact]
    public void Catalog_titles_match_the_source_document()
    {
        var source = File.ReadAllText(Path.Combine(Support.RepositoryPaths.Root, "tests", "data", "SYS.4.4.md"));

        foreach (var id in MeasureCatalog.MeasureIds)
        {
            var heading = source.Split('\n').Single(l => l.StartsWith($"#### {id} ", StringComparison.Ordinal));
            var firstWord = MeasureCatalog.TitleOf(id).Split(' ')[0];
            Assert.Contains(firstWord, heading, StringComparison.OrdinalIgnoreCase);
        }
    }
}
