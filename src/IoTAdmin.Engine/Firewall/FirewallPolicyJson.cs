using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace IoTAdmin.Engine.Firewall;

/// <summary>
/// A firewall policy as JSON, so that an exported ruleset can be written again later without one of its
/// devices (decommissioning, SYS.4.4 M20) from exactly the inputs it was made from.
/// </summary>
public static class FirewallPolicyJson
{
    public static string Write(FirewallPolicy policy) =>
        JsonSerializer.Serialize(new
        {
            devices = policy.Devices.Select(d => new
            {
                address = d.Address.ToString(),
                name = d.Name,
                tcp = d.TcpPorts,
                udp = d.UdpPorts,
            }),
            managementHosts = policy.ManagementHosts.Select(n => n.ToString()),
            updateServers = policy.UpdateServers.Select(s => $"{s.Network}:{s.Port}/{s.Protocol}"),
        });

    /// <summary>Reads a policy written by <see cref="Write"/>; every value is parsed again as on input.</summary>
    /// <exception cref="FormatException">The text is no policy of this shape.</exception>
    public static FirewallPolicy Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var policy = new FirewallPolicy();
            foreach (var device in root.GetProperty("devices").EnumerateArray())
            {
                policy.Devices.Add(new FirewallDevice(Ipv4Network.Parse(device.GetProperty("address").GetString()!),
                    device.GetProperty("name").GetString(), Ports(device, "tcp"), Ports(device, "udp")));
            }

            policy.ManagementHosts.AddRange(Texts(root, "managementHosts").Select(Ipv4Network.Parse));
            policy.UpdateServers.AddRange(Texts(root, "updateServers").Select(AllowedDestination.Parse));
            return policy;
        }
        catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException
            || ex is KeyNotFoundException || ex is ArgumentNullException)
        {
            throw new FormatException("The recorded firewall policy is not readable: " + ex.Message, ex);
        }
    }

    private static List<int> Ports(JsonElement device, string name) =>
        device.GetProperty(name).EnumerateArray().Select(p => CheckedPort(p.GetInt32())).ToList();

    private static int CheckedPort(int port) =>
        port is >= 1 and <= 65535 ? port : throw new FormatException($"{port} is not a port number.");

    private static IEnumerable<string> Texts(JsonElement root, string name) =>
        root.GetProperty(name).EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList();
}
