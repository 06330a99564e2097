using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Discovery;
using IoTAdmin.Engine.Discovery.Mdns;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Tests.Support;
using static IoTAdmin.Engine.Tests.Discovery.MdnsObservationBuilderTests;

namespace IoTAdmin.Engine.Tests.Discovery;

/// <summary>
/// mDNS over real sockets on loopback: an emulated responder answers only the exact questions asked,
/// so the follow-up queries are exercised, and first throws malformed datagrams at the receive loop.
/// </summary>
public class MdnsDiscoveryTests
{
    [Fact]
    public async Task Follow_up_queries_resolve_a_camera_despite_malformed_datagrams()
    {
        var address = IPAddress.Parse("127.0.0.20");
        using var responder = new MdnsResponderPeer(address, CameraZone("127.0.0.20"), MalformedDatagrams());
        var log = new RecordingLog();

        var observations = await new MdnsDiscovery(responder.Endpoint)
            .DiscoverAsync(new DiscoveryOptions { Timeout = TimeSpan.FromSeconds(2) }, log, CancellationToken.None);

        // The UniFi advert is malformed only in its TXT record; its other records still count.
        Assert.Equal(new[] { "127.0.0.20", "192.168.1.66" }, observations.Select(o => o.Address).Order());
        var camera = observations.Single(o => o.Address == "127.0.0.20");
        Assert.Equal("cam1", camera.Name);
        Assert.Equal("VistaCam", camera.Vendor);
        Assert.Equal("V5.4.5", camera.FirmwareVersion);
        var rtsp = Assert.Single(camera.Services);
        Assert.Equal(
            ("rtsp", ServiceTransport.Tcp, 554, "Front Door"),
            (rtsp.Name, rtsp.Transport, rtsp.Port, rtsp.Detail));
        Assert.True(responder.QueriesReceived >= 3, $"only {responder.QueriesReceived} queries");
        Assert.Contains(log.Messages, m => m.StartsWith("DEBUG mDNS:") && m.Contains("127.0.0.20"));
    }

    private static List<DnsRecord> CameraZone(string address) => new()
    {
        Ptr("_services._dns-sd._udp.local", "_rtsp", "_tcp.local"),
        Ptr("_rtsp._tcp.local", "Front Door", "_rtsp._tcp.local"),
        Srv("Front Door._rtsp._tcp.local", 554, "cam1.local"),
        Txt("Front Door._rtsp._tcp.local", "vendor=VistaCam", "fw=V5.4.5"),
        A("cam1.local", address),
    };

    private static IEnumerable<byte[]> MalformedDatagrams()
    {
        yield return new byte[] { 0x0A, 0xBA, 0x10, 0x00 };
        yield return SharedData.ReadBytes("mdns", "node-dns-js", "exploits_zlip-1.bin").Skip(42).ToArray();
        yield return SharedData.ReadBytes("mdns", "node-dns-js", "malformed_mdns-unifi1.bin");
    }

    /// <summary>Answers each question with the zone's records of exactly that name and type.</summary>
    private sealed class MdnsResponderPeer : IDisposable
    {
        private readonly UdpClient _socket;
        private readonly CancellationTokenSource _stop = new();

        public MdnsResponderPeer(IPAddress address, List<DnsRecord> zone, IEnumerable<byte[]> junkFirst)
        {
            _socket = new UdpClient(new IPEndPoint(address, 0));
            Endpoint = (IPEndPoint)_socket.Client.LocalEndPoint!;
            _ = AnswerAsync(zone, junkFirst.ToList());
        }

        public IPEndPoint Endpoint { get; }

        public int QueriesReceived { get; private set; }

        public void Dispose()
        {
            _stop.Cancel();
            _socket.Dispose();
        }

        private async Task AnswerAsync(List<DnsRecord> zone, List<byte[]> junk)
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var query = await _socket.ReceiveAsync(_stop.Token);
                    QueriesReceived++;
                    foreach (var datagram in QueriesReceived == 1 ? junk : new List<byte[]>())
                    {
                        await _socket.SendAsync(datagram, query.RemoteEndPoint, _stop.Token);
                    }

                    var questions = DnsMessageParser.Parse(query.Buffer).Questions;
                    var answers = zone.Where(r => questions.Any(q => q.Name.Equals(r.Name) && q.Type == r.Type));
                    var response = DnsMessageWriter.Response(answers.ToList());
                    await _socket.SendAsync(response, query.RemoteEndPoint, _stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
        }
    }
}
