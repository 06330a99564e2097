using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

public sealed class SnmpSubnetsTests
{
    [Fact]
    public void Expand_Slash24_ShouldSkipNetworkAndBroadcast()
    {
        var addresses = SnmpSubnets.Expand(new[] { "10.99.0.0/24" });

        Assert.Equal(254, addresses.Count);
        Assert.Equal("10.99.0.1", addresses[0].ToString());
        Assert.Equal("10.99.0.254", addresses[^1].ToString());
    }

    [Theory]
    [InlineData("127.0.0.1/32", new[] { "127.0.0.1" })]
    [InlineData("127.0.0.1", new[] { "127.0.0.1" })]
    [InlineData("10.0.0.4/30", new[] { "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7" })]
    [InlineData("10.0.0.9/31", new[] { "10.0.0.8", "10.0.0.9" })]
    public void Expand_SmallRanges_ShouldKeepEveryAddress(string subnet, string[] expected)
    {
        Assert.Equal(expected, SnmpSubnets.Expand(new[] { subnet }).Select(a => a.ToString()));
    }

    [Fact]
    public void Expand_Slash16_ShouldBeAccepted()
    {
        Assert.Equal(65534, SnmpSubnets.Expand(new[] { "172.16.0.0/16" }).Count);
    }

    [Fact]
    public void Expand_OverlappingRanges_ShouldNotRepeatAddresses()
    {
        Assert.Equal(254, SnmpSubnets.Expand(new[] { "10.1.1.0/24", "10.1.1.7/32" }).Count);
    }

    [Theory]
    [InlineData("10.0.0.0/15", "larger than /16")]
    [InlineData("0.0.0.0/0", "larger than /16")]
    [InlineData("10.0.0.0/33", "prefix")]
    [InlineData("fe80::1/64", "IPv4")]
    [InlineData("camera.local", "IPv4")]
    public void Expand_BadRanges_ShouldThrowArgumentException(string subnet, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => SnmpSubnets.Expand(new[] { subnet }));

        Assert.Contains(expected, error.Message);
    }
}
