using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace IoTAdmin.Engine.Firewall;

/// <summary>The file formats a policy can be written in.</summary>
public enum FirewallFormat
{
    /// <summary>An nftables script for `nft -f` (its own table inet iotadmin, replaced on each load).</summary>
    Nftables,

    /// <summary>An iptables-restore file for `iptables-restore --noflush` (own chains, one hook in FORWARD).</summary>
    IptablesRestore,
}

/// <summary>
/// Writes a <see cref="FirewallPolicy"/> as a ruleset for a Linux firewall or router that forwards
/// between the IoT segment and the rest. Only traffic to or from a listed device is filtered;
/// everything else passes this ruleset untouched. Every value written was parsed first, so nothing
/// from inventory can inject rules.
/// </summary>
public static class FirewallRulesetWriter
{
    private const string Table = "iotadmin";

    public static string Write(FirewallPolicy policy, FirewallFormat format, DateTimeOffset generated)
    {
        policy.Validate();
        return format == FirewallFormat.Nftables ? Nftables(policy, generated) : Iptables(policy, generated);
    }

    /// <summary>
    /// A ruleset for a segment whose last device was retired: loading it takes IoTAdmin's rules away
    /// (nftables: deletes its table; iptables-restore --noflush: empties its chains).
    /// </summary>
    public static string WriteWithoutDevices(FirewallFormat format, DateTimeOffset generated)
    {
        var text = new StringBuilder();
        if (format == FirewallFormat.Nftables)
        {
            text.AppendLine("#!/usr/sbin/nft -f");
        }

        text.AppendLine(Header(generated));
        text.AppendLine("# No device is left in this allow-list: loading it removes IoTAdmin's rules.");
        if (format == FirewallFormat.Nftables)
        {
            text.AppendLine($"table inet {Table}");
            text.AppendLine($"delete table inet {Table}");
            return text.ToString();
        }

        AppendIptablesChains(text);
        text.AppendLine("COMMIT");
        return text.ToString();
    }

    /// <summary>Declaring a chain in an iptables-restore file empties it, even under --noflush.</summary>
    private static void AppendIptablesChains(StringBuilder text)
    {
        text.AppendLine("*filter");
        text.AppendLine(":IOTADMIN-FORWARD - [0:0]");
        text.AppendLine(":IOTADMIN-TO-IOT - [0:0]");
        text.AppendLine(":IOTADMIN-FROM-IOT - [0:0]");
    }

    private static string Nftables(FirewallPolicy policy, DateTimeOffset generated)
    {
        var text = new StringBuilder();
        text.AppendLine("#!/usr/sbin/nft -f");
        text.AppendLine(Header(generated));
        text.AppendLine($"table inet {Table}");
        text.AppendLine($"delete table inet {Table}");
        text.AppendLine($"table inet {Table} {{");
        text.AppendLine(Set("iot_devices", policy.Devices.Select(d => d.Address)));
        if (policy.ManagementHosts.Count > 0)
        {
            text.AppendLine(Set("management_hosts", policy.ManagementHosts));
        }

        text.AppendLine("    chain forward {");
        text.AppendLine("        type filter hook forward priority filter; policy accept;");
        text.AppendLine("        ip daddr @iot_devices jump to_iot");
        text.AppendLine("        ip saddr @iot_devices jump from_iot");
        text.AppendLine("    }");
        AppendNftToIot(text, policy);
        AppendNftFromIot(text, policy);
        text.AppendLine("}");
        return text.ToString();
    }

    private static void AppendNftToIot(StringBuilder text, FirewallPolicy policy)
    {
        text.AppendLine("    chain to_iot {");
        text.AppendLine("        ct state established,related accept");
        text.AppendLine("        tcp dport 23 counter log prefix \"iotadmin telnet \" drop "
            + "comment \"SYS.4.4.M5: no Telnet\"");
        foreach (var device in policy.Devices.Where(_ => policy.ManagementHosts.Count > 0))
        {
            var comment = $" comment \"{FirewallPolicy.SafeComment(device.Name ?? device.Address.ToString())}\"";
            if (device.TcpPorts.Count > 0)
            {
                text.AppendLine($"        ip saddr @management_hosts ip daddr {device.Address} tcp dport {{ "
                    + $"{string.Join(", ", device.TcpPorts)} }} accept{comment}");
            }

            if (device.UdpPorts.Count > 0)
            {
                text.AppendLine($"        ip saddr @management_hosts ip daddr {device.Address} udp dport {{ "
                    + $"{string.Join(", ", device.UdpPorts)} }} accept{comment}");
            }
        }

        text.AppendLine("        counter drop");
        text.AppendLine("    }");
    }

    private static void AppendNftFromIot(StringBuilder text, FirewallPolicy policy)
    {
        text.AppendLine("    chain from_iot {");
        text.AppendLine("        ct state established,related accept");
        if (policy.ManagementHosts.Count > 0)
        {
            text.AppendLine("        ip daddr @management_hosts accept comment \"SYS.4.4.M12: management system\"");
        }

        foreach (var server in policy.UpdateServers)
        {
            text.AppendLine($"        ip daddr {server.Network} {server.Protocol} dport {server.Port} accept "
                + "comment \"update server\"");
        }

        text.AppendLine("        counter drop");
        text.AppendLine("    }");
    }

    private static string Iptables(FirewallPolicy policy, DateTimeOffset generated)
    {
        var text = new StringBuilder();
        text.AppendLine(Header(generated));
        AppendIptablesChains(text);

        // The per-device jumps live in a chain of ours, which each load empties first, so a device taken out
        // of the policy loses its jumps too; FORWARD itself gets only the one hook into that chain.
        text.AppendLine("-A FORWARD -j IOTADMIN-FORWARD");
        foreach (var device in policy.Devices)
        {
            text.AppendLine($"-A IOTADMIN-FORWARD -d {Cidr(device.Address)} -j IOTADMIN-TO-IOT");
            text.AppendLine($"-A IOTADMIN-FORWARD -s {Cidr(device.Address)} -j IOTADMIN-FROM-IOT");
        }

        text.AppendLine("-A IOTADMIN-TO-IOT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
        text.AppendLine("-A IOTADMIN-TO-IOT -p tcp --dport 23 -j LOG --log-prefix \"iotadmin telnet \"");
        text.AppendLine("-A IOTADMIN-TO-IOT -p tcp --dport 23 -j DROP");
        foreach (var management in policy.ManagementHosts)
        {
            foreach (var device in policy.Devices)
            {
                AppendIptablesPorts(text, management, device, "tcp", device.TcpPorts);
                AppendIptablesPorts(text, management, device, "udp", device.UdpPorts);
            }
        }

        text.AppendLine("-A IOTADMIN-TO-IOT -j DROP");
        text.AppendLine("-A IOTADMIN-FROM-IOT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
        foreach (var management in policy.ManagementHosts)
        {
            text.AppendLine($"-A IOTADMIN-FROM-IOT -d {Cidr(management)} -j ACCEPT");
        }

        foreach (var server in policy.UpdateServers)
        {
            text.AppendLine($"-A IOTADMIN-FROM-IOT -d {Cidr(server.Network)} -p {server.Protocol} "
                + $"--dport {server.Port} -j ACCEPT");
        }

        text.AppendLine("-A IOTADMIN-FROM-IOT -j DROP");
        text.AppendLine("COMMIT");
        return text.ToString();
    }

    private static void AppendIptablesPorts(StringBuilder text, Ipv4Network management, FirewallDevice device,
        string protocol, IReadOnlyList<int> ports)
    {
        // multiport takes at most 15 ports per rule.
        for (var start = 0; start < ports.Count; start += 15)
        {
            var chunk = string.Join(",", ports.Skip(start).Take(15));
            text.AppendLine($"-A IOTADMIN-TO-IOT -s {Cidr(management)} -d {Cidr(device.Address)} -p {protocol} "
                + $"-m multiport --dports {chunk} -j ACCEPT");
        }
    }

    private static string Header(DateTimeOffset generated) =>
        "# IoT allow-list (BSI IT-Grundschutz SYS.4.4.M5, M12) written by IoTAdmin Export-IoTFirewallRule on "
        + generated.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    // Intervals because devices and hosts may be blocks; auto-merge because blocks may overlap.
    private static string Set(string name, IEnumerable<Ipv4Network> networks) =>
        $"    set {name} {{ type ipv4_addr; flags interval; auto-merge; elements = {{ "
        + string.Join(", ", networks.Select(n => n.ToString()).Distinct()) + " } }";

    private static string Cidr(Ipv4Network network) => $"{network.Address}/{network.Prefix}";
}
