using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Engine.Reporting;

/// <summary>
/// Writes results as SARIF 2.1.0 so findings show up in code-scanning tools. Each rule becomes a
/// reportingDescriptor (its measures as tags, a security-severity for ranking); each result names
/// its device as a logical location and as the pseudo path devices/ADDRESS, with a fingerprint of
/// device and rule so a tool tracks one alert across runs. Fail is kind fail with a level by
/// severity, Waived a fail with an accepted external suppression, Pass and NotApplicable their own
/// kinds, and Error kind open (the check did not decide).
/// </summary>
public sealed class SarifReportWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public void Write(AuditReport report, Stream stream)
    {
        var rules = report.Results.GroupBy(r => r.RuleId, StringComparer.Ordinal)
            .Select(g => g.First()).OrderBy(r => r.RuleId, StringComparer.Ordinal).ToList();
        var ruleIndex = rules.Select((r, i) => (r.RuleId, i)).ToDictionary(p => p.RuleId, p => p.i);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("$schema", SchemaUri);
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();
        WriteTool(json, report, rules);
        WriteInvocation(json, report);
        json.WriteStartArray("results");
        foreach (var result in report.Results)
        {
            WriteResult(json, result, ruleIndex[result.RuleId]);
        }

        json.WriteEndArray();
        json.WriteStartObject("properties");
        json.WriteString("baseline", report.Baseline);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTool(Utf8JsonWriter json, AuditReport report, IReadOnlyList<RuleResult> rules)
    {
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", report.ToolName);
        json.WriteString("version", report.ToolVersion);
        json.WriteString("semanticVersion", report.ToolVersion);
        json.WriteString("informationUri", "https://www.bsi.bund.de/grundschutz");
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            WriteRule(json, rule);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter json, RuleResult rule)
    {
        json.WriteStartObject();
        json.WriteString("id", rule.RuleId);
        json.WriteString("name", rule.RuleId);
        json.WriteStartObject("shortDescription");
        json.WriteString("text", rule.Title);
        json.WriteEndObject();
        json.WriteStartObject("help");
        json.WriteString("text", rule.Remediation);
        json.WriteEndObject();
        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", LevelOf(rule.Severity));
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteStartArray("tags");
        json.WriteStringValue("security");
        foreach (var measure in rule.Measures)
        {
            json.WriteStringValue(measure);
        }

        json.WriteEndArray();
        json.WriteString("security-severity", SecuritySeverityOf(rule.Severity));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteInvocation(Utf8JsonWriter json, AuditReport report)
    {
        json.WriteStartArray("invocations");
        json.WriteStartObject();
        json.WriteBoolean("executionSuccessful", true);
        json.WriteString("endTimeUtc", report.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
            CultureInfo.InvariantCulture));
        json.WriteStartArray("toolExecutionNotifications");
        foreach (var error in report.Errors)
        {
            json.WriteStartObject();
            json.WriteString("level", "error");
            json.WriteStartObject("message");
            json.WriteString("text", error.ToString());
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteResult(Utf8JsonWriter json, RuleResult result, int ruleIndex)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", result.RuleId);
        json.WriteNumber("ruleIndex", ruleIndex);
        var (kind, level) = KindOf(result);
        json.WriteString("kind", kind);
        json.WriteString("level", level);
        json.WriteStartObject("message");
        json.WriteString("text", $"{result.DeviceAddress}: {result.Title}: {result.Evidence}");
        json.WriteEndObject();
        WriteLocation(json, result);
        json.WriteStartObject("partialFingerprints");
        json.WriteString("iotDeviceRule/v1", $"{result.DeviceAddress}|{result.RuleId}");
        json.WriteEndObject();
        if (result.Outcome == RuleOutcome.Waived)
        {
            WriteSuppression(json, result);
        }

        json.WriteStartObject("properties");
        json.WriteString("outcome", result.Outcome.ToString());
        json.WriteString("severity", result.Severity.ToString());
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteLocation(Utf8JsonWriter json, RuleResult result)
    {
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", "devices/" + Uri.EscapeDataString(result.DeviceAddress));
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("logicalLocations");
        json.WriteStartObject();
        json.WriteString("name", result.DeviceName ?? result.DeviceAddress);
        json.WriteString("fullyQualifiedName", result.DeviceAddress);
        json.WriteString("kind", "module");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteSuppression(Utf8JsonWriter json, RuleResult result)
    {
        json.WriteStartArray("suppressions");
        json.WriteStartObject();
        json.WriteString("kind", "external");
        json.WriteString("status", "accepted");
        json.WriteString("justification", result.Waiver is null
            ? "waived"
            : $"{result.Waiver.Reason} (owner {result.Waiver.Owner}, until "
              + $"{result.Waiver.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})");
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static (string Kind, string Level) KindOf(RuleResult result) => result.Outcome switch
    {
        RuleOutcome.Fail or RuleOutcome.Waived => ("fail", LevelOf(result.Severity)),
        RuleOutcome.Pass => ("pass", "none"),
        RuleOutcome.NotApplicable => ("notApplicable", "none"),

        // Error and NotChecked: SARIF's "open", the tool could not tell pass from fail.
        _ => ("open", "none"),
    };

    private static string LevelOf(Severity severity) => severity switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    /// <summary>The CVSS-like score code-scanning tools rank by: 9.5, 8.0, 5.5, 3.0 or 0.0.</summary>
    private static string SecuritySeverityOf(Severity severity) => severity switch
    {
        Severity.Critical => "9.5",
        Severity.High => "8.0",
        Severity.Medium => "5.5",
        Severity.Low => "3.0",
        _ => "0.0",
    };
}
