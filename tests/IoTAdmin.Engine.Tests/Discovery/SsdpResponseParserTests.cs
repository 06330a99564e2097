using System.Text;
using IoTAdmin.Engine.Discovery.Ssdp;

namespace IoTAdmin.Engine.Tests.Discovery;

public class SsdpResponseParserTests
{
    // BR-22, from GGist/ssdp-rs#42: blanks around '=', an empty EXT and no blank line at the end.
    private const string SonosDatagram =
        "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age = 3600\r\nEXT:\r\n"
        + "LOCATION: http://192.168.1.82:1400/xml/group_description.xml\r\n"
        + "SERVER: Linux UPnP/1.0 Sonos/42.2-51240 (ZPS13)\r\n"
        + "ST: urn:smartspeaker-audio:service:SpeakerGroup:1\r\n"
        + "USN: uuid:RINCON_000E58F0A2C401400::urn:smartspeaker-audio:service:SpeakerGroup:1";

    [Fact]
    public void Sonos_answer_without_final_blank_line_is_read_whole()
    {
        var response = SsdpResponseParser.Parse(Encoding.ASCII.GetBytes(SonosDatagram));

        Assert.Equal(3600, response.MaxAgeSeconds);
        Assert.Equal(string.Empty, response.Header("ext"));
        Assert.Equal("http://192.168.1.82:1400/xml/group_description.xml", response.Location);
        Assert.Equal("Linux UPnP/1.0 Sonos/42.2-51240 (ZPS13)", response.Server);
        Assert.Equal("urn:smartspeaker-audio:service:SpeakerGroup:1", response.SearchTarget);
        Assert.StartsWith("uuid:RINCON_", response.UniqueServiceName);
    }

    [Fact]
    public void Router_notify_with_lower_case_location_header_is_read()
    {
        var datagram = RecordedCaptures.SsdpDatagram("starcraft_battle.pcap", "lOCATION:");

        var response = SsdpResponseParser.Parse(datagram);

        Assert.True(response.IsNotify);
        Assert.Equal("http://192.168.1.254:57052/rootDesc0.xml", response.Location);
        Assert.Equal("uuid:11266736-fa59-11e4-9c9f-8426153e75c4", response.SearchTarget);
        Assert.Equal("1337", response.Header("CONFIGID.UPNP.ORG"));
    }

    [Fact]
    public void Roku_answer_with_empty_ext_and_wakeup_header_is_read()
    {
        var datagram = RecordedCaptures.SsdpDatagram("anyconnect-vpn.pcap", "WAKEUP:");

        var response = SsdpResponseParser.Parse(datagram);

        Assert.Equal(string.Empty, response.Header("EXT"));
        Assert.Equal("MAC=d8:31:34:20:77:fb;Timeout=10", response.Header("wakeup"));
        Assert.Equal("http://10.0.0.151:8060/dial/dd.xml", response.Location);
        Assert.Equal("Roku UPnP/1.0 Roku/9.1.0", response.Server);
    }

    [Fact]
    public void Location_without_path_and_usn_without_uuid_are_kept()
    {
        var text = "HTTP/1.1 200 OK\nLocation :  https://192.168.1.33:443\nUSN:  device-42::upnp:rootdevice\n"
            + "ST: custom:thing\n\n";

        var response = SsdpResponseParser.Parse(text);

        Assert.Equal("https://192.168.1.33:443", response.Location);
        Assert.Equal("device-42::upnp:rootdevice", response.UniqueServiceName);
        Assert.Equal("custom:thing", response.SearchTarget);
    }

    [Theory]
    [InlineData("status=ok")]
    [InlineData("")]
    [InlineData("M-SEARCH * HTTP/1.1\r\nST: ssdp:all\r\n\r\n")]
    [InlineData("HTTP/1.1 404 Not Found\r\n\r\n")]
    [InlineData("\u0000\u00ff\u0001garbage")]
    public void Junk_is_rejected_with_a_clear_error(string text)
    {
        var datagram = Encoding.Latin1.GetBytes(text);

        var exception = Assert.Throws<SsdpFormatException>(() => SsdpResponseParser.Parse(datagram));

        Assert.Contains("Not an SSDP", exception.Message);
    }

    [Theory]
    [InlineData("Linux UPnP/1.0 Sonos/42.2-51240 (ZPS13)", null)]
    [InlineData("Roku UPnP/1.0 Roku/9.1.0", "9.1.0")]
    [InlineData("EPICENTRO UPnP/1.0 MiniUPnPd/1.6", null)]
    [InlineData("Linux/2.6 UPnP/1.0 DS-2CD2185/V5.5.3", "V5.5.3")]
    [InlineData("no version here", null)]
    public void Firmware_is_guessed_from_the_server_banner_only_past_the_upnp_stack(string server, string? expected)
    {
        Assert.Equal(expected, SsdpObservationBuilder.FirmwareFromServer(server));
    }
}
