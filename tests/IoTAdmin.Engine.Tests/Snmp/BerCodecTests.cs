using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

public sealed class BerCodecTests
{
    // BR-16: the minimal GET of upsBatteryStatus-like 1.3.6.1.2.1.33.1.1.5.0 with community public.
    private const string MinimalGet =
        "30 29 02 01 00 04 06 70 75 62 6C 69 63 A0 1C 02 02 03 E8 02 01 00 02 01 00 "
        + "30 10 30 0E 06 0A 2B 06 01 02 01 21 01 01 05 00 05 00";

    // The same GET with every length in long form, as the library in BR-16 sent it.
    private const string LongFormGet =
        "30 81 33 02 81 01 00 04 81 06 70 75 62 6C 69 63 A0 81 23 02 81 02 03 E8 02 81 01 00 02 81 01 00 "
        + "30 81 13 30 81 10 06 81 0A 2B 06 01 02 01 21 01 01 05 00 05 81 00";

    [Fact]
    public void Encode_GetRequest_ShouldUseMinimal43ByteForm()
    {
        var pdu = SnmpPdu.Get(1000, new[] { ObjectIdentifier.Parse("1.3.6.1.2.1.33.1.1.5.0") });
        var bytes = new SnmpCommunityMessage(SnmpVersion.V1, "public", pdu).Encode();

        Assert.Equal(43, bytes.Length);
        Assert.Equal(Hex.Format(Hex.Parse(MinimalGet)), Hex.Format(bytes));
    }

    [Fact]
    public void Decode_LongFormLengths_ShouldBeAccepted()
    {
        var message = (SnmpCommunityMessage)SnmpMessage.Decode(Hex.Parse(LongFormGet));

        Assert.Equal(SnmpVersion.V1, message.Version);
        Assert.Equal("public", message.Community);
        Assert.Equal(1000, message.Pdu.RequestId);
        Assert.Equal("1.3.6.1.2.1.33.1.1.5.0", message.Pdu.Variables.Single().Oid.ToString());
        Assert.Equal(Hex.Parse(MinimalGet), message.Encode());
    }

    [Theory]
    [InlineData(0L, "00")]
    [InlineData(127L, "7F")]
    [InlineData(128L, "0080")]
    [InlineData(255L, "00FF")]
    [InlineData(256L, "0100")]
    [InlineData(-1L, "FF")]
    [InlineData(-128L, "80")]
    [InlineData(-129L, "FF7F")]
    [InlineData(2147483647L, "7FFFFFFF")]
    [InlineData(-2147483648L, "80000000")]
    public void EncodeSigned_ShouldBeMinimalAndRoundTrip(long value, string expected)
    {
        var bytes = BerWriter.EncodeSigned(value);

        Assert.Equal(expected, Hex.Format(bytes));
        Assert.Equal(value, BerReader.DecodeSigned(bytes, 0, bytes.Length));
    }

    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(127UL, "7F")]
    [InlineData(128UL, "0080")]
    [InlineData(4294967295UL, "00FFFFFFFF")]
    [InlineData(18446744073709551615UL, "00FFFFFFFFFFFFFFFF")]
    public void EncodeUnsigned_ShouldBeMinimalAndRoundTrip(ulong value, string expected)
    {
        var bytes = BerWriter.EncodeUnsigned(value);

        Assert.Equal(expected, Hex.Format(bytes));
        Assert.Equal(value, BerReader.DecodeUnsigned(bytes, 0, bytes.Length, 64));
    }

    [Fact]
    public void Encode_LengthOf200_ShouldUseOneLongFormByte()
    {
        var writer = new BerWriter();
        writer.WriteOctetString(new byte[200]);

        Assert.Equal("0481C8", Hex.Format(writer.ToArray().Take(3).ToArray()));
    }

    [Fact]
    public void RoundTrip_EverySmiType_ShouldKeepTypeAndValue()
    {
        var values = new[]
        {
            SnmpValue.FromInteger(-42),
            SnmpValue.FromString("Hikvision DS-2CD2185FWD-I"),
            SnmpValue.Null,
            SnmpValue.FromOid(ObjectIdentifier.Parse("1.3.6.1.4.1.39165.1.1")),
            SnmpValue.FromIpAddress(System.Net.IPAddress.Parse("10.99.0.14")),
            SnmpValue.FromUnsigned(SnmpType.Counter32, 4294967295),
            SnmpValue.FromUnsigned(SnmpType.Gauge32, 100),
            SnmpValue.FromUnsigned(SnmpType.TimeTicks, 123456),
            new SnmpValue(SnmpType.Opaque, new byte[] { 0x9F, 0x78, 0x04, 0x42, 0xF6, 0x00, 0x00 }),
            SnmpValue.FromUnsigned(SnmpType.Counter64, 18446744073709551615),
            SnmpValue.Exception(SnmpType.NoSuchObject),
            SnmpValue.Exception(SnmpType.NoSuchInstance),
            SnmpValue.Exception(SnmpType.EndOfMibView),
        };
        var oid = ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0");
        var pdu = SnmpPdu.Response(77, SnmpErrorStatus.NoError, 0, values.Select(v => new SnmpVariable(oid, v)));

        var decoded = SnmpMessage.Decode(new SnmpCommunityMessage(SnmpVersion.V2c, "public", pdu).Encode());

        var decodedValues = decoded.Pdu!.Variables.Select(v => v.Value).ToList();
        Assert.Equal(values.Length, decodedValues.Count);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.True(values[i].Equals(decodedValues[i]), $"value {i} ({values[i].Type}) changed");
        }
    }

    [Theory]
    [InlineData(SnmpPduType.GetRequest)]
    [InlineData(SnmpPduType.GetNextRequest)]
    [InlineData(SnmpPduType.SetRequest)]
    [InlineData(SnmpPduType.Response)]
    [InlineData(SnmpPduType.TrapV2)]
    public void RoundTrip_PduTypes_ShouldKeepFields(SnmpPduType type)
    {
        var variables = new[] { Variable("1.3.6.1.2.1.1.5.0", SnmpValue.FromString("cam1")) };
        var pdu = new SnmpPdu(type, 123456, 0, 0, variables);

        var decoded = SnmpMessage.Decode(new SnmpCommunityMessage(SnmpVersion.V2c, "private", pdu).Encode()).Pdu!;

        Assert.Equal(type, decoded.Type);
        Assert.Equal(123456, decoded.RequestId);
        Assert.Equal("cam1", decoded.Variables.Single().Value.ToString());
    }

    [Fact]
    public void RoundTrip_GetBulk_ShouldKeepRepetitionFields()
    {
        var pdu = SnmpPdu.GetBulk(9, 1, 25, new[] { ObjectIdentifier.Parse("1.3.6.1.2.1.2.2") });

        var decoded = SnmpMessage.Decode(new SnmpCommunityMessage(SnmpVersion.V2c, "public", pdu).Encode()).Pdu!;

        Assert.Equal(SnmpPduType.GetBulkRequest, decoded.Type);
        Assert.Equal(1, decoded.NonRepeaters);
        Assert.Equal(25, decoded.MaxRepetitions);
    }

    [Fact]
    public void Decode_ErrorStatus19_ShouldMapToUnknownErrorWithoutThrowing()
    {
        var pdu = new SnmpPdu(SnmpPduType.Response, 5, 19, 1, Array.Empty<SnmpVariable>());
        var bytes = new SnmpCommunityMessage(SnmpVersion.V2c, "public", pdu).Encode();

        var decoded = SnmpMessage.Decode(bytes).Pdu!;

        Assert.Equal(SnmpErrorStatus.UnknownError, decoded.ErrorStatus);
        Assert.Equal(19, decoded.RawErrorStatus);
    }

    [Fact]
    public void Decode_EveryPrefixOfAValidPacket_ShouldFailCleanly()
    {
        var packet = ResponseWithSeveralTypes();

        for (var length = 0; length < packet.Length; length++)
        {
            var prefix = packet.Take(length).ToArray();
            Assert.Throws<SnmpDecodeException>(() => SnmpMessage.Decode(prefix));
        }

        Assert.NotNull(SnmpMessage.Decode(packet));
    }

    [Fact]
    public void Decode_EveryPrefixOfAV3Report_ShouldFailCleanly()
    {
        var packet = V3Report();

        for (var length = 0; length < packet.Length; length++)
        {
            var prefix = packet.Take(length).ToArray();
            Assert.Throws<SnmpDecodeException>(() => SnmpMessage.Decode(prefix));
        }
    }

    [Fact]
    public void Decode_RandomCorruption_ShouldOnlyEverThrowSnmpDecodeException()
    {
        var packet = ResponseWithSeveralTypes();
        var random = new Random(1234);

        for (var round = 0; round < 20000; round++)
        {
            var corrupt = (byte[])packet.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                corrupt[random.Next(corrupt.Length)] = (byte)random.Next(256);
            }

            try
            {
                SnmpMessage.Decode(corrupt);
            }
            catch (SnmpDecodeException)
            {
            }
        }
    }

    [Theory]
    [InlineData("30 04 02 01 01 04", "ends inside")]
    [InlineData("30 84 7F FF FF FF 02 01 01", "runs past the end")]
    [InlineData("30 80 02 01 01 00 00", "indefinite")]
    [InlineData("30 85 00 00 00 00 05", "longer than 4 bytes")]
    [InlineData("30 0B 02 09 01 02 03 04 05 06 07 08 09", "outside 1..8")]
    [InlineData("30 03 02 01 07", "Unknown SNMP version")]
    [InlineData("30 03 02 01 01 00", "unexpected bytes")]
    [InlineData("30 0A 02 01 01 04 00 A4 03 02 01 00", "Unsupported PDU type")]
    public void Decode_MalformedInput_ShouldNameTheProblem(string hex, string expected)
    {
        var error = Assert.Throws<SnmpDecodeException>(() => SnmpMessage.Decode(Hex.Parse(hex)));

        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Decode_DeepNesting_ShouldStopAtTheLimit()
    {
        var bytes = new byte[] { 0x05, 0x00 };
        for (var level = 0; level < 40; level++)
        {
            bytes = new byte[] { 0x30, (byte)bytes.Length }.Concat(bytes).ToArray();
        }

        var reader = new BerReader(bytes);
        var error = Assert.Throws<SnmpDecodeException>(() =>
        {
            for (var level = 0; level < 40; level++)
            {
                reader = reader.ReadConstructed(0x30);
            }
        });

        Assert.Contains("Nesting", error.Message);
    }

    [Fact]
    public void Decode_OidArcBeyond32Bits_ShouldFail()
    {
        var error = Assert.Throws<SnmpDecodeException>(
            () => BerReader.DecodeOid(Hex.Parse("2B 90 80 80 80 00"), 0, 6));

        Assert.Contains("32 bits", error.Message);
    }

    [Fact]
    public void Decode_OidWithMoreThan128Arcs_ShouldFail()
    {
        var contents = Enumerable.Repeat((byte)1, 200).ToArray();

        var error = Assert.Throws<SnmpDecodeException>(() => BerReader.DecodeOid(contents, 0, contents.Length));

        Assert.Contains("longer than 128", error.Message);
    }

    [Fact]
    public void Decode_Counter32WithSixBytes_ShouldFail()
    {
        var packet = Hex.Parse("30 08 06 03 2B 06 01 41 06 01 02 03 04 05 06".Replace("30 08", "30 0D"));
        var reader = new BerReader(packet).ReadConstructed(0x30);
        reader.ReadOid();

        Assert.Throws<SnmpDecodeException>(() => reader.ReadValue());
    }

    [Fact]
    public void Encode_V3DiscoveryRequest_ShouldMatchRfc3414Shape()
    {
        var bytes = SnmpV3Message.CreateDiscoveryRequest(0x1234, 0x1234).Encode();

        var decoded = (SnmpV3Message)SnmpMessage.Decode(bytes);

        Assert.Equal(SnmpV3Flags.Reportable, decoded.Flags);
        Assert.Equal(3, decoded.SecurityModel);
        Assert.Empty(decoded.Security.EngineId);
        Assert.Equal(string.Empty, decoded.Security.UserName);
        Assert.Equal(SnmpPduType.GetRequest, decoded.Pdu!.Type);
        Assert.Empty(decoded.Pdu.Variables);
        Assert.True(bytes.Length < 128, "the discovery request is short, so every length is short-form");
    }

    [Fact]
    public void Decode_V3Report_ShouldExposeEngineIdBootsAndTime()
    {
        var decoded = (SnmpV3Message)SnmpMessage.Decode(V3Report());

        Assert.Equal("80001F8880ECD8EA55E3A1116B00000000", Hex.Format(decoded.Security.EngineId));
        Assert.Equal(7, decoded.Security.EngineBoots);
        Assert.Equal(1234, decoded.Security.EngineTime);
        Assert.Equal(SnmpPduType.Report, decoded.Pdu!.Type);
        Assert.Equal(0x4242, decoded.CorrelationId);
    }

    private static byte[] ResponseWithSeveralTypes()
    {
        var variables = new[]
        {
            Variable("1.3.6.1.2.1.1.1.0", SnmpValue.FromString("Linux cam 4.14")),
            Variable("1.3.6.1.2.1.1.2.0", SnmpValue.FromOid(ObjectIdentifier.Parse("1.3.6.1.4.1.368.1.1"))),
            Variable("1.3.6.1.2.1.1.3.0", SnmpValue.FromUnsigned(SnmpType.TimeTicks, 99999)),
            Variable("1.3.6.1.2.1.4.20.1.1.10.0.0.1", SnmpValue.FromIpAddress(System.Net.IPAddress.Loopback)),
            Variable("1.3.6.1.2.1.31.1.1.1.6.1", SnmpValue.FromUnsigned(SnmpType.Counter64, 1UL << 40)),
            Variable("1.3.6.1.2.1.1.9.0", SnmpValue.Exception(SnmpType.NoSuchInstance)),
        };
        var pdu = SnmpPdu.Response(31337, SnmpErrorStatus.NoError, 0, variables);
        return new SnmpCommunityMessage(SnmpVersion.V2c, "public", pdu).Encode();
    }

    internal static byte[] V3Report()
    {
        var security = new UsmSecurityParameters(
            Hex.Parse("80001F8880ECD8EA55E3A1116B00000000"),
            7,
            1234,
            string.Empty,
            Array.Empty<byte>(),
            Array.Empty<byte>());
        var counter = new SnmpVariable(
            ObjectIdentifier.Parse("1.3.6.1.6.3.15.1.1.4.0"), SnmpValue.FromUnsigned(SnmpType.Counter32, 3));
        var report = new SnmpPdu(SnmpPduType.Report, 0x4242, 0, 0, new[] { counter });
        var message = new SnmpV3Message(
            0x4242, 65507, SnmpV3Flags.None, security, security.EngineId, Array.Empty<byte>(), report);
        return message.Encode();
    }

    private static SnmpVariable Variable(string oid, SnmpValue value) => new(ObjectIdentifier.Parse(oid), value);
}

public sealed class BerLongValueTests
{
    [Fact]
    public void EncodeOid_OfMaximalLength_ShouldUseALongFormLengthAndRoundTrip()
    {
        // 127 sub-identifiers (128 arcs) of five base-128 bytes each: 635 bytes need a two-byte length.
        var arcs = new uint[] { 2, uint.MaxValue - 80 }.Concat(Enumerable.Repeat(uint.MaxValue, 126)).ToArray();
        var oid = new ObjectIdentifier(arcs);

        var writer = new BerWriter();
        writer.WriteOid(oid);
        var encoded = writer.ToArray();
        var contents = BerWriter.EncodeOid(oid);

        Assert.Equal(635, contents.Length);
        Assert.Equal(new byte[] { 0x06, 0x82, 0x02, 0x7B }, encoded.Take(4));
        Assert.Equal(contents, encoded.Skip(4));
        Assert.Equal(oid, BerReader.DecodeOid(contents, 0, contents.Length));
    }

    [Fact]
    public void DecodeOid_EndingInsideAnArc_ShouldSayItIsCutOff()
    {
        var error = Assert.Throws<SnmpDecodeException>(() => BerReader.DecodeOid(Hex.Parse("2B 06 86"), 0, 3));

        Assert.Contains("cut off", error.Message);
    }

    [Fact]
    public void EndConstructed_WithContentsOver255Bytes_ShouldWidenTheLengthInPlace()
    {
        var writer = new BerWriter();
        var sequence = writer.BeginConstructed(0x30);
        writer.WriteOctetString(Enumerable.Repeat((byte)'x', 300).ToArray());
        writer.EndConstructed(sequence);
        writer.WriteNull();

        var bytes = writer.ToArray();

        Assert.Equal(new byte[] { 0x30, 0x82, 0x01, 0x30, 0x04, 0x82, 0x01, 0x2C }, bytes.Take(8));
        Assert.Equal(new byte[] { 0x05, 0x00 }, bytes.Skip(bytes.Length - 2));
        Assert.Equal(4 + 304 + 2, bytes.Length);
    }
}
