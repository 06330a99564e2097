using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.Credentials;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Tests.Baseline;

public sealed class CredentialListTests
{
    [Theory]
    [InlineData("xc3511", "x*******")]
    [InlineData("", "(empty)")]
    [InlineData("a", "a*******")]
    public void MaskedPassword_OfPublicDefault_ShouldHintWhichDefault(string password, string expected)
    {
        Assert.Equal(expected, new CredentialPair("root", password, isPublicDefault: true).MaskedPassword);
    }

    [Theory]
    [InlineData("Ex4mple-Secret")]
    [InlineData("xc3511")]
    [InlineData("a")]
    [InlineData("")]
    [InlineData("a much longer passphrase than eight characters")]
    public void MaskedPassword_OfSuppliedPassword_ShouldRevealNeitherCharactersNorLength(string password)
    {
        Assert.Equal("********", new CredentialPair("root", password).MaskedPassword);
    }

    [Fact]
    public void BuiltIn_Pairs_ShouldBePublicDefaults()
    {
        var pairs = DefaultCredentialList.BuiltIn.OrderFor(null, "ssh");

        Assert.NotEmpty(pairs);
        Assert.All(pairs, p => Assert.True(p.IsPublicDefault, p.UserName));
    }

    [Fact]
    public void Select_WithSuppliedCredentials_ShouldMaskThemCompletely()
    {
        var options = new AuditOptions();
        options.Credentials.Add(new CredentialPair("root", "Ex4mple-Secret"));

        var pair = Assert.Single(DefaultCredentialList.Select(new IoTDevice("192.0.2.1"), options, "ssh"));

        Assert.False(pair.IsPublicDefault);
        Assert.Equal("root/********", pair.ToString());
    }

    [Fact]
    public void BuiltIn_ShouldCarryMiraiAndVendorEntries()
    {
        var entries = DefaultCredentialList.BuiltIn.Entries;

        Assert.True(entries.Count > 300);
        Assert.Contains(entries, e => e.Source == "mirai" && e.UserName == "root" && e.Password == "xc3511");
        Assert.Contains(entries, e => e.Vendor.StartsWith("Hikvision", StringComparison.OrdinalIgnoreCase)
            || e.Vendor.StartsWith("hikvision", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Source == "mirai" && e.Password.Length == 0);
    }

    [Fact]
    public void OrderFor_WithVendor_ShouldPutVendorPairsFirst()
    {
        var ordered = DefaultCredentialList.BuiltIn.OrderFor("Hikvision Digital Technology", "ssh");
        var hikvision = DefaultCredentialList.BuiltIn.Entries
            .Where(e => DefaultCredentialList.VendorKey(e.Vendor) == "hikvision")
            .Select(e => e.ToPair().ToString())
            .ToList();

        Assert.NotEmpty(hikvision);
        Assert.Contains(ordered[0].ToString(), hikvision);
    }

    [Fact]
    public void OrderFor_WithoutVendor_ShouldStartWithTypicalIoTAccounts()
    {
        var ordered = DefaultCredentialList.BuiltIn.OrderFor(null, "telnet");

        var typical = new[] { "root", "admin", "user", "support", "guest", "default" };
        Assert.All(ordered.Take(10), p => Assert.Contains(p.UserName, typical));
        Assert.Equal(ordered.Count, ordered.Select(p => p.UserName + "\n" + p.Password).Distinct().Count());
    }

    [Theory]
    [InlineData(DeviceProfile.Camera, "camera")]
    [InlineData(DeviceProfile.Gateway, "router")]
    public void OrderFor_WithProfile_ShouldStartWithPairsListedForThatClassOfDevice(DeviceProfile profile, string word)
    {
        var ordered = DefaultCredentialList.BuiltIn.OrderFor(null, profile, "telnet");
        var listedForClass = DefaultCredentialList.BuiltIn.Entries
            .Where(e => e.Vendor.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)
            .Select(e => e.ToPair().ToString())
            .ToHashSet();

        Assert.NotEmpty(listedForClass);
        Assert.Contains(ordered[0].ToString(), listedForClass);
    }

    [Fact]
    public void OrderFor_Camera_ShouldPreferThePairsMostSourcesListForCameras()
    {
        // A pair that both the Mirai list and several camera entries name outranks one listed once.
        var ordered = DefaultCredentialList.BuiltIn.OrderFor(null, DeviceProfile.Camera, "ssh");
        var popularity = DefaultCredentialList.BuiltIn.Entries
            .GroupBy(e => e.ToPair().ToString())
            .ToDictionary(g => g.Key, g => g.Count());

        Assert.True(popularity[ordered[0].ToString()] >= popularity[ordered[4].ToString()]);
    }

    [Fact]
    public void Select_WithOptionCredentials_ShouldUseOnlyThose()
    {
        var options = new AuditOptions();
        options.Credentials.Add(new CredentialPair("operator", "given"));

        var pairs = DefaultCredentialList.Select(new IoTDevice("127.0.0.1"), options, "ssh");

        Assert.Single(pairs);
        Assert.Equal("operator", pairs[0].UserName);
    }

    [Fact]
    public void Parse_WithQuotedFields_ShouldUnquote()
    {
        var csv = "vendor,username,password,source\n\"A, Inc\",admin,\"p,\"\"w\",x\n";
        var list = DefaultCredentialList.Parse(new StringReader(csv));

        Assert.Equal("A, Inc", list.Entries[0].Vendor);
        Assert.Equal("p,\"w", list.Entries[0].Password);
    }
}
