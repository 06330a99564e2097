using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

public sealed class MibNamesTests
{
    [Theory]
    [InlineData("sysDescr.0", "1.3.6.1.2.1.1.1.0")]
    [InlineData("sysObjectID.0", "1.3.6.1.2.1.1.2.0")]
    [InlineData("sysUpTime.0", "1.3.6.1.2.1.1.3.0")]
    [InlineData("sysLocation.0", "1.3.6.1.2.1.1.6.0")]
    [InlineData("sysServices.0", "1.3.6.1.2.1.1.7.0")]
    [InlineData("system", "1.3.6.1.2.1.1")]
    [InlineData("sysDescr", "1.3.6.1.2.1.1.1")]
    [InlineData("ifNumber.0", "1.3.6.1.2.1.2.1.0")]
    [InlineData("ifDescr.3", "1.3.6.1.2.1.2.2.1.2.3")]
    [InlineData("ifOutErrors.1", "1.3.6.1.2.1.2.2.1.20.1")]
    [InlineData("ifName.2", "1.3.6.1.2.1.31.1.1.1.1.2")]
    [InlineData("ifAlias.2", "1.3.6.1.2.1.31.1.1.1.18.2")]
    [InlineData("ifHighSpeed", "1.3.6.1.2.1.31.1.1.1.15")]
    [InlineData("hrSystemUptime.0", "1.3.6.1.2.1.25.1.1.0")]
    [InlineData("hrSystemDate.0", "1.3.6.1.2.1.25.1.2.0")]
    [InlineData("hrMemorySize.0", "1.3.6.1.2.1.25.2.2.0")]
    [InlineData("hrStorageDescr", "1.3.6.1.2.1.25.2.3.1.3")]
    [InlineData("hrStorageUsed.31", "1.3.6.1.2.1.25.2.3.1.6.31")]
    [InlineData("hrDeviceDescr", "1.3.6.1.2.1.25.3.2.1.3")]
    [InlineData("hrSWRunName", "1.3.6.1.2.1.25.4.2.1.2")]
    [InlineData("hrSWRunPath", "1.3.6.1.2.1.25.4.2.1.4")]
    [InlineData("hrSWInstalledName", "1.3.6.1.2.1.25.6.3.1.2")]
    [InlineData("entPhysicalDescr.1", "1.3.6.1.2.1.47.1.1.1.1.2.1")]
    [InlineData("entPhysicalClass", "1.3.6.1.2.1.47.1.1.1.1.5")]
    [InlineData("entPhysicalName", "1.3.6.1.2.1.47.1.1.1.1.7")]
    [InlineData("entPhysicalHardwareRev", "1.3.6.1.2.1.47.1.1.1.1.8")]
    [InlineData("entPhysicalFirmwareRev", "1.3.6.1.2.1.47.1.1.1.1.9")]
    [InlineData("entPhysicalSoftwareRev", "1.3.6.1.2.1.47.1.1.1.1.10")]
    [InlineData("entPhysicalSerialNum", "1.3.6.1.2.1.47.1.1.1.1.11")]
    [InlineData("entPhysicalMfgName", "1.3.6.1.2.1.47.1.1.1.1.12")]
    [InlineData("entPhysicalModelName", "1.3.6.1.2.1.47.1.1.1.1.13")]
    [InlineData("snmpEngineID.0", "1.3.6.1.6.3.10.2.1.1.0")]
    [InlineData("snmpEngineBoots.0", "1.3.6.1.6.3.10.2.1.2.0")]
    [InlineData("snmpEngineTime.0", "1.3.6.1.6.3.10.2.1.3.0")]
    public void Resolve_KnownName_ShouldGiveTheRfcOid(string name, string expected)
    {
        Assert.Equal(expected, MibNames.Resolve(name).ToString());
    }

    [Theory]
    [InlineData("1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.5.0")]
    [InlineData(".1.3.6.1.4.1.39165", "1.3.6.1.4.1.39165")]
    [InlineData(" 1.3.6.1.2.1.1 ", "1.3.6.1.2.1.1")]
    public void Resolve_NumericOid_ShouldBeTakenAsIs(string text, string expected)
    {
        Assert.Equal(expected, MibNames.Resolve(text).ToString());
    }

    [Theory]
    [InlineData("SNMPv2-MIB::sysName.0", "1.3.6.1.2.1.1.5.0")]
    [InlineData("sysname.0", "1.3.6.1.2.1.1.5.0")]
    public void Resolve_ModulePrefixOrOtherCase_ShouldStillResolve(string text, string expected)
    {
        Assert.Equal(expected, MibNames.Resolve(text).ToString());
    }

    [Theory]
    [InlineData("1.3.6.1.2.1.1.1.0", "sysDescr.0")]
    [InlineData("1.3.6.1.2.1.1.1", "sysDescr")]
    [InlineData("1.3.6.1.2.1.2.2.1.2.3", "ifDescr.3")]
    [InlineData("1.3.6.1.2.1.1.9.1.3.4", "sysORDescr.4")]
    [InlineData("1.3.6.1.2.1.31.1.1.1.18.7", "ifAlias.7")]
    [InlineData("1.3.6.1.2.1.25.4.2.1.2.1234", "hrSWRunName.1234")]
    [InlineData("1.3.6.1.2.1.47.1.1.1.1.11.1", "entPhysicalSerialNum.1")]
    [InlineData("1.3.6.1.6.3.10.2.1.1.0", "snmpEngineID.0")]
    [InlineData("1.3.6.1.4.1.39165.1.1", "enterprises.39165.1.1")]
    [InlineData("1.3.6.1.2.1.99.1", "mib-2.99.1")]
    [InlineData("1.0.8802.1.1", "1.0.8802.1.1")]
    public void ToName_ShouldUseTheLongestKnownPrefix(string oid, string expected)
    {
        Assert.Equal(expected, MibNames.ToName(ObjectIdentifier.Parse(oid)));
    }

    [Fact]
    public void ToName_AndResolve_ShouldRoundTripEveryName()
    {
        foreach (var name in MibNames.Names)
        {
            var oid = MibNames.Resolve(name);
            Assert.Equal(name, MibNames.ToName(oid));
            Assert.Equal(name + ".0", MibNames.ToName(oid.Append(0)));
            Assert.Equal(oid.Append(0), MibNames.Resolve(name + ".0"));
        }
    }

    [Fact]
    public void Resolve_UnknownName_ShouldListNearMatches()
    {
        var ex = Assert.Throws<ArgumentException>(() => MibNames.Resolve("sysDescrr.0"));

        Assert.Contains("'sysDescrr.0' is not a known MIB object name", ex.Message);
        Assert.Contains("Did you mean: sysDescr", ex.Message);
    }

    [Fact]
    public void Resolve_UnknownPrefix_ShouldSuggestNamesStartingWithIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => MibNames.Resolve("hrSWInstalledNam.1"));

        Assert.Contains("hrSWInstalledName", ex.Message);
    }

    [Fact]
    public void Resolve_NameWithNothingNear_ShouldSayHowToGoOn()
    {
        var ex = Assert.Throws<ArgumentException>(() => MibNames.Resolve("qqqqqqqqqqqq"));

        Assert.Contains("numeric OID", ex.Message);
        Assert.DoesNotContain("Did you mean", ex.Message);
    }

    [Theory]
    [InlineData("sysDescr.x")]
    [InlineData("sysDescr.0.")]
    [InlineData("sysDescr.-1")]
    [InlineData("1.3.x")]
    [InlineData("")]
    [InlineData("   ")]
    public void Resolve_MalformedText_ShouldThrowArgumentException(string text)
    {
        Assert.Throws<ArgumentException>(() => MibNames.Resolve(text));
        Assert.False(MibNames.TryResolve(text, out _));
    }

    [Fact]
    public void Names_ShouldBeUniqueAndEachOidNamedOnce()
    {
        var oids = MibNames.Names.Select(MibNames.Resolve).ToList();

        Assert.Equal(oids.Count, oids.Distinct().Count());
    }
}
