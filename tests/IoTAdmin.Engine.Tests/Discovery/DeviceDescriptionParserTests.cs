using System.Net;
using System.Net.Sockets;
using System.Text;
using IoTAdmin.Engine.Discovery.Ssdp;
using IoTAdmin.Engine.Tests.Support;

namespace IoTAdmin.Engine.Tests.Discovery;

public class DeviceDescriptionParserTests
{
    private const string GoodDevice =
        "<device><deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType>"
        + "<friendlyName>Good</friendlyName><manufacturer>Acme</manufacturer></device>";

    [Fact]
    public void Linksys_gateway_description_gives_identity_and_wan_services()
    {
        var description = Parse(SharedData.ReadBytes("upnp", "miniupnpc-testdesc", "linksys_WAG200G_desc.xml"));

        Assert.Equal("LINKSYS WAG200G Gateway", description.FriendlyName);
        Assert.Equal("LINKSYS", description.Manufacturer);
        Assert.Equal("Wireless-G ADSL Home Gateway", description.ModelName);
        Assert.Equal("WAG200G", description.ModelNumber);
        Assert.Equal("uuid:8ca2eb37-1dd2-11b2-86f1-001a709b5aa8", description.Udn);
        Assert.Equal("http://192.168.1.1:49152", description.UrlBase);
        Assert.Equal("urn:schemas-upnp-org:device:InternetGatewayDevice:1", description.DeviceType);
        Assert.Contains("urn:schemas-upnp-org:service:WANPPPConnection:1", description.ServiceTypes);
        Assert.Contains("urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1", description.ServiceTypes);
        Assert.Contains("urn:schemas-upnp-org:device:WANConnectionDevice:1", description.DeviceTypes);
        Assert.Empty(description.Problems);
    }

    [Fact]
    public void Livebox_description_with_vendor_namespaces_is_read()
    {
        var description = Parse(SharedData.ReadBytes("upnp", "miniupnpc-testdesc", "new_LiveBox_desc.xml"));

        Assert.Equal("Orange Livebox", description.FriendlyName);
        Assert.Equal("Sagemcom", description.Manufacturer);
        Assert.Equal("http://192.168.1.1", description.PresentationUrl);
        Assert.Equal("urn:schemas-upnp-org:device:InternetGatewayDevice:2", description.DeviceType);
        Assert.Contains("urn:schemas-upnp-org:service:WANPPPConnection:2", description.ServiceTypes);
        Assert.Contains("urn:schemas-upnp-org:service:WANIPv6FirewallControl:1", description.ServiceTypes);
    }

    [Theory]
    [InlineData("test_discovery_WeMo_US_2.00.2769.PVT.yaml", "Socket", "WeMo_US_2.00.2769.PVT")]
    [InlineData("ouimeaux_device.test_insight_WeMo_WW_2.00.11408.PVT-OWRT-Insight.yaml", "Insight", null)]
    [InlineData("ouimeaux_device.test_dimmer_WEMO_WW_2.00.20110904.PVT-RTOS-DimmerV2.yaml", "Dimmer", null)]
    [InlineData(
        "ouimeaux_device.test_outdoor_plug_WEMO_WW_1.00.20081401.PVT-RTOS-OutdoorV1.yaml", "OutdoorPlug", null)]
    [InlineData("ouimeaux_device.test_bridge_WeMo_WW_2.00.11057.PVT-OWRT-Link.yaml", "Bridge", null)]
    public void Belkin_descriptions_in_their_own_namespace_are_read(string cassette, string model, string? firmware)
    {
        var description = Parse(RecordedCaptures.CassetteDescription(cassette));

        Assert.Equal(model, description.ModelName);
        Assert.Equal("Belkin International Inc.", description.Manufacturer);
        Assert.StartsWith("urn:Belkin:device:", description.DeviceType);
        Assert.Contains(
            description.ServiceTypes,
            s => s.StartsWith("urn:Belkin:service:basicevent", StringComparison.Ordinal));
        Assert.NotNull(description.FirmwareVersion);
        if (firmware is not null)
        {
            Assert.Equal(firmware, description.FirmwareVersion);
        }
    }

    [Fact]
    public void Harmless_doctype_still_parses()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE root SYSTEM \"upnp.dtd\">"
            + $"<root xmlns=\"urn:schemas-upnp-org:device-1-0\">{GoodDevice}</root>";

        Assert.Equal("Good", Parse(Encoding.UTF8.GetBytes(xml)).FriendlyName);
    }

    [Fact]
    public async Task External_entities_are_never_resolved_or_fetched()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/x";
        var secret = Path.GetTempFileName();
        await File.WriteAllTextAsync(secret, "MARKER-7f3a9c");
        try
        {
            foreach (var xml in ExternalEntityDocuments(new Uri(secret).AbsoluteUri, url))
            {
                var exception = Record.Exception(() => DeviceDescriptionParser.Parse(Encoding.UTF8.GetBytes(xml)));

                Assert.True(exception is null or DeviceDescriptionException, exception?.ToString());
                Assert.DoesNotContain("MARKER-7f3a9c", exception?.Message ?? string.Empty);
            }

            await Task.Delay(200);
            Assert.False(listener.Pending(), "the parser connected to the URL named by an entity");
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Entity_pointing_at_a_file_does_not_leak_into_fields()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE root [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>"
            + "<root><device><friendlyName>&xxe;</friendlyName></device></root>";

        var exception = Assert.Throws<DeviceDescriptionException>(() => Parse(Encoding.UTF8.GetBytes(xml)));

        Assert.Contains("xxe", exception.Message);
    }

    [Fact]
    public void Billion_laughs_does_not_expand()
    {
        var entities = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (var i = 1; i < 10; i++)
        {
            var refs = string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10));
            entities.Append($"<!ENTITY lol{i} \"{refs}\">");
        }

        var xml = $"<?xml version=\"1.0\"?><!DOCTYPE root [{entities}]><root><device>"
            + "<friendlyName>&lol9;</friendlyName></device></root>";

        var exception = Record.Exception(() => Parse(Encoding.UTF8.GetBytes(xml)));

        Assert.IsType<DeviceDescriptionException>(exception);
        Assert.True(exception!.Message.Length < 1000);
    }

    [Fact]
    public void Bad_url_base_is_kept_as_text_and_reported()
    {
        var device = GoodDevice.Replace("</device>", "<presentationURL>http://[bad</presentationURL></device>");
        var xml = $"<root><URLBase>http://</URLBase>{device}</root>";

        var description = Parse(Encoding.UTF8.GetBytes(xml));

        Assert.Equal("Good", description.FriendlyName);
        Assert.Equal("http://", description.UrlBase);
        Assert.Equal("http://[bad", description.PresentationUrl);
        Assert.Contains(description.Problems, p => p.Contains("URLBase"));
    }

    [Theory]
    [InlineData("status=ok", "not well-formed XML")]
    [InlineData("", "empty")]
    [InlineData("  \r\n ", "empty")]
    [InlineData("<root><specVersion/></root>", "no <device>")]
    [InlineData("<root><device><friendlyName>cut", "not well-formed XML")]
    public void Broken_bodies_give_a_clear_error(string body, string expected)
    {
        var exception = Assert.Throws<DeviceDescriptionException>(() => Parse(Encoding.UTF8.GetBytes(body)));

        Assert.Contains(expected, exception.Message);
    }

    [Fact]
    public void Wrong_or_missing_namespace_is_tolerated()
    {
        var xml = $"<x:root xmlns:x=\"urn:wrong\">{GoodDevice}</x:root>";

        Assert.Equal("Acme", Parse(Encoding.UTF8.GetBytes(xml)).Manufacturer);
    }

    private static DeviceDescription Parse(byte[] body) => DeviceDescriptionParser.Parse(body);

    private static IEnumerable<string> ExternalEntityDocuments(string fileUri, string httpUrl)
    {
        const string Body = "<root><device><friendlyName>&xxe;</friendlyName></device></root>";
        yield return $"<?xml version=\"1.0\"?><!DOCTYPE root [<!ENTITY xxe SYSTEM \"{fileUri}\">]>{Body}";
        yield return $"<?xml version=\"1.0\"?><!DOCTYPE root [<!ENTITY xxe SYSTEM \"{httpUrl}\">]>{Body}";
        yield return $"<?xml version=\"1.0\"?><!DOCTYPE root [<!ENTITY % p SYSTEM \"{httpUrl}\"> %p;]>{Body}";
        yield return $"<?xml version=\"1.0\"?><!DOCTYPE root SYSTEM \"{httpUrl}\"><root><device/></root>";
        yield return "<?xml version=\"1.0\"?><!DOCTYPE root [<!ENTITY xxe SYSTEM \"http://127.0.0.1:9/\">]>" + Body;
    }
}
