using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace IoTAdmin.Engine.Exposure;

/// <summary>
/// The TCP ports IoT devices most often expose, most frequent first, and the parser for port lists
/// such as "22,80,8000-8100".
/// </summary>
public static class IoTPortSets
{
    /// <summary>Most TCP ports a single scan accepts, so a typo cannot start a 65535-port sweep per host.</summary>
    public const int MaxPortsPerScan = 65535;

    // Ordered by how often the port is found open on cameras, controllers, gateways and hubs in
    // public internet-wide surveys of IoT devices; administration and legacy services come first.
    private static readonly int[] s_topTcp =
    {
        80, 23, 443, 22, 554, 8080, 1883, 8443, 5000, 8000,
        21, 2323, 8081, 49152, 8883, 161, 2222, 1022, 8554, 37777,
        34567, 9000, 81, 8888, 502, 47808, 102, 20000, 1900, 5683,
        4443, 7547, 8291, 9100, 10001, 5001, 8089, 88, 631, 3000,
        8088, 8181, 9001, 6668, 5555, 4840, 1911, 2404, 44818, 18245,
    };

    /// <summary>The top-N IoT TCP ports (N from 1 to the size of the set).</summary>
    public static IReadOnlyList<int> TopTcp(int count)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Ask for at least one port.");
        }

        return s_topTcp.Take(Math.Min(count, s_topTcp.Length)).ToList();
    }

    /// <summary>How many ports the top-N set holds.</summary>
    public static int TopTcpSize => s_topTcp.Length;

    /// <summary>Parses "22", "8000-8100" and comma-separated mixtures into distinct ports in order.</summary>
    /// <exception cref="FormatException">A part is not a port or a range of ports.</exception>
    public static IReadOnlyList<int> Parse(string text)
    {
        var ports = new List<int>();
        var seen = new HashSet<int>();
        foreach (var part in (text ?? string.Empty).Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var (first, last) = ParseRange(part.Trim());
            for (var port = first; port <= last; port++)
            {
                if (seen.Add(port))
                {
                    ports.Add(port);
                }
            }
        }

        if (ports.Count == 0)
        {
            throw new FormatException($"'{text}' names no port.");
        }

        return ports;
    }

    private static (int First, int Last) ParseRange(string part)
    {
        var dash = part.IndexOf('-');
        if (dash < 0)
        {
            var single = ParsePort(part, part);
            return (single, single);
        }

        var first = ParsePort(part.Substring(0, dash), part);
        var last = ParsePort(part.Substring(dash + 1), part);
        if (last < first)
        {
            throw new FormatException($"The range '{part}' ends before it starts.");
        }

        return (first, last);
    }

    private static int ParsePort(string text, string part)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port < 1 || port > 65535)
        {
            throw new FormatException($"'{part}' is not a TCP port or range (1-65535).");
        }

        return port;
    }
}
