using IoTAdmin.Engine.Discovery;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Tests.Discovery;

public class DeviceMergerTests
{
    [Fact]
    public void Three_protocols_for_one_address_give_one_device_with_services_unioned()
    {
        var device = Assert.Single(DeviceMerger.Merge(new[] { Mdns(), Ssdp(), Snmp() }));

        Assert.Equal("10.47.0.11", device.Address);
        Assert.Equal(3, device.Observations.Count);
        var expected = new[] { DiscoveryProtocol.Mdns, DiscoveryProtocol.Ssdp, DiscoveryProtocol.Snmp };
        Assert.Equal(expected, device.DiscoveredBy);
        Assert.Equal(
            new[] { "http/tcp:80", "snmp/udp:161", "rtsp/tcp:554", "ssdp/udp:1900", "upnp/tcp:49152" },
            device.Services.Select(s => s.ToString()));
        Assert.Equal("Front Door", device.FindService("rtsp")!.Detail);
    }

    [Fact]
    public void Fields_follow_the_documented_precedence()
    {
        var device = Assert.Single(DeviceMerger.Merge(new[] { Mdns(), Ssdp(), Snmp() }));

        Assert.Equal("cam-front", device.Name);
        Assert.Equal("VistaCam", device.Vendor);
        Assert.Equal("VC-2042-IR", device.Model);
        Assert.Equal("V5.4.5 build 170123", device.FirmwareVersion);
        Assert.Equal("IR network camera", device.Description);
        Assert.Equal(DeviceProfile.Camera, device.Profile);
    }

    [Fact]
    public void Without_snmp_the_description_beats_the_mdns_host_name()
    {
        var device = Assert.Single(DeviceMerger.Merge(new[] { Mdns(), Ssdp() }));

        Assert.Equal("VistaCam Front", device.Name);
        Assert.Equal("Vista Camera Systems", device.Vendor);
    }

    [Fact]
    public void Firmware_from_a_device_record_beats_a_banner_guess()
    {
        var banner = Ssdp();
        banner.FirmwareVersion = "1.0";
        banner.Attributes["firmware.source"] = "banner";
        var txt = Mdns();
        txt.FirmwareVersion = "V5.4.4";

        var device = Assert.Single(DeviceMerger.Merge(new[] { banner, txt }));

        Assert.Equal("V5.4.4", device.FirmwareVersion);
    }

    [Fact]
    public void Observation_with_error_is_kept_but_does_not_wipe_values()
    {
        var broken = new DiscoveryObservation("10.47.0.11", DiscoveryProtocol.Ssdp)
        {
            Name = string.Empty,
            Vendor = "Garbage Vendor",
            Error = "Description at http://10.47.0.11:49152/d.xml: not well-formed XML",
        };

        var device = Assert.Single(DeviceMerger.Merge(new[] { broken, Mdns() }));

        Assert.Equal("cam1", device.Name);
        Assert.Equal("VistaCam", device.Vendor);
        Assert.Contains(device.Observations, o => o.Error is not null);
    }

    [Fact]
    public void Two_addresses_stay_two_devices_in_numeric_order()
    {
        var devices = DeviceMerger.Merge(new[]
        {
            new DiscoveryObservation("10.47.0.100", DiscoveryProtocol.Mdns),
            new DiscoveryObservation("10.47.0.13", DiscoveryProtocol.Ssdp),
            new DiscoveryObservation("10.47.0.9", DiscoveryProtocol.Snmp),
            new DiscoveryObservation("10.47.0.13", DiscoveryProtocol.Mdns),
        });

        Assert.Equal(new[] { "10.47.0.9", "10.47.0.13", "10.47.0.100" }, devices.Select(d => d.Address));
        Assert.Equal(2, devices[1].Observations.Count);
    }

    internal static DiscoveryObservation Mdns()
    {
        var observation = new DiscoveryObservation("10.47.0.11", DiscoveryProtocol.Mdns)
        {
            Name = "cam1",
            Vendor = "VistaCam",
            Model = "VC-2042",
        };
        observation.Services.Add(new DeviceService("rtsp", ServiceTransport.Tcp, 554, DiscoveryProtocol.Mdns)
        {
            Detail = "Front Door",
        });
        observation.Services.Add(new DeviceService("http", ServiceTransport.Tcp, 80, DiscoveryProtocol.Mdns));
        observation.Attributes["mdns.txt.vendor"] = "VistaCam";
        return observation;
    }

    internal static DiscoveryObservation Ssdp()
    {
        var observation = new DiscoveryObservation("10.47.0.11", DiscoveryProtocol.Ssdp)
        {
            Name = "VistaCam Front",
            Vendor = "Vista Camera Systems",
            Model = "VC-2042-IR",
            Description = "IR network camera",
        };
        observation.Services.Add(new DeviceService("upnp", ServiceTransport.Tcp, 49152, DiscoveryProtocol.Ssdp));
        observation.Services.Add(new DeviceService("ssdp", ServiceTransport.Udp, 1900, DiscoveryProtocol.Ssdp));
        observation.Services.Add(new DeviceService("http", ServiceTransport.Tcp, 80, DiscoveryProtocol.Ssdp)
        {
            Detail = "presentation",
        });
        observation.Attributes["upnp.deviceType"] = "urn:schemas-upnp-org:device:Basic:1";
        return observation;
    }

    internal static DiscoveryObservation Snmp()
    {
        var observation = new DiscoveryObservation("10.47.0.11", DiscoveryProtocol.Snmp)
        {
            Name = "cam-front",
            Vendor = "VistaCam",
            FirmwareVersion = "V5.4.5 build 170123",
        };
        observation.Services.Add(new DeviceService("snmp", ServiceTransport.Udp, 161, DiscoveryProtocol.Snmp));
        observation.Attributes["snmp.sysObjectID"] = "1.3.6.1.4.1.39165.1.1";
        return observation;
    }
}
