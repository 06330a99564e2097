using IoTAdmin.Engine.Firmware;
using IoTAdmin.Engine.Tests.Snmp;
using IoTAdmin.Engine.Vulnerabilities;
using Xunit;

namespace IoTAdmin.Engine.Tests.Firmware;

public class FirmwareReaderTests
{
    [Fact]
    public void SnmpReadings_ShouldKeepTheFullHikvisionVersionAsADeviceRecord()
    {
        var readings = FirmwareReader.SnmpReadings(SnmprecFile.Load("hikvision-cam"));

        var reading = Assert.Single(readings);
        Assert.Equal(FirmwareSource.SnmpVendorMib, reading.Source);
        Assert.Equal(FirmwareConfidence.DeviceRecord, reading.Confidence);
        Assert.Equal("V5.5.3 build 171025", reading.Version);
        Assert.Equal("DS-2CD2185FWD-I", reading.Product);
    }

    [Fact]
    public void SnmpReadings_ShouldPreferEntityMibAndCleanQuotedValues()
    {
        var firmware = new DeviceFirmware("192.0.2.1");
        firmware.Readings.AddRange(FirmwareReader.SnmpReadings(SnmprecFile.Load("qnap")));

        FirmwareSelection.Choose(firmware, null);

        Assert.Equal(FirmwareSource.SnmpEntityMib, firmware.Source);
        Assert.Equal("4.3.3", firmware.Version);
        Assert.Equal("entPhysicalFirmwareRev.1", firmware.Readings[0].Detail);
    }

    [Fact]
    public void HttpReadings_ShouldReadThePageAsABannerAndTheServerAsAComponent()
    {
        const string response = "HTTP/1.0 200 OK\r\nServer: lighttpd/1.4.69\r\n\r\n"
            + "<html><head><title>VistaCam VC-2042-IR - Web Admin</title></head>"
            + "<body><p>Network Camera - Firmware V5.4.5 build 170123</p></body></html>";

        var readings = FirmwareReader.HttpReadings(response, 80);

        Assert.Equal("V5.4.5 build 170123", readings[0].Version);
        Assert.Equal(FirmwareConfidence.Banner, readings[0].Confidence);
        Assert.Equal(FirmwareReadingKind.Component, readings[1].Kind);
        Assert.Equal("1.4.69", readings[1].Version);
    }

    [Fact]
    public void Choose_ShouldTakeTheDeviceRecordOverABannerAndNoteTheDisagreement()
    {
        var firmware = new DeviceFirmware("192.0.2.1");
        firmware.Readings.Add(new FirmwareReading(FirmwareSource.HttpBanner, FirmwareConfidence.Banner, null,
            "VC-2042-IR", "V5.5.0"));
        firmware.Readings.Add(new FirmwareReading(FirmwareSource.SnmpEntityMib, FirmwareConfidence.DeviceRecord,
            "VistaCam", "VC-2042-IR", "V5.4.5 build 170123"));

        FirmwareSelection.Choose(firmware, null);

        Assert.Equal("V5.4.5 build 170123", firmware.Version);
        Assert.False(firmware.IsBannerGuess);
        Assert.Contains(firmware.Problems, p => p.Contains("HTTP banner says V5.5.0"));
        Assert.Equal(@"cpe:2.3:o:vistacam:vc\-2042\-ir_firmware:v5\.4\.5_build_170123:*:*:*:*:*:*:*", firmware.Cpe);
    }

    [Fact]
    public void Choose_ShouldMarkABannerOnlyVersionAsAGuess()
    {
        var firmware = new DeviceFirmware("192.0.2.1");
        firmware.Readings.Add(new FirmwareReading(FirmwareSource.HttpBanner, FirmwareConfidence.Banner, "VistaCam",
            "VC-2042-IR", "V5.4.5"));

        FirmwareSelection.Choose(firmware, null);

        Assert.True(firmware.IsBannerGuess);
        Assert.Contains("banner guess", firmware.SourceText);
        Assert.Equal(MatchState.Yes, new CpeMatchCriterion(CpeName.Parse(
            "cpe:2.3:o:vistacam:vc-2042-ir_firmware:*:*:*:*:*:*:*:*"), true) { VersionEndExcluding = "5.5" }
            .Evaluate(firmware.CpeNames()).State);
    }
}
