using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.History;

/// <summary>
/// Saves and loads <see cref="AuditRun"/>s as JSON files (format "iotadmin-audit-run", version 1).
/// Saving writes a temporary file and moves it into place, so a crash never leaves half a run.
/// Known shortcoming: runs live in files the caller names; the device inventory of issue
/// "Inventory and lifecycle" is not there yet to keep them.
/// </summary>
public static class AuditRunStore
{
    public const string Format = "iotadmin-audit-run";
    public const int FormatVersion = 1;

    /// <summary>Largest file <see cref="Load"/> reads; a run of a thousand devices is a few megabytes.</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    public static void Save(AuditRun run, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = path + ".tmp";
        try
        {
            using (var stream = File.Create(temporary))
            {
                Write(run, stream);
            }

            if (File.Exists(path))
            {
                File.Delete(path);
            }

            File.Move(temporary, path);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    public static void Write(AuditRun run, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteNumber("formatVersion", FormatVersion);
        json.WriteString("savedAt", run.SavedAt.ToString("o", CultureInfo.InvariantCulture));
        WriteText(json, "baseline", run.Baseline);
        json.WriteStartArray("devices");
        foreach (var device in run.Devices)
        {
            json.WriteStartObject();
            json.WriteString("address", device.Address);
            WriteText(json, "name", device.Name);
            json.WriteString("profile", device.Profile.ToString());
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("results");
        foreach (var result in run.Results)
        {
            WriteResult(json, result);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <exception cref="InvalidDataException">The file is not a saved run or is damaged.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static AuditRun Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"The saved audit run '{path}' does not exist.", path);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new InvalidDataException($"'{path}' is larger than {MaxFileBytes} bytes; not a saved audit run.");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 16 });
            return Read(document.RootElement, path);
        }
        catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException || ex is FormatException
            || ex is KeyNotFoundException)
        {
            throw new InvalidDataException($"'{path}' is not a valid saved audit run: {ex.Message}", ex);
        }
    }

    private static void WriteResult(Utf8JsonWriter json, RuleResult result)
    {
        json.WriteStartObject();
        json.WriteString("deviceAddress", result.DeviceAddress);
        WriteText(json, "deviceName", result.DeviceName);
        json.WriteString("ruleId", result.RuleId);
        json.WriteString("title", result.Title);
        json.WriteStartArray("measures");
        foreach (var measure in result.Measures)
        {
            json.WriteStringValue(measure);
        }

        json.WriteEndArray();
        json.WriteString("severity", result.Severity.ToString());
        json.WriteString("outcome", result.Outcome.ToString());
        json.WriteString("evidence", result.Evidence);
        json.WriteString("remediation", result.Remediation);
        json.WriteString("checkedAt", result.CheckedAt.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture));
        WriteText(json, "waiverReason", result.Waiver?.Reason);
        json.WriteEndObject();
    }

    private static AuditRun Read(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format)
            || format.GetString() != Format)
        {
            throw new InvalidDataException($"'{path}' is not a saved audit run (no \"format\": \"{Format}\").");
        }

        var version = root.GetProperty("formatVersion").GetInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException(
                $"'{path}' has format version {version}; this IoTAdmin reads {FormatVersion}.");
        }

        var devices = root.GetProperty("devices").EnumerateArray().Select(ReadDevice).ToList();
        var byAddress = devices.ToDictionary(d => d.Address, StringComparer.Ordinal);
        var results = root.GetProperty("results").EnumerateArray().Select(e => ReadResult(e, byAddress)).ToList();
        var savedAt = DateTimeOffset.Parse(root.GetProperty("savedAt").GetString()!, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal);
        return new AuditRun(savedAt, Optional(root, "baseline"), devices, results);
    }

    private static IoTDevice ReadDevice(JsonElement element) =>
        new IoTDevice(element.GetProperty("address").GetString()!)
        {
            Name = Optional(element, "name"),
            Profile = (DeviceProfile)Enum.Parse(typeof(DeviceProfile), element.GetProperty("profile").GetString()!),
        };

    private static RuleResult ReadResult(JsonElement element, IReadOnlyDictionary<string, IoTDevice> devices)
    {
        var measures = element.GetProperty("measures").EnumerateArray().Select(m => m.GetString()!).ToArray();
        var severity = (Severity)Enum.Parse(typeof(Severity), element.GetProperty("severity").GetString()!);
        var info = new BaselineRuleInfo(
            element.GetProperty("ruleId").GetString()!,
            element.GetProperty("title").GetString()!,
            severity,
            element.GetProperty("remediation").GetString()!,
            measures);
        var outcome = (RuleOutcome)Enum.Parse(typeof(RuleOutcome), element.GetProperty("outcome").GetString()!);
        var address = element.GetProperty("deviceAddress").GetString()!;
        return new RuleResult(address, Optional(element, "deviceName"), info, outcome,
            element.GetProperty("evidence").GetString()!)
        {
            CheckedAt = DateTimeOffset.Parse(element.GetProperty("checkedAt").GetString()!,
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            Device = devices.TryGetValue(address, out var device) ? device : null,
        };
    }

    private static string? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static void WriteText(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
