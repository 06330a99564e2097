using System.Net;
using System.Text;
using IoTAdmin.Engine.Traffic;

namespace IoTAdmin.Engine.Tests.Traffic;

public sealed class FlowReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NftablesLogLinesFromSyslogAndDmesgAreRead()
    {
        var text = string.Join("\n",
            "Dec  3 11:59:58 gw kernel: [ 8547.7] IOTLAB-OUT IN= OUT=eth0 SRC=10.47.0.11 DST=10.47.0.1 LEN=60 TOS=0x00"
                + " PREC=0x00 TTL=64 ID=4711 DF PROTO=TCP SPT=40000 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0",
            "Dec  3 11:59:59 gw sshd[12]: Accepted publickey for root from 10.47.0.1",
            "[ 8550.1] IOTLAB-OUT IN= OUT=eth0 SRC=10.47.0.11 DST=10.47.0.12 LEN=29 PROTO=UDP SPT=5000 DPT=53 LEN=9",
            "[ 8551.0] IOTLAB-OUT IN= OUT=eth0 SRC=10.47.0.11 DST=10.47.0.13 LEN=84 PROTO=ICMP TYPE=8 CODE=0 ID=1");

        var sink = Read(text, FlowFormat.Auto);

        Assert.Empty(sink.Errors);
        Assert.Equal(3, sink.Flows.Count);
        var ssh = sink.Flows[0];
        Assert.Equal(IPAddress.Parse("10.47.0.1"), ssh.Destination);
        Assert.Equal(("tcp", 40000, 22), (ssh.Protocol, ssh.SourcePort, ssh.DestinationPort));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 11, 59, 58, TimeSpan.Zero), ssh.Time);
        Assert.Equal("test.log:1", ssh.Origin);
        Assert.Equal(("udp", 53), (sink.Flows[1].Protocol, sink.Flows[1].DestinationPort));
        Assert.Equal(("icmp", 0), (sink.Flows[2].Protocol, sink.Flows[2].DestinationPort));
    }

    [Fact]
    public void TruncatedAndGarbledLogLinesGiveOneErrorEachAndTheRestIsRead()
    {
        var text = string.Join("\n",
            "Dec  3 11:00:00 gw kernel: IN= OUT=eth0 SRC=10.47.0.11 DST=10.4",
            "Dec  3 11:00:01 gw kernel: IN= OUT=eth0 SRC=10.47.0.11 DST=10.47.0.1 LEN=60 PROTO=TCP SPT=1 DPT=22",
            "Dec  3 11:00:02 gw kernel: IN= OUT=eth0 SRC=10.47.0.11 DST=10.47.0.1 PROTO=TCP SPT=1 DPT=99999",
            "Dec  3 11:00:03 gw kernel: IN= OUT=eth0 SRC=10.47.0.11",
            "\u0000\u00ff garbage SRC=zz");

        var sink = Read(text, FlowFormat.FirewallLog);

        Assert.Single(sink.Flows);
        Assert.Equal(4, sink.Errors.Count);
        Assert.Contains("is not an IP address", sink.Errors[0].Message);
        Assert.Equal("test.log:1", sink.Errors[0].Origin);
        Assert.Contains("not a port number", sink.Errors[1].Message);
        Assert.Contains("no DST= field", sink.Errors[2].Message);
    }

    [Fact]
    public void AFutureTimestampIsReportedAsClockSkewButJudged()
    {
        var sink = Read("2027-01-01T00:00:00+00:00 gw kernel: IN= OUT=eth0 SRC=10.47.0.11 DST=10.47.0.1 PROTO=TCP"
            + " SPT=1 DPT=22", FlowFormat.Auto);

        Assert.Single(sink.Flows);
        var error = Assert.Single(sink.Errors);
        Assert.True(error.Processed);
        Assert.Contains("clock skew", error.Message);
    }

    [Fact]
    public void ConntrackListingsGiveTheOriginalDirection()
    {
        var text = string.Join("\n",
            "tcp      6 431999 ESTABLISHED src=10.47.0.11 dst=10.47.0.1 sport=40000 dport=22 packets=5 bytes=400"
                + " src=10.47.0.1 dst=10.47.0.11 sport=22 dport=40000 packets=4 bytes=300 [ASSURED] mark=0 use=1",
            "ipv4     2 udp      17 29 src=10.47.0.11 dst=10.47.0.12 sport=5353 dport=53 [UNREPLIED] src=10.47.0.12"
                + " dst=10.47.0.11 sport=53 dport=5353 mark=0 use=1",
            "conntrack v1.4.7 (conntrack-tools): 2 flow entries have been shown.",
            "tcp      6 10 SYN_SENT src=10.47.0.11 dst=");

        var sink = Read(text, FlowFormat.Conntrack);

        Assert.Equal(2, sink.Flows.Count);
        Assert.Equal((22, 400L, 5L), (sink.Flows[0].DestinationPort, sink.Flows[0].Bytes!.Value,
            sink.Flows[0].Packets!.Value));
        Assert.Equal(("udp", "10.47.0.12"), (sink.Flows[1].Protocol, sink.Flows[1].Destination.ToString()));
        var error = Assert.Single(sink.Errors);
        Assert.Equal("test.log:4", error.Origin);
    }

    [Fact]
    public void ZeekConnLogIsReadByItsFieldsHeader()
    {
        var text = string.Join("\n",
            "#separator \\x09",
            "#path\tconn",
            "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes"
                + "\tresp_bytes\tconn_state",
            "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring",
            "1764763200.123456\tCx1\t10.47.0.11\t40000\t10.47.0.1\t22\ttcp\tssh\t1.5\t100\t200\tSF",
            "1764763201.0\tCx2\t10.47.0.11\t40001\t198.51.100.7\t443\ttcp\t-\t-\t-\t-\tS0",
            "1764763202.0\tCx3\t10.47.0.11\t40002",
            "#close\t2026-12-03-12-00-00");

        var sink = Read(text, FlowFormat.Auto);

        Assert.Equal(2, sink.Flows.Count);
        Assert.Equal(300, sink.Flows[0].Bytes);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764763200123), sink.Flows[0].Time);
        Assert.Null(sink.Flows[1].Bytes);
        var error = Assert.Single(sink.Errors);
        Assert.Contains("4 fields where the #fields header names 12", error.Message);
    }

    [Fact]
    public void AnEndlessLineIsCutNotLoaded()
    {
        var huge = new string('A', 1_000_000) + "\nIN= OUT=eth0 SRC=10.47.0.11 DST=10.47.0.1 PROTO=TCP SPT=1 DPT=22\n";

        var sink = Read(huge, FlowFormat.FirewallLog);

        Assert.Single(sink.Flows);
        Assert.Contains("longer than", Assert.Single(sink.Errors).Message);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(10)]
    public void SoftflowdExportsAreDecoded(int version)
    {
        var pcap = new PcapBuilder()
            .Tcp("10.47.0.11", "10.47.0.1", 40000, 22, 0x02, 0)
            .Tcp("10.47.0.1", "10.47.0.11", 22, 40000, 0x12, 1)
            .Tcp("10.47.0.11", "10.47.0.12", 40001, 443, 0x02, 2)
            .Udp("10.47.0.11", "10.47.0.13", 5000, 1883, new byte[40], 3)
            .ToArray();
        var datagrams = Softflowd.Export(pcap, version);
        var sink = new FlowCollector();
        var decoder = new NetFlowDecoder(sink);

        foreach (var datagram in datagrams)
        {
            decoder.Decode(IPAddress.Loopback, datagram, 0, datagram.Length, "export");
        }

        decoder.Finish();

        Assert.Empty(sink.Errors);
        var tuples = sink.Flows
            .Select(f => $"{f.Protocol} {f.Source}:{f.SourcePort}>{f.Destination}:{f.DestinationPort}")
            .OrderBy(t => t, StringComparer.Ordinal).ToList();
        Assert.Equal(new[]
        {
            "tcp 10.47.0.11:40000>10.47.0.1:22", "tcp 10.47.0.11:40001>10.47.0.12:443",
            "tcp 10.47.0.1:22>10.47.0.11:40000", "udp 10.47.0.11:5000>10.47.0.13:1883",
        }, tuples);
        Assert.All(sink.Flows, f => Assert.Equal(1, f.Packets));
        Assert.All(sink.Flows, f => Assert.NotNull(f.Time));
        // softflowd offline puts flow starts on its own uptime scale: only their distances are the capture's.
        // For IPFIX that needs the exporter's systemInitTimeMilliseconds options record.
        var ssh = sink.Flows.Single(f => f.DestinationPort == 22).Time!.Value;
        var https = sink.Flows.Single(f => f.DestinationPort == 443).Time!.Value;
        Assert.Equal(2, (https - ssh).TotalSeconds, 3);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    public void DataBeforeItsTemplateIsHeldAndDecodedWhenTheTemplateArrives(int version)
    {
        var pcap = new PcapBuilder().Tcp("10.47.0.11", "10.47.0.12", 40001, 443, 0x02, 0).ToArray();
        var datagram = Softflowd.Export(pcap, version).Single();
        var (templates, data) = SplitSets(datagram, version);
        var sink = new FlowCollector();
        var decoder = new NetFlowDecoder(sink);

        decoder.Decode(IPAddress.Loopback, data, 0, data.Length, "data first");
        Assert.Empty(sink.Flows);
        decoder.Decode(IPAddress.Loopback, templates, 0, templates.Length, "template later");
        decoder.Finish();

        Assert.Empty(sink.Errors);
        var flow = Assert.Single(sink.Flows);
        Assert.Equal(443, flow.DestinationPort);
        // softflowd sends an options data set (its sampling settings) beside the flows: both wait.
        Assert.Equal(2, decoder.DecodedLate);
        Assert.Contains("held for its template", flow.Origin);
    }

    [Fact]
    public void DataWhoseTemplateNeverArrivesIsReported()
    {
        var pcap = new PcapBuilder().Tcp("10.47.0.11", "10.47.0.12", 40001, 443, 0x02, 0).ToArray();
        var (_, data) = SplitSets(Softflowd.Export(pcap, 9).Single(), 9);
        var sink = new FlowCollector();
        var decoder = new NetFlowDecoder(sink);

        decoder.Decode(IPAddress.Loopback, data, 0, data.Length, "orphan");
        decoder.Finish();

        Assert.Empty(sink.Flows);
        Assert.Equal(2, sink.Errors.Count);
        Assert.All(sink.Errors, e => Assert.Contains("never arrived", e.Message));
        Assert.All(sink.Errors, e => Assert.StartsWith("orphan set", e.Origin));
    }

    [Fact]
    public void CutAndGarbledDatagramsGiveErrorsAndTheGoodOnesAreRead()
    {
        var pcap = new PcapBuilder()
            .Tcp("10.47.0.11", "10.47.0.1", 40000, 22, 0x02, 0)
            .Tcp("10.47.0.11", "10.47.0.12", 40001, 443, 0x02, 1).ToArray();
        var good = Softflowd.Export(pcap, 5).Single();
        var sink = new FlowCollector();
        var decoder = new NetFlowDecoder(sink);

        decoder.Decode(IPAddress.Loopback, good, 0, good.Length - 30, "cut");
        decoder.Decode(IPAddress.Loopback, new byte[] { 0, 7, 1, 2, 3, 4 }, 0, 6, "garbled");
        decoder.Decode(IPAddress.Loopback, good, 0, good.Length, "good");

        Assert.Equal(3, sink.Flows.Count);
        Assert.Equal(2, sink.Errors.Count);
        Assert.Contains("announces 2 records, the datagram holds 1", sink.Errors[0].Message);
        Assert.Contains("version 7", sink.Errors[1].Message);
    }

    [Fact]
    public void APcapOfTheCollectorPortIsReadAsAFile()
    {
        var flows = new PcapBuilder().Tcp("10.47.0.11", "10.47.0.12", 40001, 443, 0x02, 0).ToArray();
        var capture = new PcapBuilder();
        foreach (var datagram in Softflowd.Export(flows, 9))
        {
            capture.Udp("10.47.0.1", "10.47.0.2", 40000, 2055, datagram, 0);
        }

        var policy = new TrafficPolicy();
        policy.AddDevice(new PolicyDevice(IpNetwork.Parse("10.47.0.0/24"), "Camera", "cams"));
        policy.AllowForProfile("Camera", AllowRule.Parse("10.47.0.1"));
        var errors = new List<FlowReadError>();
        var analyzer = new TrafficAnalyzer(policy, keepAllowed: false, errors.Add);

        analyzer.ReadSource("flows.pcap", new MemoryStream(capture.ToArray()), FlowFormat.Auto);

        Assert.Empty(errors);
        var finding = Assert.Single(analyzer.Findings());
        Assert.Equal(("10.47.0.12", 443, "Forbidden"), (finding.Destination, finding.DestinationPort, finding.Verdict));
        Assert.StartsWith("flows.pcap packet 1", finding.Origin);
    }

    [Fact]
    public void PolicyRulesMatchNetworksPortsAndProtocols()
    {
        var rule = AllowRule.Parse("tcp:10.47.0.0/24:22,8000-8100");
        var v6 = AllowRule.Parse("[2001:db8::/32]:443");

        Assert.True(rule.Allows(Flow("10.47.0.11", "10.47.0.9", "tcp", 8050)));
        Assert.False(rule.Allows(Flow("10.47.0.11", "10.47.0.9", "udp", 22)));
        Assert.False(rule.Allows(Flow("10.47.0.11", "10.47.1.9", "tcp", 22)));
        Assert.True(v6.Allows(Flow("2001:db8::5", "2001:db8:1::1", "tcp", 443)));
        Assert.True(AllowRule.Parse("2001:db8::1").Allows(Flow("10.0.0.1", "2001:db8::1", "udp", 1)));
        Assert.Throws<FormatException>(() => AllowRule.Parse("10.47.0.1:99999"));
        Assert.Throws<FormatException>(() => AllowRule.Parse("not-an-address"));
    }

    private static FlowRecord Flow(string source, string destination, string protocol, int port) =>
        new(IPAddress.Parse(source), IPAddress.Parse(destination), protocol, 1, port);

    private static FlowCollector Read(string text, FlowFormat format)
    {
        var sink = new FlowCollector();
        new TextFlowReader("test.log", sink, Now).Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), format);
        return sink;
    }

    /// <summary>Cuts an export into one message with its template sets and one with its data sets.</summary>
    private static (byte[] Templates, byte[] Data) SplitSets(byte[] datagram, int version)
    {
        var headerLength = version == 9 ? 20 : 16;
        var header = datagram.Take(headerLength).ToArray();
        var templates = new List<byte>(header);
        var data = new List<byte>(header);
        for (var at = headerLength; at + 4 <= datagram.Length;)
        {
            var id = (datagram[at] << 8) | datagram[at + 1];
            var length = (datagram[at + 2] << 8) | datagram[at + 3];
            (id < 256 ? templates : data).AddRange(datagram.Skip(at).Take(length));
            at += length;
        }

        return (FixLength(templates.ToArray(), version), FixLength(data.ToArray(), version));
    }

    private static byte[] FixLength(byte[] message, int version)
    {
        if (version == 10)
        {
            message[2] = (byte)(message.Length >> 8);
            message[3] = (byte)message.Length;
        }

        return message;
    }
}
