using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace IoTAdmin.Engine.Snmp;

/// <summary>Expands IPv4 CIDR ranges into the host addresses an SNMP sweep probes.</summary>
public static class SnmpSubnets
{
    /// <summary>The shortest prefix accepted: a /16 is 65,534 hosts, larger ranges are refused.</summary>
    public const int ShortestPrefix = 16;

    /// <summary>
    /// Returns the distinct host addresses of the ranges in order. A bare address counts as /32. From
    /// /24 upwards the network and broadcast addresses are skipped, as no device answers on them.
    /// </summary>
    /// <exception cref="ArgumentException">A range is malformed, not IPv4, or larger than /16.</exception>
    public static IReadOnlyList<IPAddress> Expand(IEnumerable<string> subnets)
    {
        var seen = new HashSet<uint>();
        var addresses = new List<IPAddress>();
        foreach (var subnet in subnets)
        {
            var (network, prefix) = Parse(subnet);
            foreach (var host in Hosts(network, prefix))
            {
                if (seen.Add(host))
                {
                    addresses.Add(ToAddress(host));
                }
            }
        }

        return addresses;
    }

    private static IEnumerable<uint> Hosts(uint network, int prefix)
    {
        var size = 1UL << (32 - prefix);
        var skipEdges = prefix <= 24;
        var first = skipEdges ? 1UL : 0UL;
        var last = skipEdges ? size - 2 : size - 1;
        for (var offset = first; offset <= last; offset++)
        {
            yield return (uint)(network + offset);
        }
    }

    private static (uint Network, int Prefix) Parse(string subnet)
    {
        var parts = (subnet ?? string.Empty).Trim().Split('/');
        if (parts.Length > 2
            || !IPAddress.TryParse(parts[0], out var address)
            || address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"'{subnet}' is not an IPv4 range such as 192.168.1.0/24.", nameof(subnet));
        }

        var prefix = 32;
        if (parts.Length == 2
            && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > 32))
        {
            throw new ArgumentException($"'{subnet}' has no valid prefix length (0..32).", nameof(subnet));
        }

        if (prefix < ShortestPrefix)
        {
            throw new ArgumentException(
                $"'{subnet}' is larger than /{ShortestPrefix}; split it into /{ShortestPrefix} ranges or smaller.",
                nameof(subnet));
        }

        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return (ToNumber(address) & mask, prefix);
    }

    private static uint ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    private static IPAddress ToAddress(uint number) =>
        new IPAddress(new[] { (byte)(number >> 24), (byte)(number >> 16), (byte)(number >> 8), (byte)number });
}
