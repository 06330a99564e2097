using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IoTAdmin.Engine.Discovery.Ssdp;

/// <summary>
/// One SSDP datagram (a search response or a NOTIFY) with its headers. Header names are looked up
/// case-insensitively; every header is kept, including unknown and empty ones.
/// </summary>
public sealed class SsdpResponse
{
    private static readonly Regex s_maxAge = new Regex(@"max-age\s*=\s*(\d{1,9})", RegexOptions.IgnoreCase);

    internal SsdpResponse(string startLine)
    {
        StartLine = startLine;
    }

    /// <summary>"HTTP/1.1 200 OK" or "NOTIFY * HTTP/1.1".</summary>
    public string StartLine { get; }

    public IDictionary<string, string> Headers { get; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public bool IsNotify => StartLine.StartsWith("NOTIFY", StringComparison.OrdinalIgnoreCase);

    public string? Location => Header("LOCATION");

    public string? Server => Header("SERVER");

    /// <summary>The search target (ST) of a response or the notification type (NT) of a NOTIFY.</summary>
    public string? SearchTarget => Header("ST") ?? Header("NT");

    public string? UniqueServiceName => Header("USN");

    public int? MaxAgeSeconds
    {
        get
        {
            var match = s_maxAge.Match(Header("CACHE-CONTROL") ?? string.Empty);
            return match.Success ? int.Parse(match.Groups[1].Value) : (int?)null;
        }
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
