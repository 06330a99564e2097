using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

public sealed class SnmpDeviceIdentityTests
{
    [Theory]
    [InlineData("hikvision-cam", "Hikvision", "DS-2CD2185FWD-I", "5.5.3")]
    [InlineData("axiscam_box", "Axis", "AXIS Q1656", "10.12.240")]
    [InlineData("axiscam_p1435-le", "Axis", "AXIS P1435-LE", "9.80.69")]
    [InlineData("apc_smt750x-nmc2", "APC", "AP9631", "7.0.8")]
    [InlineData("apc_ap7900b", "APC", "AP7900B", "6.8.2")]
    [InlineData("draytek", "DrayTek", "Vigor2920", "3.8.8.2")]
    [InlineData("qnap", "QNAP", "TVS-871U-RP", "4.3.3")]
    [InlineData("dahua-nvr", "Dahua", "DH-NVR4108HS-8P-4KS2", null)]
    [InlineData("avtech_roomalert12e", "AVTECH", "Room Alert 12E", "3.3.0")]
    [InlineData("apc-netbotz_netbotz750", "Schneider Electric", "NetBotz 750", "5.4.0.11")]
    [InlineData("hwg-ste2", "HW group", null, "1.5.5_2394")]
    [InlineData("brother_hl5370dw", "Brother", null, "1.01")]
    [InlineData("rutos-rutx_rut955", "Teltonika", "RUT955", null)]
    [InlineData("jetdirect_m252dw", "HP", "HP Color LaserJet Pro M252dw", null)]
    [InlineData("zebra", "Zebra", null, null)]
    [InlineData("gude-esb_7213-12", "Gude", null, null)]
    [InlineData("vivotek", "Vivotek", null, null)]
    [InlineData("pcoweb-rittalchiller", "Carel", null, null)]
    [InlineData("hikvision-nvr", "Hikvision", null, null)]
    [InlineData("nti_micro", "Network Technologies", "ENVIROMUX-MICRO", null)]
    public void FromVariables_RecordedWalk_ShouldFingerprint(
        string walk,
        string vendor,
        string? model,
        string? firmware)
    {
        var identity = SnmpDeviceIdentity.FromVariables(SnmprecFile.Load(walk));

        Assert.Equal(vendor, identity.Vendor);
        if (model is not null)
        {
            Assert.Equal(model, identity.Model);
        }

        if (firmware is not null)
        {
            Assert.Equal(firmware, identity.FirmwareVersion);
        }
    }

    [Theory]
    [InlineData("VistaCam VC-2042-IR Network Camera, firmware V5.4.5 build 170123, Linux 3.10.0",
        "VC-2042-IR", "5.4.5")]
    [InlineData("BMS-4000 Building Automation Controller, firmware 3.2.1 (build 2024-05-14), BACnet/IP",
        "BMS-4000", "3.2.1")]
    public void FromVariables_SentenceWithModelCode_ShouldTakeTheCodeNotTheSentence(
        string sysDescr,
        string model,
        string firmware)
    {
        var sysDescrOid = ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0");
        var identity = SnmpDeviceIdentity.FromVariables(
            new[] { new SnmpVariable(sysDescrOid, SnmpValue.FromString(sysDescr)) });

        Assert.Equal(model, identity.Model);
        Assert.Equal(firmware, identity.FirmwareVersion);
    }

    [Fact]
    public void FromVariables_LongSentenceBeforeAVersion_ShouldNotBecomeTheModel()
    {
        var sysDescrOid = ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0");
        var text = "Some network appliance of an unknown make, with a long description, running Linux 4.14.2";
        var identity = SnmpDeviceIdentity.FromVariables(
            new[] { new SnmpVariable(sysDescrOid, SnmpValue.FromString(text)) });

        Assert.Null(identity.Model);
    }

    [Fact]
    public void FromVariables_HexSysDescr_ShouldDecodeText()
    {
        var identity = SnmpDeviceIdentity.FromVariables(SnmprecFile.Load("zebra"));

        Assert.Equal("ZebraNet Wired PS", identity.Description);
        Assert.Equal("1.3.6.1.4.1.683.6.0", identity.SysObjectId?.ToString());
        Assert.Equal(683u, identity.EnterpriseNumber);
    }

    [Fact]
    public void FromVariables_NoSystemGroup_ShouldStillUseVendorMib()
    {
        var identity = SnmpDeviceIdentity.FromVariables(SnmprecFile.Load("hikvision-cam"));

        Assert.Null(identity.Description);
        Assert.Null(identity.SysObjectId);
        Assert.Equal("DS-2CD2185FWD-I", identity.Model);
    }

    [Theory]
    [InlineData("linux_raspberrypi", "Linux 4.19.97+")]
    [InlineData("openwrt", "Linux 5.4.137")]
    [InlineData("dd-wrt", "Linux 3.10.108")]
    public void FromVariables_LinuxSysDescr_ShouldNameKernel(string walk, string os)
    {
        var identity = SnmpDeviceIdentity.FromVariables(SnmprecFile.Load(walk));

        Assert.Equal(os, identity.OperatingSystem);
        Assert.Null(identity.Vendor);
    }

    [Fact]
    public void FromVariables_GrandstreamKernelBuildTag_ShouldGiveFirmware()
    {
        var identity = SnmpDeviceIdentity.FromVariables(SnmprecFile.Load("grandstream-ht_ht802"));

        Assert.Equal("1.2.6.1", identity.FirmwareVersion);
        Assert.Equal("HT802", identity.Name);
    }

    [Theory]
    [InlineData("Acme Sensor firmware 1.2.3", "1.2.3")]
    [InlineData("Hikvision DS-2CD2142FWD-I V5.5.3", "5.5.3")]
    [InlineData("Gateway, Version: 2.0.1-rc1", "2.0.1-rc1")]
    public void FromVariables_VersionPatterns_ShouldFindFirmware(string sysDescr, string firmware)
    {
        var variables = new[] { new SnmpVariable(SnmpCommunityProbeOids.SysDescr, SnmpValue.FromString(sysDescr)) };

        var identity = SnmpDeviceIdentity.FromVariables(variables);

        Assert.Equal(firmware, identity.FirmwareVersion);
    }

    [Fact]
    public void FromVariables_ExceptionValues_ShouldBeIgnored()
    {
        var variables = new[]
        {
            new SnmpVariable(SnmpCommunityProbeOids.SysDescr, SnmpValue.Exception(SnmpType.NoSuchObject)),
        };

        var identity = SnmpDeviceIdentity.FromVariables(variables);

        Assert.Null(identity.Description);
        Assert.Null(identity.Vendor);
    }

    private static class SnmpCommunityProbeOids
    {
        public static readonly ObjectIdentifier SysDescr = ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0");
    }
}
