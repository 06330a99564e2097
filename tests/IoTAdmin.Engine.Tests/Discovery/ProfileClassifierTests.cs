using IoTAdmin.Engine.Discovery;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Tests.Discovery;

public class ProfileClassifierTests
{
    [Theory]
    [InlineData("Hikvision", "DS-2CD2185FWD-I", null, DeviceProfile.Camera)]
    [InlineData("AXIS", "Q1656", null, DeviceProfile.Camera)]
    [InlineData("Acme", "NVR4108", null, DeviceProfile.Camera)]
    [InlineData("Sagemcom", "Livebox", "Home router", DeviceProfile.Gateway)]
    [InlineData("Carel", "pCOWeb", null, DeviceProfile.BuildingControl)]
    [InlineData("Acme", "BMS-4000", "HVAC controller", DeviceProfile.BuildingControl)]
    [InlineData("Belkin International Inc.", "Socket", "Belkin Plugin Socket 1.0", DeviceProfile.General)]
    [InlineData("Taxis Ltd", "Convertor", null, DeviceProfile.General)]
    public void Words_in_identity_choose_the_profile(string vendor, string model, string? text, DeviceProfile expected)
    {
        var device = new IoTDevice("192.0.2.1") { Vendor = vendor, Model = model, Description = text };

        Assert.Equal(expected, ProfileClassifier.Classify(device));
    }

    [Fact]
    public void Rtsp_service_means_camera()
    {
        var device = new IoTDevice("192.0.2.1");
        device.AddService(new DeviceService("rtsp", ServiceTransport.Tcp, 554, DiscoveryProtocol.Mdns));

        Assert.Equal(DeviceProfile.Camera, ProfileClassifier.Classify(device));
    }

    [Fact]
    public void Bacnet_port_means_building_control()
    {
        var device = new IoTDevice("192.0.2.1");
        device.AddService(new DeviceService("bacnet", ServiceTransport.Udp, 47808, DiscoveryProtocol.Snmp));

        Assert.Equal(DeviceProfile.BuildingControl, ProfileClassifier.Classify(device));
    }

    [Fact]
    public void Upnp_wan_connection_service_means_gateway()
    {
        var observation = new DiscoveryObservation("192.0.2.1", DiscoveryProtocol.Ssdp);
        observation.Attributes["upnp.services"] = "Layer3Forwarding,WANIPConnection";
        observation.Attributes["upnp.deviceType"] = "urn:schemas-upnp-org:device:Basic:1";

        var device = Assert.Single(DeviceMerger.Merge(new[] { observation }));

        Assert.Equal(DeviceProfile.Gateway, device.Profile);
    }

    [Fact]
    public void Mdns_instance_name_counts_as_evidence()
    {
        var device = new IoTDevice("10.47.0.12");
        device.AddService(new DeviceService("https", ServiceTransport.Tcp, 443, DiscoveryProtocol.Mdns)
        {
            Detail = "BMS-4000 controller (hvac1)",
        });

        Assert.Equal(DeviceProfile.BuildingControl, ProfileClassifier.Classify(device));
    }

    [Fact]
    public void Nothing_known_means_general()
    {
        Assert.Equal(DeviceProfile.General, ProfileClassifier.Classify(new IoTDevice("192.0.2.1")));
    }
}
