using System.Text;
using IoTAdmin.Engine.Exposure;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Tests.Exposure;

/// <summary>Parsers of the exposure audit on their smallest inputs, hostile ones included.</summary>
public sealed class ExposureParserTests
{
    [Theory]
    [InlineData("22", new[] { 22 })]
    [InlineData("80,22-24, 23", new[] { 80, 22, 23, 24 })]
    [InlineData("65535", new[] { 65535 })]
    public void PortList_WithValidText_ShouldListDistinctPortsInOrder(string text, int[] expected)
    {
        Assert.Equal(expected, IoTPortSets.Parse(text));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("30-20")]
    [InlineData("a-b")]
    [InlineData(",")]
    [InlineData("-5")]
    public void PortList_WithBadText_ShouldSayWhatIsWrong(string text)
    {
        var error = Assert.Throws<FormatException>(() => IoTPortSets.Parse(text));
        Assert.Contains("'", error.Message);
    }

    [Fact]
    public void TopPorts_ShouldStartWithTheAdministrationPortsAndHaveNoDuplicates()
    {
        var all = IoTPortSets.TopTcp(IoTPortSets.TopTcpSize);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(new[] { 80, 23, 443, 22 }, IoTPortSets.TopTcp(4));
    }

    [Theory]
    [InlineData("SSH-2.0-dropbear_2022.83\r\n", "ssh", "dropbear", "2022.83")]
    [InlineData("SSH-2.0-\r\n", "ssh", null, null)]
    [InlineData("\xff\xfd\x18\xff\xfb\x01", "telnet", null, null)]
    [InlineData("220 (vsFTPd 3.0.3)\r\n", "ftp", null, null)]
    [InlineData("RTSP/1.0 200 OK\r\nServer: VistaCam RTSP Server/1.0\r\n\r\n", "rtsp", "VistaCam RTSP Server", "1.0")]
    [InlineData("HTTP/1.1 404 Not Found\r\nServer: Debian/12 UPnP/1.1 MiniUPnPd/2.3.1\r\n\r\n", "upnp", "MiniUPnPd",
        "2.3.1")]
    [InlineData("HTTP/1.0 200 OK\r\nServer: Apache/2.4.57 (Debian)\r\n\r\n", "http", "Apache", "2.4.57")]
    [InlineData("\x20\x02\x00\x00", "mqtt", null, null)]
    [InlineData("\x16\x03\x03\x00\x05\x02\x00\x00\x01\x00", "tls", null, null)]
    public void Classify_WithGreetingOrAnswer_ShouldNameTheService(string raw, string name, string? product,
        string? version)
    {
        var service = new NetworkService("127.0.0.1", 1, ServiceTransport.Tcp, PortState.Open);

        Assert.True(ServiceClassifier.Classify(Encoding.Latin1.GetBytes(raw), service));

        Assert.Equal(name, service.Name);
        Assert.Equal(product, service.Product);
        Assert.Equal(version, service.Version);
    }

    [Fact]
    public void Classify_WithBinaryGarbage_ShouldKeepAPrintableBannerAndNameNothing()
    {
        var garbage = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7 % 251)).ToArray();
        var service = new NetworkService("127.0.0.1", 1, ServiceTransport.Tcp, PortState.Open);

        Assert.False(ServiceClassifier.Classify(garbage, service));

        Assert.Null(service.Name);
        Assert.True(service.Banner!.Length <= 160);
        Assert.All(service.Banner, c => Assert.InRange(c, ' ', '~'));
    }

    [Theory]
    [InlineData(TlsProtocol.Tls10)]
    [InlineData(TlsProtocol.Tls12)]
    [InlineData(TlsProtocol.Tls13)]
    public void ClientHello_ShouldBeOneCompleteHandshakeRecord(TlsProtocol protocol)
    {
        var hello = TlsHello.BuildClientHello(protocol, "cam.example");

        Assert.Equal(0x16, hello[0]);
        Assert.True(TlsHello.HasFirstRecord(hello, hello.Length));
        Assert.Equal(hello.Length - 5, (hello[3] << 8) | hello[4]);
        Assert.Equal(1, hello[5]);
    }

    [Fact]
    public void ParseAnswer_WithTruncatedOrHostileRecords_ShouldNeverThrow()
    {
        var inputs = new[]
        {
            new byte[] { 0x16, 0x03, 0x03, 0xFF, 0xFF },
            new byte[] { 0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00 },
            new byte[] { 0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46 },
            Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n\r\n"),
        };

        var kinds = inputs.Select(i => TlsHello.ParseAnswer(i, i.Length).Kind).ToList();

        Assert.Equal(new[] { TlsAnswerKind.NotTls, TlsAnswerKind.NotTls, TlsAnswerKind.Alert, TlsAnswerKind.NotTls },
            kinds);
    }

    [Fact]
    public void GeneralNames_WithDnsAndIpEntries_ShouldListBoth()
    {
        // SEQUENCE { [2] "cam1", [7] 10.47.0.11, [7] 5 bytes (malformed, ignored) }
        var der = new byte[] { 0x30, 0x11, 0x82, 0x04, (byte)'c', (byte)'a', (byte)'m', (byte)'1',
            0x87, 0x04, 10, 47, 0, 11, 0x87, 0x01, 0x00 };

        Assert.Equal(new[] { "cam1", "10.47.0.11" }, CertificateNames.ParseGeneralNames(der));
    }

    [Fact]
    public void GeneralNames_WithLengthsPastTheEnd_ShouldStopWithoutThrowing()
    {
        var der = new byte[] { 0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x82, 0x7F, 0x61 };

        Assert.Empty(CertificateNames.ParseGeneralNames(der));
    }
}
