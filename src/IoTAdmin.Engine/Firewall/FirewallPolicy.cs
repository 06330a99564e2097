using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Firewall;

/// <summary>An IPv4 address or CIDR block, parsed and normalised so it can be written into a ruleset.</summary>
public sealed class Ipv4Network
{
    private Ipv4Network(IPAddress address, int prefix)
    {
        Address = address;
        Prefix = prefix;
    }

    public IPAddress Address { get; }

    public int Prefix { get; }

    /// <exception cref="FormatException">The text is no IPv4 address or CIDR block.</exception>
    public static Ipv4Network Parse(string text)
    {
        var trimmed = (text ?? string.Empty).Trim();
        var slash = trimmed.IndexOf('/');
        var addressText = slash < 0 ? trimmed : trimmed.Substring(0, slash);
        var prefix = 32;
        if (!IPAddress.TryParse(addressText, out var address) || address.AddressFamily
            != System.Net.Sockets.AddressFamily.InterNetwork || addressText.Count(c => c == '.') != 3
            || (slash >= 0 && (!int.TryParse(trimmed.Substring(slash + 1), NumberStyles.None,
                CultureInfo.InvariantCulture, out prefix) || prefix > 32)))
        {
            throw new FormatException($"'{text}' is not an IPv4 address or CIDR block such as 10.1.2.0/24.");
        }

        return new Ipv4Network(Mask(address, prefix), prefix);
    }

    public override string ToString() => Prefix == 32 ? Address.ToString() : $"{Address}/{Prefix}";

    /// <summary>Whether <paramref name="address"/> lies in this block.</summary>
    public bool Contains(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
        && Mask(address, Prefix).Equals(Address);

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < 32; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }
}

/// <summary>A destination devices may reach: a host or block and a port, e.g. an update server on 443.</summary>
public sealed class AllowedDestination
{
    public AllowedDestination(Ipv4Network network, int port, string protocol)
    {
        Network = network;
        Port = port;
        Protocol = protocol;
    }

    public Ipv4Network Network { get; }

    public int Port { get; }

    /// <summary>tcp or udp.</summary>
    public string Protocol { get; }

    /// <summary>Parses "203.0.113.5", "203.0.113.0/24:8443" or "198.51.100.7:123/udp"; TCP 443 by default.</summary>
    /// <exception cref="FormatException">The text cannot be read.</exception>
    public static AllowedDestination Parse(string text)
    {
        var rest = (text ?? string.Empty).Trim();
        var protocol = "tcp";
        foreach (var suffix in new[] { "/udp", "/tcp" })
        {
            if (rest.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                protocol = suffix.Substring(1);
                rest = rest.Substring(0, rest.Length - suffix.Length);
            }
        }

        var colon = rest.LastIndexOf(':');
        var port = 443;
        if (colon >= 0 && (!int.TryParse(rest.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture,
            out port) || port < 1 || port > 65535))
        {
            throw new FormatException($"'{text}' has no valid port; write it as address[/prefix][:port][/udp].");
        }

        return new AllowedDestination(Ipv4Network.Parse(colon >= 0 ? rest.Substring(0, colon) : rest), port, protocol);
    }
}

/// <summary>One device of the policy: its address and the ports management hosts may reach on it.</summary>
public sealed class FirewallDevice
{
    public FirewallDevice(Ipv4Network address, string? name, IReadOnlyList<int> tcpPorts, IReadOnlyList<int> udpPorts)
    {
        Address = address;
        Name = name;
        TcpPorts = tcpPorts;
        UdpPorts = udpPorts;
    }

    public Ipv4Network Address { get; }

    public string? Name { get; }

    public IReadOnlyList<int> TcpPorts { get; }

    public IReadOnlyList<int> UdpPorts { get; }
}

/// <summary>
/// The allow-list of SYS.4.4.M5 and M12 for an IoT segment: management hosts may reach each device
/// on its administration ports, devices may reach the management hosts and the update servers, and
/// everything else to or from a device is dropped; Telnet towards a device is dropped and logged
/// whoever asks.
/// </summary>
public sealed class FirewallPolicy
{
    /// <summary>Ports management hosts may use on devices whose services are unknown.</summary>
    public static readonly IReadOnlyList<int> DefaultManagementPorts = new[] { 22, 443 };

    private static readonly string[] s_neverAllowed = { "telnet" };

    public List<FirewallDevice> Devices { get; } = new List<FirewallDevice>();

    public List<Ipv4Network> ManagementHosts { get; } = new List<Ipv4Network>();

    public List<AllowedDestination> UpdateServers { get; } = new List<AllowedDestination>();

    /// <summary>
    /// A device entry from inventory: its known TCP and UDP services (Telnet never) and always the
    /// <paramref name="managementPorts"/> over TCP. Discovery rarely hears of SSH (mDNS and SSDP do not
    /// announce it), and an allow-list without it would cut the administrators off.
    /// </summary>
    public static FirewallDevice FromInventory(IoTDevice device, IReadOnlyList<int> managementPorts)
    {
        var allowed = device.Services
            .Where(s => !s_neverAllowed.Contains(s.Name, StringComparer.OrdinalIgnoreCase) && s.Port != 23)
            .Where(s => s.Name != "mdns" && s.Name != "ssdp")
            .ToList();
        var tcp = PortsOf(allowed, ServiceTransport.Tcp).Concat(managementPorts.Where(p => p != 23))
            .Distinct().OrderBy(p => p).ToList();
        var udp = PortsOf(allowed, ServiceTransport.Udp);
        return new FirewallDevice(Ipv4Network.Parse(device.Address), device.Name, tcp, udp);
    }

    private static List<int> PortsOf(IEnumerable<DeviceService> services, ServiceTransport transport) =>
        services.Where(s => s.Transport == transport).Select(s => s.Port).Distinct().OrderBy(p => p).ToList();

    /// <summary>A device name reduced to characters safe inside a ruleset comment.</summary>
    internal static string SafeComment(string? text)
    {
        var builder = new StringBuilder();
        foreach (var c in (text ?? string.Empty).Take(60))
        {
            var safe = (char.IsLetterOrDigit(c) && c < 128) || c == ' ' || c == '.' || c == '-' || c == '_';
            builder.Append(safe ? c : '_');
        }

        return builder.ToString();
    }

    internal void Validate()
    {
        if (Devices.Count == 0)
        {
            throw new InvalidOperationException("The firewall policy names no device.");
        }
    }
}
