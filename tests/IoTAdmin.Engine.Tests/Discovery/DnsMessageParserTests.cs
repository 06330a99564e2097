using IoTAdmin.Engine.Discovery.Mdns;
using IoTAdmin.Engine.Tests.Support;

namespace IoTAdmin.Engine.Tests.Discovery;

public class DnsMessageParserTests
{
    public static TheoryData<string, string> RecordedMessages()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in new[] { "node-dns-js", "node-mdns-js" })
        {
            foreach (var file in Directory.GetFiles(SharedData.PathOf("mdns", folder), "*.bin"))
            {
                var name = Path.GetFileName(file);
                if (!name.StartsWith("exploits_", StringComparison.Ordinal))
                {
                    data.Add(folder, name);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RecordedMessages))]
    public void Recorded_messages_parse_or_fail_cleanly(string folder, string file)
    {
        var bytes = SharedData.ReadBytes("mdns", folder, file);

        var exception = Record.Exception(() => DnsMessageParser.Parse(bytes));

        Assert.True(exception is null or DnsFormatException, $"{file}: {exception}");
    }

    [Fact]
    public void Google_cast_query_with_known_answers_parses()
    {
        var message = DnsMessageParser.Parse(SharedData.ReadBytes("mdns", "node-dns-js", "chromecast.bin"));

        Assert.False(message.IsResponse);
        Assert.Equal(9, message.Questions.Count);
        Assert.Equal("_googlecast._tcp.local", message.Questions[0].Name.Key);
        Assert.Equal(2, message.Records.Count);
    }

    [Fact]
    public void Unifi_advert_with_broken_txt_keeps_the_other_records()
    {
        var bytes = SharedData.ReadBytes("mdns", "node-dns-js", "malformed_mdns-unifi1.bin");

        var message = DnsMessageParser.Parse(bytes);

        Assert.Contains(message.Records, r => r.Type == DnsRecordType.Ptr);
        Assert.Contains(message.Records, r => r.Type == DnsRecordType.Srv && r.Port == 8080);
        Assert.Contains(message.Records, r => r.Type == DnsRecordType.A && r.Address!.ToString() == "192.168.1.66");
        Assert.DoesNotContain(message.Records, r => r.Type == DnsRecordType.Txt);
        Assert.Single(message.Warnings);
    }

    [Theory]
    [InlineData("exploits_zlip-1.bin")]
    [InlineData("exploits_zlip-2.bin")]
    [InlineData("exploits_zlip-3.bin")]
    public void Compression_pointer_loops_are_rejected(string file)
    {
        // These are whole Ethernet frames; the DNS message starts after the 42 bytes of headers.
        var payload = SharedData.ReadBytes("mdns", "node-dns-js", file).Skip(42).ToArray();

        var exception = Assert.Throws<DnsFormatException>(() => DnsMessageParser.Parse(payload));

        Assert.Contains("pointer", exception.Message);
    }

    [Fact]
    public void Four_byte_junk_datagram_is_rejected_cleanly()
    {
        var junk = new byte[] { 0x0A, 0xBA, 0x10, 0x00 };

        var exception = Assert.Throws<DnsFormatException>(() => DnsMessageParser.Parse(junk));

        Assert.Contains("shorter than a DNS header", exception.Message);
    }

    [Fact]
    public void Pointer_to_itself_is_rejected()
    {
        // Header with one question whose name is a pointer to offset 12, where the pointer itself sits.
        var bytes = new byte[] { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 12, 0, 1 };

        Assert.Throws<DnsFormatException>(() => DnsMessageParser.Parse(bytes));
    }

    [Fact]
    public void Every_truncation_of_a_real_answer_parses_or_fails_cleanly()
    {
        var bytes = SharedData.ReadBytes("mdns", "node-mdns-js", "mdns-issue63.bin");

        for (var length = 0; length < bytes.Length; length++)
        {
            var cut = bytes.Take(length).ToArray();
            var exception = Record.Exception(() => DnsMessageParser.Parse(cut));
            Assert.True(exception is null or DnsFormatException, $"length {length}: {exception}");
        }
    }

    [Fact]
    public void Every_single_byte_corruption_parses_or_fails_cleanly()
    {
        var original = SharedData.ReadBytes("mdns", "node-dns-js", "mdns-readynas.bin");

        for (var index = 0; index < original.Length; index++)
        {
            foreach (var value in new byte[] { 0x00, 0x3F, 0xC0, 0xFF })
            {
                var bytes = (byte[])original.Clone();
                bytes[index] = value;
                var exception = Record.Exception(() => DnsMessageParser.Parse(bytes));
                Assert.True(exception is null or DnsFormatException, $"byte {index}={value}: {exception}");
            }
        }
    }

    [Fact]
    public void Over_long_service_label_is_accepted_and_flagged()
    {
        var type = DnsName.Parse("_voucher_com_udemy_tv-auth._tcp.local");
        var bytes = DnsMessageWriter.Response(new[]
        {
            new DnsRecord(type, DnsRecordType.Ptr, 1, 120)
            {
                Target = new DnsName(new[] { "Udemy TV" }.Concat(type.Labels).ToList()),
            },
        });

        var message = DnsMessageParser.Parse(bytes);
        var serviceType = MdnsServiceType.TryParse(message.Records[0].Name);

        Assert.NotNull(serviceType);
        Assert.Equal("voucher_com_udemy_tv-auth", serviceType!.ServiceName);
        Assert.True(serviceType.IsOverLong);
        Assert.Equal("Udemy TV", message.Records[0].Target!.FirstLabel);
    }
}
