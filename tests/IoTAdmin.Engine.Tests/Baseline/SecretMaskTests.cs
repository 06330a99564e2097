using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Credentials;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Baseline;

public sealed class SecretMaskTests
{
    [Theory]
    [InlineData("public", "p*******")]
    [InlineData("private", "p*******")]
    [InlineData("snmp", "s*******")]
    public void CommunityMask_OfPublishedDefault_ShouldHintWhichDefault(string community, string expected)
    {
        Assert.Equal(expected, SnmpCommunityProbe.Mask(community));
    }

    [Theory]
    [InlineData("Ex4mple-Community")]
    [InlineData("Public")]
    [InlineData("x")]
    [InlineData("")]
    public void CommunityMask_OfAnyOtherCommunity_ShouldBeFixedStars(string community)
    {
        Assert.Equal(SecretMask.Hidden, SnmpCommunityProbe.Mask(community));
    }

    [Fact]
    public void CredentialFilePairs_ShouldBeMaskedCompletely()
    {
        var pairs = CredentialListFile.Parse(new StringReader("user,password\nroot,Ex4mple-Secret\n"), "list.csv");

        var pair = Assert.Single(pairs);
        Assert.False(pair.IsPublicDefault);
        Assert.Equal(SecretMask.Hidden, pair.MaskedPassword);
    }

    [Fact]
    public void Hidden_ShouldBeEightStars()
    {
        Assert.Equal("********", SecretMask.Hidden);
    }
}
