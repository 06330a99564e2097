using System.Diagnostics;
using IoTAdmin.Engine.Firewall;
using IoTAdmin.Engine.Inventory.Store;
using IoTAdmin.Engine.Tests.Probes;

namespace IoTAdmin.Engine.Tests.Exposure;

/// <summary>
/// Rulesets recorded at export and rewritten without a retired device (SYS.4.4 M20), each rewrite checked by
/// nft itself; files changed by hand, gone, or allowing a whole block are left to a human with a warning.
/// </summary>
public sealed class ExportedRulesetsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "iotadmin-fw-" + Guid.NewGuid().ToString("N"));
    private readonly InventoryStore _store;

    public ExportedRulesetsTests()
    {
        Directory.CreateDirectory(_folder);
        _store = InventoryStore.Open(Path.Combine(_folder, "inventory.db"), "tester");
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void RemoveDevice_ShouldRewriteTheRecordedRulesetWithoutItAndKeepTheOthers()
    {
        var path = Export("segment.nft", FirewallFormat.Nftables, "10.47.0.11", "10.47.0.12");

        var cleanup = ExportedRulesets.RemoveDevice(_store, "10.47.0.11", DateTimeOffset.UnixEpoch);

        var ruleset = File.ReadAllText(path);
        Assert.Equal(new[] { path }, cleanup.RewrittenFiles);
        Assert.Empty(cleanup.Warnings);
        Assert.DoesNotContain("10.47.0.11", ruleset);
        Assert.Contains("ip daddr 10.47.0.12 tcp dport { 22, 443 } accept", ruleset);
        Assert.Contains("udp dport 123 accept", ruleset);
        Assert.True(FirewallRulesetTests.NftCheck(ruleset, out var output) == 0, output + ruleset);
    }

    [Fact]
    public void RemoveDevice_OfTheLastDevice_ShouldLeaveARulesetThatTakesTheRulesAway()
    {
        var path = Export("one.nft", FirewallFormat.Nftables, "10.47.0.11", "10.47.0.12");
        ExportedRulesets.RemoveDevice(_store, "10.47.0.11", DateTimeOffset.UnixEpoch);

        // The second removal proves the record followed the first rewrite.
        var cleanup = ExportedRulesets.RemoveDevice(_store, "10.47.0.12", DateTimeOffset.UnixEpoch);

        var ruleset = File.ReadAllText(path);
        Assert.Equal(new[] { path }, cleanup.RewrittenFiles);
        Assert.Contains("delete table inet iotadmin", ruleset);
        Assert.DoesNotContain("10.47.0.12", ruleset);
        Assert.True(FirewallRulesetTests.NftCheck(ruleset, out var output) == 0, output + ruleset);
    }

    [Fact]
    public void RemoveDevice_FromAnIptablesRuleset_ShouldLeaveNoJumpOnAFirewallThatLoadedBoth()
    {
        var path = Export("segment.rules", FirewallFormat.IptablesRestore, "10.47.0.11", "10.47.0.12");
        var before = Path.Combine(_folder, "before.rules");
        File.Copy(path, before);

        ExportedRulesets.RemoveDevice(_store, "10.47.0.12", DateTimeOffset.UnixEpoch);

        // What an admin does: the old file loaded (twice, as a timer would), then the rewritten one.
        var loaded = LoadIntoFreshFirewall(before, before, path);
        Assert.DoesNotContain("10.47.0.12", File.ReadAllText(path));
        Assert.Contains("-A IOTADMIN-FORWARD -d 10.47.0.11/32 -j IOTADMIN-TO-IOT", loaded);
        Assert.DoesNotContain("10.47.0.12", loaded);
        Assert.Contains("--log-prefix \"iotadmin telnet \"", loaded);
    }

    [Fact]
    public void RemoveDevice_OfTheLastIptablesDevice_ShouldEmptyTheChainsOnLoad()
    {
        var path = Export("last.rules", FirewallFormat.IptablesRestore, "10.47.0.11");
        var before = Path.Combine(_folder, "before.rules");
        File.Copy(path, before);

        ExportedRulesets.RemoveDevice(_store, "10.47.0.11", DateTimeOffset.UnixEpoch);

        var loaded = LoadIntoFreshFirewall(before, path);
        Assert.DoesNotContain("10.47.0.11", loaded);
        Assert.DoesNotContain("-A IOTADMIN-TO-IOT", loaded);
    }

    [Fact]
    public void RemoveDevice_ShouldLeaveAFileChangedByHandAsItIs()
    {
        var path = Export("edited.nft", FirewallFormat.Nftables, "10.47.0.11", "10.47.0.12");
        File.AppendAllText(path, "# a rule added by the network team\n");
        var before = File.ReadAllText(path);

        var cleanup = ExportedRulesets.RemoveDevice(_store, "10.47.0.11", DateTimeOffset.UnixEpoch);

        Assert.Empty(cleanup.RewrittenFiles);
        Assert.Equal(before, File.ReadAllText(path));
        Assert.Contains(cleanup.Warnings, w => w.Contains("changed since IoTAdmin wrote it") && w.Contains(path));
    }

    [Fact]
    public void RemoveDevice_ShouldDropTheRecordOfAFileThatIsGone()
    {
        var path = Export("gone.nft", FirewallFormat.Nftables, "10.47.0.11");
        File.Delete(path);

        var cleanup = ExportedRulesets.RemoveDevice(_store, "10.47.0.11", DateTimeOffset.UnixEpoch);

        Assert.Contains(cleanup.Warnings, w => w.Contains("no longer exists"));
        Assert.Empty(_store.FirewallExports());
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void RemoveDevice_InsideAnAllowedBlock_ShouldWarnAndChangeNothing()
    {
        var path = Export("block.nft", FirewallFormat.Nftables, "10.47.0.0/28");
        var before = File.ReadAllText(path);

        var cleanup = ExportedRulesets.RemoveDevice(_store, "10.47.0.11", DateTimeOffset.UnixEpoch);

        Assert.Empty(cleanup.RewrittenFiles);
        Assert.Equal(before, File.ReadAllText(path));
        Assert.Contains(cleanup.Warnings, w => w.Contains("block 10.47.0.0/28"));
    }

    [Fact]
    public void RemoveDevice_ThroughASymbolicLink_ShouldKeepTheLinkAndItsTargetsMode()
    {
        var target = Path.Combine(_folder, "rules.v4");
        File.WriteAllText(target, "old");
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var link = Path.Combine(_folder, "linked.rules");
        File.CreateSymbolicLink(link, target);
        Export(Path.GetFileName(link), FirewallFormat.IptablesRestore, "10.47.0.11", "10.47.0.12");

        ExportedRulesets.RemoveDevice(_store, "10.47.0.12", DateTimeOffset.UnixEpoch);

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Contains("10.47.0.11", File.ReadAllText(target));
        Assert.DoesNotContain("10.47.0.12", File.ReadAllText(target));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
    }

    [Fact]
    public void RemoveDevice_OfAFileWithItsOwnMode_ShouldKeepTheMode()
    {
        var path = Export("mode.nft", FirewallFormat.Nftables, "10.47.0.11", "10.47.0.12");
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        File.SetUnixFileMode(path, mode);

        ExportedRulesets.RemoveDevice(_store, "10.47.0.11", DateTimeOffset.UnixEpoch);

        Assert.DoesNotContain("10.47.0.11", File.ReadAllText(path));
        Assert.Equal(mode, File.GetUnixFileMode(path));
    }

    [Fact]
    public void RemoveDevice_NamedInNoRuleset_ShouldChangeNothing()
    {
        var path = Export("other.nft", FirewallFormat.Nftables, "10.47.0.12");
        var before = File.ReadAllText(path);

        var cleanup = ExportedRulesets.RemoveDevice(_store, "10.47.0.11", DateTimeOffset.UnixEpoch);

        Assert.Equal("no exported ruleset needed a change", cleanup.Summary);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("not json")]
    [InlineData("{\"devices\":[{\"address\":\"10.0.0.1\",\"name\":null,\"tcp\":[70000],\"udp\":[]}],"
        + "\"managementHosts\":[],\"updateServers\":[]}")]
    [InlineData("{\"devices\":[{\"address\":\"10.0.0.1; flush ruleset\",\"name\":null,\"tcp\":[22],\"udp\":[]}],"
        + "\"managementHosts\":[],\"updateServers\":[]}")]
    public void PolicyJson_WithDamagedText_ShouldRefuseWithFormatException(string json) =>
        Assert.Throws<FormatException>(() => FirewallPolicyJson.Read(json));

    /// <summary>
    /// Loads the files in order with iptables-restore --noflush into a network namespace of its own (never the
    /// host's firewall) and returns iptables -S of the result.
    /// </summary>
    private static string LoadIntoFreshFirewall(params string[] files)
    {
        DaemonProcess.Require("/usr/sbin/iptables-restore", "iptables");
        var script = string.Concat(files.Select(f => $"iptables-restore --noflush '{f}' && ")) + "iptables -S";
        var info = new ProcessStartInfo(DaemonProcess.Require("/usr/bin/unshare", "util-linux"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--net", "/bin/sh", "-c", script })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30000), "iptables-restore did not finish");
        Assert.True(process.ExitCode == 0, error + output);
        return output;
    }

    private string Export(string name, FirewallFormat format, params string[] devices)
    {
        var policy = new FirewallPolicy();
        foreach (var device in devices)
        {
            policy.Devices.Add(new FirewallDevice(Ipv4Network.Parse(device), "dev " + device, new[] { 22, 443 },
                Array.Empty<int>()));
        }

        policy.ManagementHosts.Add(Ipv4Network.Parse("10.47.0.1"));
        policy.UpdateServers.Add(AllowedDestination.Parse("10.47.0.200:123/udp"));
        var path = Path.Combine(_folder, name);
        var ruleset = FirewallRulesetWriter.Write(policy, format, DateTimeOffset.UnixEpoch);
        ExportedRulesets.Save(path, ruleset);
        ExportedRulesets.Record(path, ruleset, policy, format, _store);
        return path;
    }
}
