using System.Text;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Tests.Probes;

public sealed class ProbeParserTests
{
    [Fact]
    public void TelnetNegotiator_WithBr28Sequence_ShouldReplyBoundedWithSameOptionCodes()
    {
        // BR-28: WILL ECHO repeated, interleaved with WILL SGA, DO TTYPE, DO NAWS, WONT ECHO.
        byte[] round =
        {
            0xFF, 0xFB, 0x01, 0xFF, 0xFB, 0x01, 0xFF, 0xFB, 0x03, 0xFF, 0xFD, 0x18, 0xFF, 0xFD, 0x1F, 0xFF, 0xFC, 0x01,
        };
        var negotiator = new TelnetNegotiator();
        var replies = new List<byte>();
        for (var i = 0; i < 200; i++)
        {
            negotiator.Process(round, round.Length, new List<byte>(), replies);
        }

        Assert.Equal(0, replies.Count % 3);
        Assert.True(replies.Count / 3 <= 4 * 4, $"{replies.Count / 3} replies");
        var triples = replies.Chunk(3).ToList();
        Assert.All(triples, t => Assert.Equal(0xFF, t[0]));
        Assert.All(triples, t => Assert.Contains(t[2], new byte[] { 0x01, 0x03, 0x18, 0x1F }));
        Assert.Equal(new byte[] { 0xFF, 0xFD, 0x01 }, triples[0]);
        Assert.Contains(triples, t => t[1] == 0xFC && t[2] == 0x18);
        Assert.DoesNotContain(triples, t => t[2] == 0x02);
    }

    [Fact]
    public void TelnetNegotiator_WithRepeatedWillEcho_ShouldAcknowledgeOnce()
    {
        var input = Enumerable.Repeat(new byte[] { 0xFF, 0xFB, 0x01 }, 50).SelectMany(b => b).ToArray();
        var negotiator = new TelnetNegotiator();
        var replies = new List<byte>();
        negotiator.Process(input, input.Length, new List<byte>(), replies);

        Assert.Equal(new byte[] { 0xFF, 0xFD, 0x01 }, replies.ToArray());
    }

    [Fact]
    public void TelnetNegotiator_WithDataAndSubnegotiation_ShouldPassOnlyData()
    {
        var input = new byte[] { (byte)'a', 0xFF, 0xFA, 0x18, 0x01, 0xFF, 0xF0, (byte)'b', 0xFF, 0xFF, (byte)'c' };
        var data = new List<byte>();
        new TelnetNegotiator().Process(input, input.Length, data, new List<byte>());

        Assert.Equal(new byte[] { (byte)'a', (byte)'b', 0xFF, (byte)'c' }, data.ToArray());
    }

    [Theory]
    [InlineData("\u001b[?2004hcam1 login: ", "cam1 login: ")]
    [InlineData("\u001b[1;32muser@host:~$\u001b[0m ", "user@host:~$ ")]
    [InlineData("\u001b]0;title\u0007[1]router# ", "[1]router# ")]
    public void AnsiStrip_WithEscapes_ShouldLeavePromptText(string input, string expected)
    {
        Assert.Equal(expected, AnsiText.Strip(input));
    }

    [Fact]
    public void SshIdentification_WithEmptySoftwareVersion_ShouldParse()
    {
        // BR-03 bytes, followed by the start of a binary packet.
        var bytes = new byte[] { 0x53, 0x53, 0x48, 0x2D, 0x32, 0x2E, 0x30, 0x2D, 0x0D, 0x0A, 0x00, 0x00, 0x01, 0x2C };

        Assert.True(SshIdentification.TryParse(bytes, bytes.Length, out var id, out var consumed));
        Assert.Equal("2.0", id!.ProtocolVersion);
        Assert.Equal(string.Empty, id.SoftwareVersion);
        Assert.Equal(10, consumed);
    }

    [Fact]
    public void SshIdentification_WithLfOnlyAndBinaryData_ShouldParse()
    {
        // BR-04: LF-only line end, first binary packet (starting with 0x00) in the same segment.
        var line = Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_7.4p1 Raspbian-10+deb9u7\n");
        var bytes = line.Concat(new byte[] { 0, 0, 4, 0x14 }).ToArray();

        Assert.True(SshIdentification.TryParse(bytes, bytes.Length, out var id, out _));
        Assert.Equal("OpenSSH_7.4p1", id!.SoftwareVersion);
        Assert.Equal("Raspbian-10+deb9u7", id.Comments);
    }

    [Fact]
    public void SshIdentification_WithPreBannerLines_ShouldSkipThem()
    {
        var bytes = Encoding.ASCII.GetBytes("Welcome\r\nSSH-2.0-dropbear_2022.83\r\n");

        Assert.True(SshIdentification.TryParse(bytes, bytes.Length, out var id, out _));
        Assert.Equal("dropbear_2022.83", id!.SoftwareVersion);
    }

    [Fact]
    public void SshKexInit_WithPacket_ShouldReadLists()
    {
        var payload = new List<byte> { 20 };
        payload.AddRange(new byte[16]);
        var lists = new[]
        {
            "curve25519-sha256,kexguess2@matt.ucc.asn.au", "ssh-ed25519", "aes128-ctr", "aes128-ctr",
            "hmac-sha2-256", "hmac-sha2-256", "none", "none", "", "",
        };
        foreach (var list in lists)
        {
            var bytes = Encoding.ASCII.GetBytes(list);
            payload.AddRange(BitConverter.GetBytes(bytes.Length).Reverse());
            payload.AddRange(bytes);
        }

        payload.AddRange(new byte[5]);
        var padding = 4;
        var packet = BitConverter.GetBytes(payload.Count + padding + 1).Reverse().Concat(new[] { (byte)padding })
            .Concat(payload).Concat(new byte[padding]).ToArray();

        Assert.True(SshKexInit.TryParsePacket(packet, 0, packet.Length, out var kex));
        Assert.Equal(new[] { "curve25519-sha256", "kexguess2@matt.ucc.asn.au" }, kex!.KeyExchangeAlgorithms);
        Assert.Equal(new[] { "ssh-ed25519" }, kex.HostKeyAlgorithms);
    }

    [Fact]
    public void SshProbe_ParseMethodList_ShouldReadBracketedMethods()
    {
        var methods = SshProbe.ParseMethodList(
            "No suitable authentication method found to complete authentication (publickey).");

        Assert.Equal(new[] { "publickey" }, methods);
    }

    [Fact]
    public void MqttConnect_ForVersion31_ShouldUseMqIsdpLevel3()
    {
        // BR-27: protocol name MQIsdp with level 0x03, never 0x83.
        var packet = MqttPackets.BuildConnect(MqttProtocolVersion.V31, "iotadmin-1", null, null);

        Assert.Equal(0x10, packet[0]);
        var expected = new byte[] { 0x00, 0x06, 0x4D, 0x51, 0x49, 0x73, 0x64, 0x70, 0x03 };
        Assert.Equal(expected, packet.Skip(2).Take(9).ToArray());
        Assert.Equal(0x02, packet[11]);
    }

    [Fact]
    public void MqttConnect_ForVersion311WithCredentials_ShouldSetFlags()
    {
        var packet = MqttPackets.BuildConnect(MqttProtocolVersion.V311, "c", "u", "p");

        Assert.Equal(new byte[] { 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x04, 0xC2 }, packet.Skip(2).Take(8).ToArray());
        Assert.Equal(packet.Length - 2, packet[1]);
    }

    [Theory]
    [InlineData(new byte[] { 0x20, 0x02, 0x00, 0x00 }, 0)]
    [InlineData(new byte[] { 0x20, 0x02, 0x00, 0x01 }, 1)]
    [InlineData(new byte[] { 0x20, 0x02, 0x00, 0x05 }, 5)]
    public void MqttConnAck_WithReturnCode_ShouldParse(byte[] bytes, int expected)
    {
        Assert.True(MqttPackets.TryParseConnAck(bytes, bytes.Length, out var code, out _));
        Assert.Equal(expected, code);
    }

    [Fact]
    public void MqttConnAck_WithOtherPacket_ShouldNotParse()
    {
        Assert.False(MqttPackets.TryParseConnAck(new byte[] { 0x30, 0x02, 0x00, 0x00 }, 4, out _, out _));
    }

    [Fact]
    public void HttpAuthChallenge_WithDigestAndBasic_ShouldParseBoth()
    {
        var challenges = HttpAuthChallenge.Parse(
            "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5, "
            + "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
            + "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", "
            + "Basic realm=\"IPCam\"");

        Assert.Equal(2, challenges.Count);
        Assert.True(challenges[0].IsDigest);
        Assert.Equal("auth, auth-int", challenges[0].Get("qop"));
        Assert.Equal("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", challenges[0].Get("nonce"));
        Assert.True(challenges[1].IsBasic);
        Assert.Equal("IPCam", challenges[1].Realm);
    }

    [Fact]
    public void DigestAuthenticator_WithRfc7616Example_ShouldComputeResponse()
    {
        // RFC 7616 section 3.9.1, MD5 variant.
        var challenge = HttpAuthChallenge.Parse(
            "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5, "
            + "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
            + "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"")[0];

        var header = DigestAuthenticator.CreateHeader(challenge, "GET", "/dir/index.html", "Mufasa", "Circle of Life",
            "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");

        Assert.Contains("response=\"8ca523f5e9506fed4657c9700eebdbec\"", header);
        Assert.DoesNotContain("Circle of Life", header);
    }
}
