using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using IoTAdmin.Engine.Snmp;
using IoTAdmin.Engine.Tests.Support;
using Xunit.Abstractions;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>
/// A deterministic mutation fuzz of <see cref="SnmpMessage.Decode"/>: from real packets (our own encodings,
/// snmpsim answers, the datagrams of snmp.pcap) and hand-made hostile inputs, every mutation must decode
/// or end in <see cref="SnmpDecodeException"/>, quickly and with bounded allocation. Violations are saved
/// to FuzzCorpus/crashers, which the replay test then runs on every build.
/// </summary>
public sealed class FuzzDecoderTests
{
    private const int Mutations = 200_000;
    private const int Rounds = 4;
    private static readonly TimeSpan s_perInput = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_wholeRun = TimeSpan.FromSeconds(90);

    private static int s_decoded;

    private readonly ITestOutputHelper _output;

    public FuzzDecoderTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public static string CorpusFolder =>
        Path.Combine(RepositoryPaths.Root, "tests", "IoTAdmin.Engine.Tests", "Snmp", "FuzzCorpus");

    /// <summary>Every file of FuzzCorpus (seeds, hostile inputs, minimised crashers), by relative path.</summary>
    public static TheoryData<string> CorpusFiles => new(
        Directory.GetFiles(CorpusFolder, "*.hex", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(CorpusFolder, path))
            .OrderBy(path => path, StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Decode_CorpusFile_ShouldDecodeOrFailCleanly(string file)
    {
        var input = Convert.FromHexString(string.Concat(File.ReadAllText(Path.Combine(CorpusFolder, file))
            .Where(c => !char.IsWhiteSpace(c))));

        Assert.Null(Check(input));
    }

    [Fact]
    public void Corpus_ShouldHoldSeedsAndHostileInputs()
    {
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(CorpusFolder, "seeds"), "*.hex"));
        Assert.True(Directory.GetFiles(Path.Combine(CorpusFolder, "hostile"), "*.hex").Length >= 5);
    }

    [Fact]
    public void Decode_GeneratedHostileInputs_ShouldFailCleanly()
    {
        foreach (var (name, input) in FuzzSeeds.Hostile())
        {
            var problem = Check(input);
            Assert.True(problem is null, $"{name}: {problem}");
        }
    }

    [Fact]
    public void Decode_200kMutationsOfRealPackets_ShouldNeverCrashHangOrBalloon()
    {
        var seeds = FuzzSeeds.All();
        Check(seeds[0]);
        var current = Array.Empty<byte>();
        var crashers = new List<string>();
        var watch = Stopwatch.StartNew();
        var run = Task.Run(() => Fuzz(seeds, input => current = input, crashers));

        if (!run.Wait(s_wholeRun))
        {
            crashers.Add(Save("hang", current));
        }

        _output.WriteLine($"{Mutations} mutations of {seeds.Count} seeds in {watch.Elapsed.TotalSeconds:0.0} s, "
            + $"{s_decoded} decoded, {crashers.Count} crashers");
        Assert.True(crashers.Count == 0, "crashers saved to FuzzCorpus/crashers:\n" + string.Join('\n', crashers));
    }

    /// <summary>Null when the decoder behaved, otherwise what went wrong.</summary>
    internal static string? Check(byte[] input)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        try
        {
            var message = SnmpMessage.Decode(input);
            _ = message.ToString();
            Interlocked.Increment(ref s_decoded);
        }
        catch (SnmpDecodeException)
        {
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > (64L * input.Length) + 65536)
        {
            return $"allocated {allocated} bytes for {input.Length} bytes of input";
        }

        return watch.Elapsed > s_perInput ? $"took {watch.Elapsed.TotalMilliseconds:0} ms" : null;
    }

    private static void Fuzz(IReadOnlyList<byte[]> seeds, Action<byte[]> track, List<string> crashers)
    {
        for (var round = 0; round < Rounds; round++)
        {
            var mutator = new FuzzMutator(20260 + round, seeds);
            for (var i = 0; i < Mutations / Rounds; i++)
            {
                var input = mutator.Next();
                track(input);
                var problem = Check(input);
                if (problem is not null && crashers.Count < 20)
                {
                    crashers.Add($"{Save("crash", input)}: {problem}");
                }
            }
        }
    }

    private static string Save(string kind, byte[] input)
    {
        var folder = Directory.CreateDirectory(Path.Combine(CorpusFolder, "crashers")).FullName;
        var name = $"{kind}-{Convert.ToHexString(SHA256.HashData(input))[..12].ToLowerInvariant()}.hex";
        File.WriteAllText(Path.Combine(folder, name), Convert.ToHexString(input) + "\n");
        return name;
    }
}

/// <summary>The seed corpus: packets we encode, snmpsim answers and the datagrams of snmp.pcap.</summary>
internal static class FuzzSeeds
{
    public static IReadOnlyList<byte[]> All()
    {
        var seeds = new List<byte[]>(Encoded());
        seeds.AddRange(PcapNgUdp.Read("pcap", "ndpi", "snmp.pcap")
            .Where(d => d.SourcePort is 161 or 162 || d.DestinationPort is 161 or 162)
            .Select(d => d.Payload));
        var files = Directory.GetFiles(Path.Combine(FuzzDecoderTests.CorpusFolder, "seeds"), "*.hex");
        seeds.AddRange(files.OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => Convert.FromHexString(File.ReadAllText(f).Trim())));
        return seeds;
    }

    /// <summary>Valid v1, v2c and v3 messages of every PDU type and every SMI value type.</summary>
    public static IEnumerable<byte[]> Encoded()
    {
        var sysDescr = ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0");
        var values = new[]
        {
            SnmpValue.FromInteger(-129), SnmpValue.FromString("lab cam"), SnmpValue.Null,
            SnmpValue.FromOid(ObjectIdentifier.Parse("1.3.6.1.4.1.39165.1.1")),
            SnmpValue.FromIpAddress(IPAddress.Parse("192.0.2.7")),
            SnmpValue.FromUnsigned(SnmpType.Counter32, uint.MaxValue),
            SnmpValue.FromUnsigned(SnmpType.Gauge32, 128), SnmpValue.FromUnsigned(SnmpType.TimeTicks, 4711),
            new SnmpValue(SnmpType.Opaque, new byte[] { 0x9F, 0x78, 0x04, 0x3F, 0x80, 0, 0 }),
            SnmpValue.FromUnsigned(SnmpType.Counter64, ulong.MaxValue), SnmpValue.Exception(SnmpType.EndOfMibView),
        };
        var bindings = values.Select((v, i) => new SnmpVariable(sysDescr.Append((uint)i), v)).ToList();
        yield return new SnmpCommunityMessage(SnmpVersion.V1, "public", SnmpPdu.GetNext(7, new[] { sysDescr }))
            .Encode();
        yield return new SnmpCommunityMessage(SnmpVersion.V2c, "public", SnmpPdu.GetBulk(8, 0, 10, new[] { sysDescr }))
            .Encode();
        yield return new SnmpCommunityMessage(
            SnmpVersion.V2c, "public", SnmpPdu.Response(9, SnmpErrorStatus.NoError, 0, bindings)).Encode();
        yield return new SnmpCommunityMessage(SnmpVersion.V2c, "public", SnmpPdu.Inform(10, bindings)).Encode();
        yield return new SnmpCommunityMessage(SnmpVersion.V2c, "public", SnmpPdu.TrapV2(11, bindings)).Encode();
        var trap = new SnmpTrapV1(ObjectIdentifier.Parse("1.3.6.1.4.1.8072.3.2.10"), IPAddress.Loopback, 6, 17, 99);
        yield return new SnmpCommunityMessage(SnmpVersion.V1, "public", SnmpPdu.Trap(trap, bindings)).Encode();
        yield return SnmpV3Message.CreateDiscoveryRequest(12, 13).Encode();
    }

    /// <summary>Hand-made hostile inputs: deep nesting, huge OIDs and integers, lying lengths.</summary>
    public static IEnumerable<(string Name, byte[] Input)> Hostile()
    {
        yield return ("10000 nested SEQUENCEs", Nested(10_000));
        yield return ("OID of 200 arcs", V2cResponse(Tlv(0x06, Enumerable.Repeat((byte)0x01, 200).ToArray())));
        var arc2Pow64 = new byte[] { 0x2B, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 };
        yield return ("OID arc of 2^64", V2cResponse(Tlv(0x06, arc2Pow64)));
        yield return ("INTEGER of 100 bytes", Tlv(0x30, Tlv(0x02, Enumerable.Repeat((byte)0x7F, 100).ToArray())));
        yield return ("length 0x84 FF FF FF FF", new byte[] { 0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0x01, 0x01 });
        yield return ("indefinite length", new byte[] { 0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00 });
        yield return ("9000 variable bindings", V2cResponseList(Enumerable.Repeat(
            new byte[] { 0x30, 0x05, 0x06, 0x01, 0x2B, 0x05, 0x00 }, 9000).SelectMany(b => b).ToArray()));
    }

    public static byte[] Tlv(byte tag, byte[] contents)
    {
        var writer = new BerWriter();
        writer.WriteTlv(tag, contents);
        return writer.ToArray();
    }

    private static byte[] Nested(int depth)
    {
        var inner = new byte[] { 0x05, 0x00 };
        for (var i = 0; i < depth; i++)
        {
            inner = Tlv(0x30, inner);
        }

        return inner;
    }

    private static byte[] V2cResponse(byte[] oid) =>
        V2cResponseList(Tlv(0x30, oid.Concat(new byte[] { 0x05, 0x00 }).ToArray()));

    private static byte[] V2cResponseList(byte[] bindings)
    {
        var header = new byte[] { 0x02, 0x01, 0x01, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6C, 0x69, 0x63 };
        var pdu = Tlv(0xA2, new byte[] { 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00 }
            .Concat(Tlv(0x30, bindings)).ToArray());
        return Tlv(0x30, header.Concat(pdu).ToArray());
    }
}
