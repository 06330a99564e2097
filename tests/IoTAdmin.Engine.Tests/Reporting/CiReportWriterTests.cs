using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Reporting;
using IoTAdmin.Engine.Tests.Support;
using Json.Schema;

namespace IoTAdmin.Engine.Tests.Reporting;

/// <summary>The CI formats validate against the public schemas kept in tests/schemas.</summary>
public sealed class CiReportWriterTests
{
    private static string Schemas => Path.Combine(RepositoryPaths.Root, "tests", "schemas");

    [Fact]
    public void JUnit_ShouldValidateAndMapOutcomes()
    {
        var xml = Render(s => new JUnitReportWriter().Write(WithWaiver(), s));

        Validate(xml, "JUnit4/junit_schema_4.xsd");
        var document = XDocument.Parse(xml);
        Assert.Equal(3, document.Descendants("failure").Count());
        Assert.Single(document.Descendants("error"));
        var skipped = document.Descendants("skipped").Select(s => (string?)s.Attribute("message")).ToList();
        Assert.Contains(skipped, m => m!.Contains("owner kim") && m.Contains("Swap ordered"));
        Assert.Contains("not checked: no firmware catalogue was given", skipped);
    }

    [Fact]
    public void NUnit_ShouldValidateAsNUnit3AndMapOutcomes()
    {
        var xml = Render(s => new NUnitReportWriter().Write(WithWaiver(), s));

        Validate(xml, "NUnit3/TestResult.xsd");
        var root = XDocument.Parse(xml).Root!;
        Assert.Equal("test-run", root.Name.LocalName);
        Assert.Equal("Failed", (string?)root.Attribute("result") ?? "Failed");
        var cases = root.Descendants("test-case").ToList();
        Assert.Equal(WithWaiver().Results.Count, cases.Count);
        Assert.Contains(cases, c => Attribute(c, "label") == "Waived" && Attribute(c, "result") == "Skipped");
        Assert.Contains(cases, c => Attribute(c, "label") == "Error" && Attribute(c, "result") == "Failed");
        Assert.Contains(cases, c => Attribute(c, "label") == "NotChecked" && Attribute(c, "result") == "Inconclusive");
        Assert.Equal("1", (string?)root.Attribute("inconclusive"));
    }

    [Fact]
    public void Xml_WithControlCharactersFromADevice_ShouldStayWellFormed()
    {
        var info = new BaselineRuleInfo("IOT-X", "x", Severity.Low, "fix", "SYS.4.4.M5");
        var result = new RuleResult("10.0.0.1", "bell\u0007name", info, RuleOutcome.Fail, "banner \u0001\u001b[0m");
        var report = new AuditReport("IoTAdmin", "0.1.0", "B", Array.Empty<IoTDevice>(), new[] { result });

        Validate(Render(s => new JUnitReportWriter().Write(report, s)), "JUnit4/junit_schema_4.xsd");
        Validate(Render(s => new NUnitReportWriter().Write(report, s)), "NUnit3/TestResult.xsd");
    }

    [Fact]
    public void Sarif_ShouldValidateAgainstTheSarif210Schema()
    {
        var sarif = Render(s => new SarifReportWriter().Write(WithWaiver(), s));

        var options = new EvaluationOptions { OutputFormat = OutputFormat.List };
        var results = SarifSchema().Evaluate(System.Text.Json.JsonDocument.Parse(sarif).RootElement, options);

        var problems = (results.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        Assert.True(results.IsValid, string.Join("\n", problems));
        var run = JsonNode.Parse(sarif)!["runs"]![0]!;
        var suppressed = run["results"]!.AsArray().Single(r => r!["suppressions"] is not null)!;
        Assert.Contains("Swap ordered", suppressed["suppressions"]![0]!["justification"]!.GetValue<string>());
        Assert.Equal("error", run["results"]!.AsArray().First(r => r!["kind"]!.GetValue<string>() == "fail")!["level"]!
            .GetValue<string>());
        Assert.Equal(2, run["results"]!.AsArray().Count(r => r!["kind"]!.GetValue<string>() == "open"));
    }

    [Fact]
    public void Sarif_Schema_ShouldRejectABrokenLog()
    {
        var broken = System.Text.Json.JsonDocument.Parse("""{ "version": "2.1.0", "runs": [ { "tool": { } } ] }""");

        Assert.False(SarifSchema().Evaluate(broken.RootElement).IsValid);
    }

    [Fact]
    public void Json_WithAWaivedResult_ShouldConformToTheDocumentedSchema()
    {
        var schemaPath = Path.Combine(RepositoryPaths.Root, "docs", "report-schema.json");
        using var schema = JsonDocument.Parse(File.ReadAllText(schemaPath));
        using var document = JsonDocument.Parse(JsonReportWriter.ToJson(WithWaiver()));

        Assert.Empty(new MiniSchemaValidator(schema.RootElement).Validate(document.RootElement));
        var waived = document.RootElement.GetProperty("results").EnumerateArray()
            .Single(r => r.GetProperty("outcome").GetString() == "Waived");
        Assert.Equal("kim", waived.GetProperty("waiver").GetProperty("owner").GetString());
        Assert.Equal(1, document.RootElement.GetProperty("summary").GetProperty("waived").GetInt32());
    }

    [Fact]
    public void Csv_ShouldQuoteAndDisarmFormulas()
    {
        var info = new BaselineRuleInfo("IOT-X", "x, y", Severity.Low, "fix", "SYS.4.4.M5", "SYS.4.4.M11");
        var result = new RuleResult("10.0.0.1", "=HYPERLINK(\"http://x\")", info, RuleOutcome.Fail, "line1\nline2");
        var report = new AuditReport("IoTAdmin", "0.1.0", "B", Array.Empty<IoTDevice>(), new[] { result });
        var writer = new StringWriter();

        new CsvReportWriter().Write(report, writer);

        var lines = writer.ToString().Split("\r\n");
        Assert.StartsWith("DeviceAddress,DeviceName,Profile,RuleId", lines[0]);
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\"", lines[1]);
        Assert.Contains("\"x, y\"", lines[1]);
        Assert.Contains("SYS.4.4.M5;SYS.4.4.M11", lines[1]);
        Assert.Contains("\"line1\nline2\"", writer.ToString());
    }

    private static AuditReport WithWaiver()
    {
        var mixed = ReportSamples.Mixed();
        var waived = new RuleResult("10.0.0.9", "sensor", ReportSamples.DefaultPasswordRule, RuleOutcome.Fail, "admin")
        {
            Waiver = new RuleWaiver("IOT-CRED-SSH", "Swap ordered", "kim", new DateTime(2099, 1, 1),
                device: "10.0.0.9"),
            Outcome = RuleOutcome.Waived,
        };
        var results = mixed.Results.Where(r => !(r.DeviceAddress == "10.0.0.9" && r.RuleId == "IOT-CRED-SSH"))
            .Append(waived).ToList();
        var extra = new RuleResult("10.0.0.9", "sensor", ReportSamples.TelnetRule, RuleOutcome.Fail, "telnet");
        return new AuditReport(ReportSamples.GeneratedAt, "IoTAdmin", "0.1.0", "SYS.4.4-Basic", mixed.Devices,
            results.Where(r => !(r.DeviceAddress == "10.0.0.9" && r.RuleId == extra.RuleId)).Append(extra),
            mixed.Errors);
    }

    private static string? Attribute(XElement element, string name) => (string?)element.Attribute(name);

    private static string Render(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Validate(string xml, string schema)
    {
        var set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        set.Add(null, Path.Combine(Schemas, schema));
        var problems = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = set };
        settings.ValidationEventHandler += (_, e) => problems.Add($"{e.Severity}: {e.Message}");
        using (var reader = XmlReader.Create(new StringReader(xml), settings))
        {
            while (reader.Read())
            {
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + xml);
    }

    /// <summary>
    /// The SARIF schema from tests/schemas declares draft-04, which JsonSchema.Net does not read; it
    /// uses no keyword whose meaning changed after draft-04, so it is evaluated as draft-07.
    /// </summary>
    private static JsonSchema SarifSchema()
    {
        var text = File.ReadAllText(Path.Combine(Schemas, "Sarif", "sarif-2.1.0-rtm.5.json"))
            .Replace("http://json-schema.org/draft-04/schema#", "http://json-schema.org/draft-07/schema#");
        Assert.DoesNotContain("\"exclusiveMinimum\": true", text);
        return JsonSchema.FromText(text);
    }
}
