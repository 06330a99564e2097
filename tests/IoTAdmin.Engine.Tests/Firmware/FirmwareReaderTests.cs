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

public class FirmwareReaderBannerTests
{
    [Theory]
    [InlineData("SSH-2.0-\r\n", null)]
    [InlineData("SSH-2.0-dropbear_2022.83\r\n", "dropbear")]
    public async Task ReadAsync_ShouldCopeWithAnEmptySshSoftwareVersion(string identification, string? product)
    {
        // Field report BR-03: a server that names no software must not break banner reading.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var bytes = System.Text.Encoding.ASCII.GetBytes(identification + "\0\0\0\x0c\x0a\x14");
            await client.GetStream().WriteAsync(bytes);
            await Task.Delay(300);
        });
        var device = new IoTAdmin.Engine.Inventory.IoTDevice("127.0.0.1");
        device.AddService(new IoTAdmin.Engine.Inventory.DeviceService("ssh",
            IoTAdmin.Engine.Inventory.ServiceTransport.Tcp, port, IoTAdmin.Engine.Inventory.DiscoveryProtocol.Mdns));
        device.AddService(new IoTAdmin.Engine.Inventory.DeviceService("http",
            IoTAdmin.Engine.Inventory.ServiceTransport.Tcp, 9, IoTAdmin.Engine.Inventory.DiscoveryProtocol.Mdns));
        var options = new FirmwareReadOptions { Timeout = TimeSpan.FromMilliseconds(500), SnmpPort = 9 };

        var firmware = await new FirmwareReader(new ListLog()).ReadAsync(device, options, CancellationToken.None);
        await serve;

        var ssh = firmware.Readings.Where(r => r.Source == FirmwareSource.SshBanner).ToList();
        Assert.Equal(product, ssh.SingleOrDefault()?.Product);
        Assert.Null(firmware.Version);
    }
}
