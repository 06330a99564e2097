using System.Diagnostics;
using IoTAdmin.Engine.Firewall;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Tests.Probes;

namespace IoTAdmin.Engine.Tests.Exposure;

/// <summary>The firewall allow-list: parsing of its inputs, injection safety, and nft's own check.</summary>
public sealed class FirewallRulesetTests
{
    [Theory]
    [InlineData("10.1.2.3", "10.1.2.3")]
    [InlineData("10.1.2.77/24", "10.1.2.0/24")]
    [InlineData(" 192.168.0.0/16 ", "192.168.0.0/16")]
    public void Network_WithValidText_ShouldNormalise(string text, string expected)
    {
        Assert.Equal(expected, Ipv4Network.Parse(text).ToString());
    }

    [Theory]
    [InlineData("10.1.2")]
    [InlineData("10.1.2.3/33")]
    [InlineData("::1")]
    [InlineData("10.0.0.1; flush ruleset")]
    [InlineData("cam1.local")]
    public void Network_WithBadText_ShouldRefuse(string text)
    {
        Assert.Throws<FormatException>(() => Ipv4Network.Parse(text));
    }

    [Theory]
    [InlineData("203.0.113.5", "203.0.113.5", 443, "tcp")]
    [InlineData("198.51.100.0/24:8443", "198.51.100.0/24", 8443, "tcp")]
    [InlineData("192.0.2.10:123/udp", "192.0.2.10", 123, "udp")]
    public void Destination_WithValidText_ShouldReadPortAndProtocol(
        string text,
        string network,
        int port,
        string proto)
    {
        var destination = AllowedDestination.Parse(text);

        Assert.Equal((network, port, proto), (destination.Network.ToString(), destination.Port, destination.Protocol));
    }

    [Fact]
    public void Nftables_FromInventory_ShouldNeverAllowTelnetAndKeepHostileNamesInertInComments()
    {
        var camera = new IoTDevice("10.47.0.11") { Name = "cam\"; flush ruleset; #" };
        camera.AddService(new DeviceService("ssh", ServiceTransport.Tcp, 22, DiscoveryProtocol.Mdns));
        camera.AddService(new DeviceService("telnet", ServiceTransport.Tcp, 23, DiscoveryProtocol.Mdns));
        camera.AddService(new DeviceService("snmp", ServiceTransport.Udp, 161, DiscoveryProtocol.Snmp));
        var policy = new FirewallPolicy();
        policy.Devices.Add(FirewallPolicy.FromInventory(camera, FirewallPolicy.DefaultManagementPorts));
        policy.ManagementHosts.Add(Ipv4Network.Parse("10.47.0.1"));

        var ruleset = FirewallRulesetWriter.Write(policy, FirewallFormat.Nftables, DateTimeOffset.UnixEpoch);

        Assert.Contains("ip daddr 10.47.0.11 tcp dport { 22, 443 } accept", ruleset);
        Assert.Contains("ip daddr 10.47.0.11 udp dport { 161 } accept", ruleset);
        Assert.DoesNotContain("\"; flush", ruleset);
        Assert.Contains("comment \"cam__ flush ruleset_ _\"", ruleset);
        Assert.Equal(0, NftCheck(ruleset, out var output));
        Assert.True(output.Length == 0, output);
    }

    [Fact]
    public void Nftables_WithOverlappingBlocks_ShouldStillPassNftCheck()
    {
        var policy = new FirewallPolicy();
        var none = Array.Empty<int>();
        policy.Devices.Add(new FirewallDevice(Ipv4Network.Parse("10.47.0.0/24"), null, new[] { 443 }, none));
        policy.Devices.Add(new FirewallDevice(Ipv4Network.Parse("10.47.0.11"), null, new[] { 22 }, none));
        policy.ManagementHosts.Add(Ipv4Network.Parse("10.0.0.0/8"));
        policy.ManagementHosts.Add(Ipv4Network.Parse("10.1.1.1"));

        var ruleset = FirewallRulesetWriter.Write(policy, FirewallFormat.Nftables, DateTimeOffset.UnixEpoch);

        Assert.True(NftCheck(ruleset, out var output) == 0, output + ruleset);
    }

    // nft -c needs CAP_NET_ADMIN: the check runs in a network namespace of its own, never the host's.
    internal static int NftCheck(string ruleset, out string output)
    {
        var folder = DaemonProcess.TempFolder();
        var path = Path.Combine(folder, "ruleset.nft");
        File.WriteAllText(path, ruleset);
        DaemonProcess.Require("/usr/sbin/nft", "nftables");
        var info = new ProcessStartInfo(DaemonProcess.Require("/usr/bin/unshare", "util-linux"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--net", "/usr/sbin/nft", "-c", "-f", path })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit(30000);
        return process.ExitCode;
    }
}
