using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

public sealed class SnmpValueTests
{
    [Fact]
    public void ToString_PrintableOctetString_ShouldBeText()
    {
        Assert.Equal("ZebraNet Wired PS", SnmpValue.FromString("ZebraNet Wired PS").ToString());
    }

    [Fact]
    public void ToString_BinaryOctetString_ShouldBeHex()
    {
        var value = SnmpValue.FromBytes(Hex.Parse("80005BA9017F000001"));

        Assert.Equal("0x80005BA9017F000001", value.ToString());
    }

    [Fact]
    public void ToString_Exceptions_ShouldUseRfcNames()
    {
        Assert.Equal("endOfMibView", SnmpValue.Exception(SnmpType.EndOfMibView).ToString());
        Assert.Equal("noSuchObject", SnmpValue.Exception(SnmpType.NoSuchObject).ToString());
        Assert.True(SnmpValue.Exception(SnmpType.NoSuchInstance).IsException);
    }

    [Fact]
    public void ToString_NumbersAndAddresses_ShouldBeReadable()
    {
        Assert.Equal("4294967295", SnmpValue.FromUnsigned(SnmpType.Counter32, uint.MaxValue).ToString());
        Assert.Equal("-5", SnmpValue.FromInteger(-5).ToString());
        Assert.Equal("10.99.0.14", SnmpValue.FromIpAddress(System.Net.IPAddress.Parse("10.99.0.14")).ToString());
        Assert.Equal("1.3.6.1.4.1.368", SnmpValue.FromOid(ObjectIdentifier.Parse("1.3.6.1.4.1.368")).ToString());
    }
}
