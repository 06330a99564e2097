using System;
using System.Text;

namespace IoTAdmin.Engine.Discovery.Ssdp;

/// <summary>
/// A tolerant reader of SSDP datagrams (BR-22): header names in any case, blanks around ':',
/// empty values, a datagram that ends without the blank line, unknown headers kept. Anything that
/// does not start like an HTTP response or NOTIFY is rejected with <see cref="SsdpFormatException"/>.
/// </summary>
public static class SsdpResponseParser
{
    public const int MaxDatagramBytes = 8192;
    private const int MaxHeaders = 64;

    public static SsdpResponse Parse(byte[] datagram)
    {
        if (datagram is null)
        {
            throw new ArgumentNullException(nameof(datagram));
        }

        if (datagram.Length > MaxDatagramBytes)
        {
            throw new SsdpFormatException($"Datagram of {datagram.Length} bytes is too large for SSDP.");
        }

        // Latin-1 maps every byte to a character, so junk bytes cannot make decoding fail.
        return Parse(Encoding.GetEncoding("ISO-8859-1").GetString(datagram));
    }

    public static SsdpResponse Parse(string text)
    {
        var lines = text.Split('\n');
        var startLine = lines[0].Trim();
        if (!IsSsdpStartLine(startLine))
        {
            throw new SsdpFormatException($"Not an SSDP response or NOTIFY: '{Printable(startLine)}'.");
        }

        var response = new SsdpResponse(startLine);
        string? lastName = null;
        for (var i = 1; i < lines.Length && response.Headers.Count < MaxHeaders; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                break;
            }

            lastName = AddHeaderLine(response, line, lastName);
        }

        return response;
    }

    private static string? AddHeaderLine(SsdpResponse response, string line, string? lastName)
    {
        // An indented line continues the previous header (obsolete folding, still seen in the field).
        if ((line[0] == ' ' || line[0] == '\t') && lastName is not null)
        {
            response.Headers[lastName] = (response.Headers[lastName] + " " + line.Trim()).Trim();
            return lastName;
        }

        var colon = line.IndexOf(':');
        if (colon <= 0)
        {
            return lastName;
        }

        var name = line.Substring(0, colon).Trim();
        if (!response.Headers.ContainsKey(name))
        {
            response.Headers[name] = line.Substring(colon + 1).Trim();
        }

        return name;
    }

    private static bool IsSsdpStartLine(string line)
    {
        if (line.StartsWith("HTTP/", StringComparison.OrdinalIgnoreCase))
        {
            var parts = line.Split(new[] { ' ' }, 3, StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 2 && parts[1] == "200";
        }

        return line.StartsWith("NOTIFY ", StringComparison.OrdinalIgnoreCase)
            && line.EndsWith("HTTP/1.1", StringComparison.OrdinalIgnoreCase);
    }

    private static string Printable(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Length > 40 ? text.Substring(0, 40) : text)
        {
            builder.Append(c >= ' ' && c < 127 ? c : '.');
        }

        return builder.ToString();
    }
}
