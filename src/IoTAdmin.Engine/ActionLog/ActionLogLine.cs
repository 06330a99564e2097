using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>
/// The text form of one entry: a JSON object on one line whose last member is "mac". The MAC covers the
/// exact bytes of the line before that member (closed with '}'), so checking it needs no canonical
/// re-serialisation; the chain hash is the SHA-256 of the whole line.
/// </summary>
internal static class ActionLogLine
{
    public const string EntryDomain = "iotadmin-action-log-entry-v1";
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";
    private const string MacMember = ",\"mac\":\"";
    private const int MaxMessageLength = 2048;

    public static string Format(ActionLogEntry entry, ActionLogKey key)
    {
        var body = Body(entry);
        entry.Mac = key.Sign(EntryDomain, body);
        return body.Substring(0, body.Length - 1) + MacMember + entry.Mac + "\"}";
    }

    public static string HashOf(string line)
    {
        using var sha = SHA256.Create();
        return Hex.Encode(sha.ComputeHash(Encoding.UTF8.GetBytes(line)));
    }

    /// <summary>Splits a line into the signed body and its MAC; false when the line has no MAC member.</summary>
    public static bool TrySplit(string line, out string body, out string mac)
    {
        body = mac = string.Empty;
        var at = line.LastIndexOf(MacMember, StringComparison.Ordinal);
        if (at < 0 || !line.EndsWith("\"}", StringComparison.Ordinal))
        {
            return false;
        }

        mac = line.Substring(at + MacMember.Length, line.Length - at - MacMember.Length - 2);
        body = line.Substring(0, at) + "}";
        return Hex.IsDigest(mac);
    }

    /// <summary>Reads the fields of a line; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static ActionLogEntry Parse(string line)
    {
        if (!TrySplit(line, out _, out var mac))
        {
            throw new FormatException("the line does not end with a \"mac\" member of 64 hex digits");
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            return FromJson(document.RootElement, mac);
        }
        catch (JsonException ex)
        {
            throw new FormatException("the line is not a JSON object: " + ex.Message, ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException("a member has the wrong type: " + ex.Message, ex);
        }
        catch (KeyNotFoundException ex)
        {
            throw new FormatException("a required member is missing", ex);
        }
    }

    private static ActionLogEntry FromJson(JsonElement root, string mac)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in root.GetProperty("params").EnumerateObject())
        {
            parameters[member.Name] = member.Value.GetString() ?? string.Empty;
        }

        return new ActionLogEntry
        {
            Sequence = root.GetProperty("seq").GetInt64(),
            Time = DateTimeOffset.Parse(root.GetProperty("time").GetString()!, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal),
            Actor = root.GetProperty("actor").GetString() ?? string.Empty,
            Host = root.GetProperty("host").GetString() ?? string.Empty,
            Device = root.GetProperty("device").GetString() ?? string.Empty,
            Action = root.GetProperty("action").GetString() ?? string.Empty,
            Parameters = parameters,
            Outcome = root.GetProperty("outcome").GetString() ?? string.Empty,
            Message = root.GetProperty("message").GetString() ?? string.Empty,
            PreviousHash = root.GetProperty("prev").GetString() ?? string.Empty,
            Mac = mac,
        };
    }

    private static string Body(ActionLogEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", entry.Sequence);
            json.WriteString("time", entry.Time.UtcDateTime.ToString("o", CultureInfo.InvariantCulture));
            json.WriteString("actor", entry.Actor);
            json.WriteString("host", entry.Host);
            json.WriteString("device", entry.Device);
            json.WriteString("action", entry.Action);
            json.WriteStartObject("params");
            foreach (var pair in entry.Parameters)
            {
                json.WriteString(pair.Key, pair.Value);
            }

            json.WriteEndObject();
            json.WriteString("outcome", entry.Outcome);
            json.WriteString("message", Cut(entry.Message));
            json.WriteString("prev", entry.PreviousHash);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Cut(string text) =>
        text.Length <= MaxMessageLength ? text : text.Substring(0, MaxMessageLength) + "...";
}
