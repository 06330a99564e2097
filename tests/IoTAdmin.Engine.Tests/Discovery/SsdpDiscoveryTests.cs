using System.Diagnostics;
using System.Net;
using System.Text;
using IoTAdmin.Engine.Discovery;
using IoTAdmin.Engine.Discovery.Ssdp;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Tests.Support;

namespace IoTAdmin.Engine.Tests.Discovery;

/// <summary>
/// SSDP end to end over real sockets on 127.0.0.0/8: each emulated device answers from its own
/// loopback address and serves its description from there.
/// </summary>
public class SsdpDiscoveryTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Real_http_server_description_is_fetched_and_parsed()
    {
        var address = IPAddress.Parse("127.0.0.1");
        using var server = DescriptionServer(address, "linksys_WAG200G_desc.xml", out var location);
        using var device = new SsdpResponderPeer(address, SsdpResponderPeer.Answer(location));

        var observation = Assert.Single(await DiscoverAsync(device));

        Assert.Equal("127.0.0.1", observation.Address);
        Assert.Equal(DiscoveryProtocol.Ssdp, observation.Protocol);
        Assert.Null(observation.Error);
        Assert.Equal("LINKSYS WAG200G Gateway", observation.Name);
        Assert.Equal("LINKSYS", observation.Vendor);
        Assert.Equal("Wireless-G ADSL Home Gateway WAG200G", observation.Model);
        Assert.Equal("urn:schemas-upnp-org:device:InternetGatewayDevice:1", observation.Attributes["upnp.deviceType"]);
        Assert.Contains("WANPPPConnection", observation.Attributes["upnp.services"].Split(','));
        Assert.Equal(location, observation.Attributes["ssdp.location"]);
        Assert.Equal("upnp:rootdevice", observation.Attributes["ssdp.st"]);
        var port = new Uri(location).Port;
        Assert.Contains(
            observation.Services,
            s => s is { Name: "upnp", Transport: ServiceTransport.Tcp } && s.Port == port);
        Assert.Contains(observation.Services, s => s is { Name: "ssdp", Transport: ServiceTransport.Udp, Port: 1900 });
    }

    [Fact]
    public async Task Broken_devices_become_entries_with_errors_and_the_run_goes_on()
    {
        var good = DescriptionServer(IPAddress.Parse("127.0.0.1"), "new_LiveBox_desc.xml", out var goodLocation);
        var peers = new List<IDisposable> { good };
        var devices = new List<SsdpResponderPeer>
        {
            new(IPAddress.Parse("127.0.0.1"), SsdpResponderPeer.Answer(goodLocation)),
            Serve(peers, "127.0.0.2", RawHttpPeer.Ok("status=ok")),
            Serve(peers, "127.0.0.3", RawHttpPeer.Ok(string.Empty)),
            Serve(peers, "127.0.0.4", RawHttpPeer.Ok(
                "<root><URLBase>http://</URLBase><device><friendlyName>Odd</friendlyName></device></root>")),
        };
        peers.AddRange(devices);
        try
        {
            var observations = (await DiscoverAsync(devices.ToArray())).ToDictionary(o => o.Address);

            Assert.Equal("Orange Livebox", observations["127.0.0.1"].Name);
            Assert.Null(observations["127.0.0.1"].Error);
            Assert.Contains("not well-formed XML", observations["127.0.0.2"].Error);
            Assert.Contains("empty", observations["127.0.0.3"].Error);
            Assert.Contains("URLBase", observations["127.0.0.4"].Error);
            Assert.Equal("Odd", observations["127.0.0.4"].Name);
        }
        finally
        {
            peers.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public async Task Body_larger_than_the_cap_is_rejected_even_with_a_lying_content_length()
    {
        var body = "<root><device><friendlyName>" + new string('x', 64 * 1024) + "</friendlyName></device></root>";
        var peers = new List<IDisposable>();
        var device = Serve(peers, "127.0.0.5", RawHttpPeer.Ok(body, "Content-Length: 100\r\n"));
        peers.Add(device);
        try
        {
            var observation = Assert.Single(await DiscoverAsync(new[] { device }, maxDescriptionBytes: 4096));

            Assert.Contains("larger than the limit of 4096 bytes", observation.Error);
            Assert.Null(observation.Name);
        }
        finally
        {
            peers.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public async Task Server_that_never_answers_hits_the_timeout()
    {
        var peers = new List<IDisposable>();
        var device = Serve(peers, "127.0.0.6", response: null);
        peers.Add(device);
        try
        {
            var clock = Stopwatch.StartNew();
            var observation = Assert.Single(await DiscoverAsync(device));

            Assert.Contains("within", observation.Error);
            Assert.True(clock.Elapsed < s_timeout + TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        }
        finally
        {
            peers.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public async Task Location_on_another_host_is_refused_and_never_contacted()
    {
        using var elsewhere = new RawHttpPeer(IPAddress.Parse("127.0.0.8"), RawHttpPeer.Ok("<root/>"));
        var location = $"http://127.0.0.8:{elsewhere.Port}/desc.xml";
        using var device = new SsdpResponderPeer(IPAddress.Parse("127.0.0.7"), SsdpResponderPeer.Answer(location));

        var observation = Assert.Single(await DiscoverAsync(device));

        Assert.Equal("127.0.0.7", observation.Address);
        Assert.Contains("another host", observation.Error);
        Assert.Equal(0, elsewhere.Connections);
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        using var target = new RawHttpPeer(IPAddress.Parse("127.0.0.9"), RawHttpPeer.Ok("<root/>"));
        var redirect = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.9:{target.Port}/\r\nContent-Length: 0\r\n\r\n");
        var peers = new List<IDisposable>();
        var device = Serve(peers, "127.0.0.10", redirect);
        peers.Add(device);
        try
        {
            var observation = Assert.Single(await DiscoverAsync(device));

            Assert.Contains("302", observation.Error);
            Assert.Equal(0, target.Connections);
        }
        finally
        {
            peers.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public async Task Junk_datagrams_are_dropped_and_the_real_answer_still_counts()
    {
        var address = IPAddress.Parse("127.0.0.11");
        using var server = new RawHttpPeer(address, RawHttpPeer.Ok(
            "<root><device><friendlyName>Survivor</friendlyName></device></root>"));
        var location = $"http://127.0.0.11:{server.Port}/d.xml";
        using var device = new SsdpResponderPeer(
            address, "\n\u00ba\u0010\0", "status=ok", "HTTP/1.1 500 Oops\r\n\r\n", SsdpResponderPeer.Answer(location));
        var log = new RecordingLog();

        var observation = Assert.Single(await DiscoverAsync(new[] { device }, log: log));

        Assert.Equal("Survivor", observation.Name);
        Assert.Contains(log.Messages, m => m.StartsWith("DEBUG SSDP:") && m.Contains("127.0.0.11"));
    }

    private static SsdpResponderPeer Serve(List<IDisposable> peers, string address, byte[]? response)
    {
        var ip = IPAddress.Parse(address);
        var server = new RawHttpPeer(ip, response);
        peers.Add(server);
        return new SsdpResponderPeer(ip, SsdpResponderPeer.Answer($"http://{address}:{server.Port}/desc.xml"));
    }

    private static Task<IReadOnlyList<DiscoveryObservation>> DiscoverAsync(params SsdpResponderPeer[] devices) =>
        DiscoverAsync(devices, 256 * 1024);

    private static Task<IReadOnlyList<DiscoveryObservation>> DiscoverAsync(
        IEnumerable<SsdpResponderPeer> devices,
        int maxDescriptionBytes = 256 * 1024,
        RecordingLog? log = null)
    {
        var discovery = new SsdpDiscovery(devices.Select(d => d.Endpoint).ToArray());
        var options = new DiscoveryOptions { Timeout = s_timeout, MaxDescriptionBytes = maxDescriptionBytes };
        return discovery.DiscoverAsync(options, log ?? new RecordingLog(), CancellationToken.None);
    }

    /// <summary>A real HTTP server (HttpListener) serving one recorded description.</summary>
    private static HttpListenerHost DescriptionServer(IPAddress address, string file, out string location)
    {
        var body = SharedData.ReadBytes("upnp", "miniupnpc-testdesc", file);
        var host = new HttpListenerHost(address, body);
        location = $"http://{address}:{host.Port}/rootDesc.xml";
        return host;
    }
}
