using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Reporting;

/// <summary>
/// Writes an <see cref="AuditReport"/> as JSON, in the stable layout described by
/// docs/report-schema.json: camelCase names, enums as strings, UTC ISO-8601 timestamps.
/// The writer keeps no state; one instance may be shared.
/// </summary>
public sealed class JsonReportWriter
{
    /// <summary>The version of the JSON layout; raised whenever a field changes meaning or goes away.</summary>
    public const string SchemaVersion = "1.1";

    private static readonly JsonWriterOptions s_options = new JsonWriterOptions
    {
        Indented = true,

        // Readable non-ASCII text; the default escaper would still escape HTML-significant characters.
        Encoder = JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    /// <summary>Writes the report as UTF-8 JSON (no byte order mark) to the stream, leaving it open.</summary>
    public void Write(AuditReport report, Stream stream)
    {
        if (report is null)
        {
            throw new ArgumentNullException(nameof(report));
        }

        using var json = new Utf8JsonWriter(stream ?? throw new ArgumentNullException(nameof(stream)), s_options);
        WriteReport(json, report);
        json.Flush();
    }

    /// <summary>Returns the report as a JSON string.</summary>
    public static string ToJson(AuditReport report)
    {
        using var buffer = new MemoryStream();
        new JsonReportWriter().Write(report, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteReport(Utf8JsonWriter json, AuditReport report)
    {
        json.WriteStartObject();
        json.WriteString("schemaVersion", SchemaVersion);
        json.WriteString("generatedAt", FormatTimestamp(report.GeneratedAt));

        json.WriteStartObject("tool");
        json.WriteString("name", report.ToolName);
        json.WriteString("version", report.ToolVersion);
        json.WriteEndObject();

        json.WriteString("baseline", report.Baseline);
        WriteTotals(json, report);
        WriteArray(json, "devices", report.Devices, d => WriteDevice(json, d, report));
        WriteArray(json, "results", report.Results, r => WriteResult(json, r));
        WriteArray(json, "measures", report.MeasureSummaries, m => WriteMeasure(json, m));
        WriteArray(json, "errors", report.Errors, e => WriteError(json, e));
        json.WriteEndObject();
    }

    private static void WriteTotals(Utf8JsonWriter json, AuditReport report)
    {
        json.WriteStartObject("summary");
        json.WriteNumber("devices", report.DeviceSummaries.Count);
        json.WriteNumber("results", report.Results.Count);
        WriteCounts(json, report.Totals);
        var nonCompliant = report.DeviceSummaries.Count(d => d.Status == DeviceStatus.NonCompliant);
        json.WriteNumber("devicesNonCompliant", nonCompliant);
        json.WriteNumber("deviceErrors", report.Errors.Count);
        json.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter json, OutcomeCounts counts)
    {
        json.WriteNumber("pass", counts.Pass);
        json.WriteNumber("fail", counts.Fail);
        json.WriteNumber("notApplicable", counts.NotApplicable);
        json.WriteNumber("error", counts.Error);
        json.WriteNumber("waived", counts.Waived);
        json.WriteNumber("notChecked", counts.NotChecked);
    }

    private static void WriteDevice(Utf8JsonWriter json, IoTDevice device, AuditReport report)
    {
        json.WriteStartObject();
        json.WriteString("address", device.Address);
        WriteNullable(json, "name", device.Name);
        WriteNullable(json, "vendor", device.Vendor);
        WriteNullable(json, "model", device.Model);
        WriteNullable(json, "firmwareVersion", device.FirmwareVersion);
        WriteNullable(json, "description", device.Description);
        json.WriteString("profile", device.Profile.ToString());
        WriteArray(json, "discoveredBy", device.DiscoveredBy, p => json.WriteStringValue(p.ToString()));
        WriteArray(json, "services", OrderedServices(device.Services), s => WriteService(json, s));
        WriteArray(json, "observations", device.Observations, o => WriteObservation(json, o));
        WriteDeviceSummary(json, report.DeviceSummaries.First(s => s.Address == device.Address));
        json.WriteEndObject();
    }

    private static void WriteDeviceSummary(Utf8JsonWriter json, DeviceSummary summary)
    {
        json.WriteStartObject("summary");
        WriteCounts(json, summary.Counts);
        WriteNullable(json, "worstFailedSeverity", summary.WorstFailedSeverity?.ToString());
        json.WriteString("status", summary.Status.ToString());
        json.WriteEndObject();
    }

    internal static IEnumerable<DeviceService> OrderedServices(IEnumerable<DeviceService> services) =>
        services.OrderBy(s => s.Port).ThenBy(s => s.Transport).ThenBy(s => s.Name, StringComparer.Ordinal);

    private static void WriteService(Utf8JsonWriter json, DeviceService service)
    {
        json.WriteStartObject();
        json.WriteString("name", service.Name);
        json.WriteString("transport", service.Transport.ToString());
        json.WriteNumber("port", service.Port);
        json.WriteString("source", service.Source.ToString());
        WriteNullable(json, "detail", service.Detail);
        json.WriteEndObject();
    }

    private static void WriteObservation(Utf8JsonWriter json, DiscoveryObservation observation)
    {
        json.WriteStartObject();
        json.WriteString("protocol", observation.Protocol.ToString());
        json.WriteString("observedAt", FormatTimestamp(observation.ObservedAt));
        WriteNullable(json, "name", observation.Name);
        WriteNullable(json, "vendor", observation.Vendor);
        WriteNullable(json, "model", observation.Model);
        WriteNullable(json, "firmwareVersion", observation.FirmwareVersion);
        WriteNullable(json, "description", observation.Description);

        json.WriteStartObject("attributes");
        foreach (var pair in observation.Attributes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json.WriteString(pair.Key, pair.Value);
        }

        json.WriteEndObject();
        WriteNullable(json, "error", observation.Error);
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, RuleResult result)
    {
        json.WriteStartObject();
        json.WriteString("deviceAddress", result.DeviceAddress);
        WriteNullable(json, "deviceName", result.DeviceName);
        json.WriteString("ruleId", result.RuleId);
        json.WriteString("title", result.Title);
        WriteArray(json, "measures", result.Measures, m => json.WriteStringValue(m));
        json.WriteString("severity", result.Severity.ToString());
        json.WriteString("outcome", result.Outcome.ToString());
        json.WriteString("evidence", result.Evidence);
        json.WriteString("remediation", result.Remediation);
        json.WriteString("checkedAt", FormatTimestamp(result.CheckedAt));
        WriteWaiver(json, result.Waiver);
        json.WriteEndObject();
    }

    /// <summary>The waiver that accepted the result, or that lapsed on a failure; null otherwise.</summary>
    private static void WriteWaiver(Utf8JsonWriter json, RuleWaiver? waiver)
    {
        if (waiver is null)
        {
            json.WriteNull("waiver");
            return;
        }

        json.WriteStartObject("waiver");
        json.WriteString("scope", waiver.Scope);
        json.WriteString("reason", waiver.Reason);
        json.WriteString("owner", waiver.Owner);
        json.WriteString("expires", waiver.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        json.WriteEndObject();
    }

    private static void WriteMeasure(Utf8JsonWriter json, MeasureSummary measure)
    {
        json.WriteStartObject();
        json.WriteString("id", measure.MeasureId);
        json.WriteString("title", measure.Title);
        json.WriteString("status", measure.Status.ToString());
        WriteArray(json, "rules", measure.Rules, r => json.WriteStringValue(r));
        WriteArray(json, "devicesFailing", measure.DevicesFailing, a => json.WriteStringValue(a));
        WriteArray(json, "devicesPassing", measure.DevicesPassing, a => json.WriteStringValue(a));
        json.WriteEndObject();
    }

    private static void WriteError(Utf8JsonWriter json, DeviceError error)
    {
        json.WriteStartObject();
        json.WriteString("address", error.Address);
        json.WriteString("message", error.Message);
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteString(name, value);
    }

    private static void WriteArray<T>(Utf8JsonWriter json, string name, IEnumerable<T> items, Action<T> writeItem)
    {
        json.WriteStartArray(name);
        foreach (var item in items)
        {
            writeItem(item);
        }

        json.WriteEndArray();
    }
}
