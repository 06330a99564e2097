using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;

namespace IoTAdmin.Engine.Traffic;

/// <summary>
/// One allowed destination: a network, optionally ports and a protocol. Written as '10.47.0.1',
/// '10.47.0.0/24:22,161', 'udp:192.0.2.10:123', 'tcp:[2001:db8::/32]:443' or '192.0.2.0/24:8000-8100'.
/// </summary>
public sealed class AllowRule
{
    private readonly List<(int From, int To)> _ports;

    private AllowRule(string text, IpNetwork network, string? protocol, List<(int, int)> ports)
    {
        Text = text;
        Network = network;
        Protocol = protocol;
        _ports = ports;
    }

    public string Text { get; }

    public IpNetwork Network { get; }

    public string? Protocol { get; }

    public static AllowRule Parse(string text)
    {
        var rest = text.Trim();
        string? protocol = null;
        foreach (var name in new[] { "tcp", "udp", "icmp", "sctp" })
        {
            if (rest.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            {
                protocol = name;
                rest = rest.Substring(name.Length + 1);
            }
        }

        string host;
        string? ports = null;
        if (rest.StartsWith("[", StringComparison.Ordinal))
        {
            var close = rest.IndexOf(']');
            if (close < 0)
            {
                throw new FormatException($"'{text}' opens '[' without closing it.");
            }

            host = rest.Substring(1, close - 1);
            ports = close + 1 < rest.Length && rest[close + 1] == ':' ? rest.Substring(close + 2) : null;
        }
        else
        {
            var colons = rest.Count(c => c == ':');
            var split = colons == 1 ? rest.IndexOf(':') : -1;
            host = split < 0 ? rest : rest.Substring(0, split);
            ports = split < 0 ? null : rest.Substring(split + 1);
        }

        return new AllowRule(text.Trim(), IpNetwork.Parse(host), protocol, ParsePorts(ports, text));
    }

    public bool Allows(FlowRecord flow) =>
        Network.Contains(flow.Destination)
        && (Protocol is null || string.Equals(Protocol, flow.Protocol, StringComparison.OrdinalIgnoreCase))
        && (_ports.Count == 0 || _ports.Any(p => flow.DestinationPort >= p.From && flow.DestinationPort <= p.To));

    public override string ToString() => Text;

    private static List<(int, int)> ParsePorts(string? ports, string text)
    {
        var list = new List<(int, int)>();
        if (string.IsNullOrEmpty(ports))
        {
            return list;
        }

        foreach (var part in ports!.Split(','))
        {
            var range = part.Split('-');
            var from = Port(range[0], text);
            var to = range.Length == 2 ? Port(range[1], text) : from;
            if (range.Length > 2 || to < from)
            {
                throw new FormatException($"'{part}' in '{text}' is not a port or port range.");
            }

            list.Add((from, to));
        }

        return list;
    }

    private static int Port(string text, string rule) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new FormatException($"'{text}' in '{rule}' is not a port number.");
}

/// <summary>An IoT device (or a network of them) whose outgoing flows are judged.</summary>
public sealed class PolicyDevice
{
    public PolicyDevice(IpNetwork network, string profile, string name)
    {
        Network = network;
        Profile = string.IsNullOrEmpty(profile) ? "General" : profile;
        Name = name ?? string.Empty;
    }

    public IpNetwork Network { get; }

    public string Profile { get; }

    public string Name { get; }
}

/// <summary>
/// Which devices are judged and where each may connect: rules for everyone, per profile (Camera, Gateway...)
/// and per device address. A flow from a device is allowed when any rule for it matches its destination,
/// port and protocol (SYS.4.4 M12, M17); flows from other hosts are not judged.
/// </summary>
public sealed class TrafficPolicy
{
    private readonly Dictionary<IPAddress, PolicyDevice> _hosts = new();
    private readonly List<PolicyDevice> _networks = new();
    private readonly Dictionary<string, List<AllowRule>> _byProfile = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<IPAddress, List<AllowRule>> _byDevice = new();

    public List<AllowRule> Everyone { get; } = new List<AllowRule>();

    public int DeviceCount => _hosts.Count + _networks.Count;

    public void AddDevice(PolicyDevice device)
    {
        var single = device.Network.PrefixLength == (device.Network.Address.GetAddressBytes().Length * 8);
        if (single)
        {
            _hosts[device.Network.Address] = device;
        }
        else
        {
            _networks.Add(device);
        }
    }

    public void AllowForProfile(string profile, AllowRule rule) => Add(_byProfile, profile, rule);

    public void AllowForDevice(IPAddress device, AllowRule rule) => Add(_byDevice, device, rule);

    public PolicyDevice? FindDevice(IPAddress address)
    {
        if (_hosts.TryGetValue(address, out var device))
        {
            return device;
        }

        foreach (var network in _networks)
        {
            if (network.Network.Contains(address))
            {
                return network;
            }
        }

        return null;
    }

    /// <summary>The rules that apply to a device, most specific first.</summary>
    public IEnumerable<AllowRule> RulesFor(PolicyDevice device, IPAddress address)
    {
        var own = _byDevice.TryGetValue(address, out var d) ? d : Enumerable.Empty<AllowRule>();
        var profile = _byProfile.TryGetValue(device.Profile, out var p) ? p : Enumerable.Empty<AllowRule>();
        return own.Concat(profile).Concat(Everyone);
    }

    public AllowRule? FindAllowing(PolicyDevice device, FlowRecord flow)
    {
        foreach (var rule in RulesFor(device, flow.Source))
        {
            if (rule.Allows(flow))
            {
                return rule;
            }
        }

        return null;
    }

    private static void Add<TKey>(Dictionary<TKey, List<AllowRule>> map, TKey key, AllowRule rule)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = new List<AllowRule>();
        }

        list.Add(rule);
    }
}
