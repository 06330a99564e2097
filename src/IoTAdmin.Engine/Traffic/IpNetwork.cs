using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace IoTAdmin.Engine.Traffic;

/// <summary>An IPv4 or IPv6 network in CIDR form; a bare address is a /32 or /128.</summary>
public sealed class IpNetwork
{
    private readonly byte[] _prefix;

    public IpNetwork(IPAddress address, int prefixLength)
    {
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefixLength < 0 || prefixLength > bits)
        {
            throw new FormatException($"/{prefixLength} is not a prefix length for {address}.");
        }

        Address = address;
        PrefixLength = prefixLength;
        _prefix = address.GetAddressBytes();
    }

    public IPAddress Address { get; }

    public int PrefixLength { get; }

    public static IpNetwork Parse(string text)
    {
        var trimmed = text.Trim();
        var slash = trimmed.IndexOf('/');
        var addressText = slash < 0 ? trimmed : trimmed.Substring(0, slash);
        if (!IPAddress.TryParse(addressText, out var address))
        {
            throw new FormatException($"'{text}' is not an IP address or CIDR network.");
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0)
        {
            return new IpNetwork(address, bits);
        }

        var lengthText = trimmed.Substring(slash + 1);
        if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new FormatException($"'{text}' has no valid prefix length.");
        }

        return new IpNetwork(address, length);
    }

    public bool Contains(IPAddress candidate)
    {
        if (candidate.IsIPv4MappedToIPv6)
        {
            candidate = candidate.MapToIPv4();
        }

        if (candidate.AddressFamily != Address.AddressFamily)
        {
            return false;
        }

        var bytes = candidate.GetAddressBytes();
        var whole = PrefixLength / 8;
        for (var i = 0; i < whole; i++)
        {
            if (bytes[i] != _prefix[i])
            {
                return false;
            }
        }

        var rest = PrefixLength % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (bytes[whole] & mask) == (_prefix[whole] & mask);
    }

    public override string ToString() => $"{Address}/{PrefixLength}";
}
