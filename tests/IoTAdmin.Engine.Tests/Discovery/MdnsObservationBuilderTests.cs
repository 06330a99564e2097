using System.Net;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Discovery.Mdns;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Tests.Support;

namespace IoTAdmin.Engine.Tests.Discovery;

public class MdnsObservationBuilderTests
{
    private static readonly IPAddress s_sender = IPAddress.Parse("192.0.2.50");

    [Theory]
    [InlineData("node-dns-js", "mdns-readynas.bin")]
    [InlineData("node-dns-js", "mdns-googlecast-type47.bin")]
    [InlineData("node-mdns-js", "mdns-issue63.bin")]
    [InlineData("node-dns-js", "malformed_mdns-unifi1.bin")]
    public void Recorded_answers_build_observations(string folder, string file)
    {
        var observations = Build(DnsMessageParser.Parse(SharedData.ReadBytes("mdns", folder, file)));

        Assert.All(observations, o => Assert.Equal(DiscoveryProtocol.Mdns, o.Protocol));
        Assert.All(observations, o => Assert.False(string.IsNullOrEmpty(o.Address)));
    }

    [Fact]
    public void Unifi_advert_gives_its_host_address_and_http_service()
    {
        var bytes = SharedData.ReadBytes("mdns", "node-dns-js", "malformed_mdns-unifi1.bin");

        var observation = Assert.Single(Build(DnsMessageParser.Parse(bytes)));

        Assert.Equal("192.168.1.66", observation.Address);
        Assert.Equal("micro-lan", observation.Name);
        var service = Assert.Single(observation.Services);
        Assert.Equal(("http", ServiceTransport.Tcp, 8080), (service.Name, service.Transport, service.Port));
        Assert.Equal("UniFi Controller (micro)", service.Detail);
    }

    [Fact]
    public void Camera_advert_maps_services_and_txt_keys()
    {
        var records = new[]
        {
            Ptr("_rtsp._tcp.local", "Front Door", "_rtsp._tcp.local"),
            Srv("Front Door._rtsp._tcp.local", 554, "cam1.local"),
            Txt("Front Door._rtsp._tcp.local", "vendor=Hikvision", "model=DS-2CD2185FWD-I", "fw=V5.5.3", "path"),
            Ptr("_http._tcp.local", "Front Door Web", "_http._tcp.local"),
            Srv("Front Door Web._http._tcp.local", 80, "cam1.local"),
            A("cam1.local", "10.47.0.11"),
        };

        var observation = Assert.Single(Build(Parse(records)));

        Assert.Equal("10.47.0.11", observation.Address);
        Assert.Equal("cam1", observation.Name);
        Assert.Equal("Hikvision", observation.Vendor);
        Assert.Equal("DS-2CD2185FWD-I", observation.Model);
        Assert.Equal("V5.5.3", observation.FirmwareVersion);
        Assert.Equal(string.Empty, observation.Attributes["mdns.txt.path"]);
        Assert.Equal(new[] { "http:80", "rtsp:554" }, observation.Services.Select(s => $"{s.Name}:{s.Port}").Order());
        Assert.Equal("Front Door", observation.Services.Single(s => s.Name == "rtsp").Detail);
    }

    [Fact]
    public void Service_without_address_record_is_credited_to_the_sender()
    {
        var records = new[]
        {
            Ptr("_mqtt._tcp.local", "Broker", "_mqtt._tcp.local"),
            Srv("Broker._mqtt._tcp.local", 1883, "gw1.local"),
        };

        var observation = Assert.Single(Build(Parse(records)));

        Assert.Equal(s_sender.ToString(), observation.Address);
        Assert.Equal("mqtt", observation.Services.Single().Name);
    }

    [Fact]
    public void Over_long_service_label_is_kept_and_logged()
    {
        var log = new RecordingLog();
        var records = new[]
        {
            Ptr("_voucher_com_udemy_tv-auth._tcp.local", "TV", "_voucher_com_udemy_tv-auth._tcp.local"),
            Srv("TV._voucher_com_udemy_tv-auth._tcp.local", 8009, "tv.local"),
            A("tv.local", "192.0.2.9"),
        };

        var observation = Assert.Single(Build(Parse(records), log));

        Assert.Equal("voucher_com_udemy_tv-auth", observation.Services.Single().Name);
        Assert.Contains(log.Messages, m => m.StartsWith("DEBUG") && m.Contains("longer than 15"));
    }

    internal static DnsRecord Ptr(string name, string instance, string type) =>
        new(DnsName.Parse(name), DnsRecordType.Ptr, 1, 120)
        {
            Target = new DnsName(new[] { instance }.Concat(DnsName.Parse(type).Labels).ToList()),
        };

    internal static DnsRecord Srv(string instance, ushort port, string host)
    {
        var name = DnsName.Parse(instance.Substring(instance.IndexOf("._", StringComparison.Ordinal) + 1));
        var labels = new[] { instance.Substring(0, instance.IndexOf("._", StringComparison.Ordinal)) };
        return new DnsRecord(new DnsName(labels.Concat(name.Labels).ToList()), DnsRecordType.Srv, 1, 120)
        {
            Port = port,
            Target = DnsName.Parse(host),
        };
    }

    internal static DnsRecord Txt(string instance, params string[] entries)
    {
        var srv = Srv(instance, 0, "x");
        var record = new DnsRecord(srv.Name, DnsRecordType.Txt, 1, 120);
        record.Text.AddRange(entries);
        return record;
    }

    internal static DnsRecord A(string host, string address) =>
        new(DnsName.Parse(host), DnsRecordType.A, 1, 120) { Address = IPAddress.Parse(address) };

    /// <summary>Round-trips the records through bytes, so the parser is part of every test.</summary>
    private static DnsMessage Parse(IReadOnlyList<DnsRecord> records) =>
        DnsMessageParser.Parse(DnsMessageWriter.Response(records));

    private static IReadOnlyList<DiscoveryObservation> Build(DnsMessage message, IActivityLog? log = null)
    {
        var set = new MdnsRecordSet();
        foreach (var record in message.Records)
        {
            set.Add(record, s_sender);
        }

        return MdnsObservationBuilder.Build(set, log ?? NullActivityLog.Instance);
    }
}
