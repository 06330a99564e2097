using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

public sealed class ObjectIdentifierTests
{
    [Theory]
    [InlineData("1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.1.0")]
    [InlineData(".1.3.6.1.4.1.39165", "1.3.6.1.4.1.39165")]
    [InlineData("2.999.4294967295", "2.999.4294967295")]
    public void Parse_ValidText_ShouldRoundTrip(string text, string expected)
    {
        var oid = ObjectIdentifier.Parse(text);

        Assert.Equal(expected, oid.ToString());
        Assert.Equal(oid, BerReader.DecodeOid(BerWriter.EncodeOid(oid), 0, BerWriter.EncodeOid(oid).Length));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.3.x")]
    [InlineData("3.1")]
    [InlineData("1.40")]
    [InlineData("1..3")]
    [InlineData("1.3.4294967296")]
    [InlineData("1.3.-1")]
    public void Parse_InvalidText_ShouldThrowFormatException(string text)
    {
        Assert.Throws<FormatException>(() => ObjectIdentifier.Parse(text));
    }

    [Fact]
    public void CompareTo_ShouldOrderLikeSnmp()
    {
        var sorted = new[] { "1.3.6.1.2.1.1.10", "1.3.6.1.2.1.1.9.1", "1.3.6.1.2.1.1", "1.3.6.1.2.1.1.2.0" }
            .Select(ObjectIdentifier.Parse)
            .OrderBy(o => o)
            .Select(o => o.ToString());

        Assert.Equal(new[] { "1.3.6.1.2.1.1", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.9.1", "1.3.6.1.2.1.1.10" }, sorted);
    }

    [Fact]
    public void IsPrefixOf_ShouldFollowArcsNotText()
    {
        var system = ObjectIdentifier.Parse("1.3.6.1.2.1.1");

        Assert.True(system.IsPrefixOf(ObjectIdentifier.Parse("1.3.6.1.2.1.1.5.0")));
        Assert.True(system.IsPrefixOf(system));
        Assert.False(system.IsPrefixOf(ObjectIdentifier.Parse("1.3.6.1.2.1.10.5")));
        Assert.True(ObjectIdentifier.Parse("1.3.6.1.2.1.1.5.0").StartsWith(system));
        Assert.False(system.IsDescendantOf(system));
    }

    [Fact]
    public void Equality_ShouldCompareArcs()
    {
        Assert.Equal(ObjectIdentifier.Parse("1.3.6"), ObjectIdentifier.Parse(".1.3.6"));
        Assert.True(ObjectIdentifier.Parse("1.3.6") == ObjectIdentifier.Parse("1.3.6"));
        Assert.Equal(ObjectIdentifier.Parse("1.3.6").GetHashCode(), ObjectIdentifier.Parse("1.3.6").GetHashCode());
    }
}
