using IoTAdmin.Engine.Firewall;
using IoTAdmin.Engine.Inventory.Store;

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
    public void RemoveDevice_FromAnIptablesRuleset_ShouldDropItsJumpsAndAccepts()
    {
        var path = Export("segment.rules", FirewallFormat.IptablesRestore, "10.47.0.11", "10.47.0.12");

        ExportedRulesets.RemoveDevice(_store, "10.47.0.12", DateTimeOffset.UnixEpoch);

        var ruleset = File.ReadAllText(path);
        Assert.DoesNotContain("10.47.0.12", ruleset);
        Assert.Contains("-A FORWARD -d 10.47.0.11/32 -j IOTADMIN-TO-IOT", ruleset);
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
        ExportedRulesets.Save(path, FirewallRulesetWriter.Write(policy, format, DateTimeOffset.UnixEpoch), policy,
            format, _store);
        return path;
    }
}
