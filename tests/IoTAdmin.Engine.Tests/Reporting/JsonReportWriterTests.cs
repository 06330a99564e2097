using System.Text;
using System.Text.Json;
using IoTAdmin.Engine.Reporting;
using IoTAdmin.Engine.Tests.Support;

namespace IoTAdmin.Engine.Tests.Reporting;

public sealed class JsonReportWriterTests
{
    private static JsonDocument Parse(AuditReport report)
    {
        using var stream = new MemoryStream();
        new JsonReportWriter().Write(report, stream);
        return JsonDocument.Parse(stream.ToArray());
    }

    private static JsonElement LoadSchema() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "report-schema.json")))
            .RootElement;

    [Fact]
    public void Header_fields_are_written_with_stable_names()
    {
        using var document = Parse(ReportSamples.Mixed());
        var root = document.RootElement;

        Assert.Equal("1.1", root.GetProperty("schemaVersion").GetString());
        Assert.Equal("2026-12-03T16:30:15.250Z", root.GetProperty("generatedAt").GetString());
        Assert.Equal("IoTAdmin", root.GetProperty("tool").GetProperty("name").GetString());
        Assert.Equal("0.1.0", root.GetProperty("tool").GetProperty("version").GetString());
        Assert.Equal("SYS.4.4-Basic", root.GetProperty("baseline").GetString());
    }

    [Fact]
    public void Summary_counts_match_the_results()
    {
        using var document = Parse(ReportSamples.Mixed());
        var summary = document.RootElement.GetProperty("summary");

        Assert.Equal(4, summary.GetProperty("devices").GetInt32());
        Assert.Equal(8, summary.GetProperty("results").GetInt32());
        Assert.Equal(1, summary.GetProperty("notChecked").GetInt32());
        Assert.Equal(3, summary.GetProperty("pass").GetInt32());
        Assert.Equal(2, summary.GetProperty("fail").GetInt32());
        Assert.Equal(1, summary.GetProperty("notApplicable").GetInt32());
        Assert.Equal(1, summary.GetProperty("error").GetInt32());
        Assert.Equal(1, summary.GetProperty("devicesNonCompliant").GetInt32());
        Assert.Equal(1, summary.GetProperty("deviceErrors").GetInt32());
    }

    [Fact]
    public void Devices_are_ordered_by_address_with_enums_as_strings()
    {
        using var document = Parse(ReportSamples.Mixed());
        var devices = document.RootElement.GetProperty("devices").EnumerateArray().ToList();

        Assert.Equal(new[] { "10.0.0.9", "10.0.0.10", "10.0.0.20" },
            devices.Select(d => d.GetProperty("address").GetString()));

        var camera = devices[2];
        Assert.Equal(ReportSamples.ScriptName, camera.GetProperty("name").GetString());
        Assert.Equal("Camera", camera.GetProperty("profile").GetString());
        Assert.Equal(new[] { "Ssdp", "Snmp" }, camera.GetProperty("discoveredBy").EnumerateArray()
            .Select(p => p.GetString()));
        Assert.Equal(JsonValueKind.Null, devices[1].GetProperty("vendor").ValueKind);

        var telnet = camera.GetProperty("services")[0];
        Assert.Equal("telnet", telnet.GetProperty("name").GetString());
        Assert.Equal("Tcp", telnet.GetProperty("transport").GetString());
        Assert.Equal(23, telnet.GetProperty("port").GetInt32());
        Assert.Equal("Snmp", telnet.GetProperty("source").GetString());
    }

    [Fact]
    public void Device_summary_carries_counts_worst_severity_and_status()
    {
        using var document = Parse(ReportSamples.Mixed());
        var devices = document.RootElement.GetProperty("devices");
        var camera = devices[2].GetProperty("summary");
        var sensor = devices[0].GetProperty("summary");

        Assert.Equal(2, camera.GetProperty("fail").GetInt32());
        Assert.Equal("Critical", camera.GetProperty("worstFailedSeverity").GetString());
        Assert.Equal("NonCompliant", camera.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, sensor.GetProperty("worstFailedSeverity").ValueKind);
        Assert.Equal("Incomplete", sensor.GetProperty("status").GetString());
    }

    [Fact]
    public void Results_keep_rule_metadata_and_outcome()
    {
        using var document = Parse(ReportSamples.Mixed());
        var results = document.RootElement.GetProperty("results").EnumerateArray().ToList();
        var telnet = results.Single(r => r.GetProperty("deviceAddress").GetString() == "10.0.0.20"
            && r.GetProperty("ruleId").GetString() == "IOT-SVC-TELNET");

        Assert.Equal("Fail", telnet.GetProperty("outcome").GetString());
        Assert.Equal("High", telnet.GetProperty("severity").GetString());
        Assert.Equal(new[] { "SYS.4.4.M11", "SYS.4.4.M13" },
            telnet.GetProperty("measures").EnumerateArray().Select(m => m.GetString()));
        Assert.Contains(ReportSamples.ScriptName, telnet.GetProperty("evidence").GetString());
        Assert.Equal("Disable Telnet; use SSH.", telnet.GetProperty("remediation").GetString());
        Assert.EndsWith("Z", telnet.GetProperty("checkedAt").GetString());
    }

    [Fact]
    public void Measures_list_all_24_and_name_failing_devices()
    {
        using var document = Parse(ReportSamples.Mixed());
        var measures = document.RootElement.GetProperty("measures").EnumerateArray().ToList();

        Assert.Equal(24, measures.Count);
        Assert.Equal("SYS.4.4.M1", measures[0].GetProperty("id").GetString());
        Assert.Equal("NotChecked", measures[0].GetProperty("status").GetString());

        var m11 = measures[10];
        Assert.Equal("SYS.4.4.M11", m11.GetProperty("id").GetString());
        Assert.Equal("Using secure protocols", m11.GetProperty("title").GetString());
        Assert.Equal("NotFulfilled", m11.GetProperty("status").GetString());
        Assert.Equal(new[] { "10.0.0.20" },
            m11.GetProperty("devicesFailing").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(new[] { "10.0.0.9", "10.0.0.10" },
            m11.GetProperty("devicesPassing").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("Incomplete", measures[2].GetProperty("status").GetString());
    }

    [Fact]
    public void Errors_are_listed_per_address()
    {
        using var document = Parse(ReportSamples.Mixed());
        var error = Assert.Single(document.RootElement.GetProperty("errors").EnumerateArray());

        Assert.Equal("10.0.0.77", error.GetProperty("address").GetString());
        Assert.StartsWith("SNMP answer", error.GetProperty("message").GetString());
    }

    [Fact]
    public void Output_is_utf8_without_byte_order_mark()
    {
        using var stream = new MemoryStream();
        new JsonReportWriter().Write(ReportSamples.Mixed(), stream);

        Assert.Equal((byte)'{', stream.ToArray()[0]);
        Assert.Contains("\"schemaVersion\": \"1.1\"", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Report_conforms_to_the_documented_schema()
    {
        var validator = new MiniSchemaValidator(LoadSchema());
        using var document = Parse(ReportSamples.Mixed());

        Assert.Empty(validator.Validate(document.RootElement));
    }

    [Fact]
    public void Empty_report_conforms_to_the_documented_schema()
    {
        var validator = new MiniSchemaValidator(LoadSchema());
        using var document = Parse(ReportSamples.Empty());

        Assert.Empty(validator.Validate(document.RootElement));
        Assert.Equal(0, document.RootElement.GetProperty("devices").GetArrayLength());
        Assert.Equal(0, document.RootElement.GetProperty("summary").GetProperty("devices").GetInt32());
    }

    [Fact]
    public void Schema_checker_notices_a_broken_report()
    {
        var validator = new MiniSchemaValidator(LoadSchema());
        var json = JsonReportWriter.ToJson(ReportSamples.Mixed())
            .Replace("\"outcome\": \"Fail\"", "\"outcome\": \"Broken\"")
            .Replace("\"baseline\":", "\"baselineName\":");
        using var document = JsonDocument.Parse(json);

        var problems = validator.Validate(document.RootElement);

        Assert.Contains(problems, p => p.Contains("'baseline' is missing"));
        Assert.Contains(problems, p => p.Contains("\"Broken\" is not one of"));
        Assert.Contains(problems, p => p.Contains("baselineName: property is not in the schema"));
    }

    [Fact]
    public void Same_report_gives_identical_json()
    {
        var report = ReportSamples.Mixed();

        Assert.Equal(JsonReportWriter.ToJson(report), JsonReportWriter.ToJson(report));
    }
}
