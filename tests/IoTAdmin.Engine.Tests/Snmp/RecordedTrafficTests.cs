using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>Decodes the real SNMP exchanges of nDPI's snmp.pcap (v1, v2c, v3, traps, BR-14 errors).</summary>
public sealed class RecordedTrafficTests
{
    private static readonly IReadOnlyList<(int SourcePort, int DestinationPort, byte[] Payload)> s_datagrams =
        PcapNgUdp.Read("pcap", "ndpi", "snmp.pcap");

    [Fact]
    public void Decode_EveryRecordedDatagram_ShouldDecode()
    {
        var decoded = 0;
        var refused = new List<string>();
        foreach (var datagram in s_datagrams)
        {
            try
            {
                SnmpMessage.Decode(datagram.Payload);
                decoded++;
            }
            catch (SnmpDecodeException ex)
            {
                refused.Add(ex.Message);
            }
        }

        // Since SNMPv1 Trap-PDUs are decoded, nothing in the capture may be refused any more.
        Assert.Equal(72, s_datagrams.Count);
        Assert.Empty(refused);
        Assert.All(refused, message => Assert.Contains("Unsupported PDU type 0xA4", message));
        Assert.Equal(72, decoded);
    }

    [Fact]
    public void Decode_RecordedErrorStatus19_ShouldMapToUnknownError()
    {
        var pdus = DecodedPdus();

        var unknown = pdus.Where(p => p.RawErrorStatus == 19).ToList();

        Assert.Equal(4, unknown.Count);
        Assert.All(unknown, p => Assert.Equal(SnmpErrorStatus.UnknownError, p.ErrorStatus));
        Assert.Contains(pdus, p => p.Type == SnmpPduType.Response && p.ErrorStatus == SnmpErrorStatus.TooBig);
    }

    [Fact]
    public void Decode_RecordedV3Reports_ShouldCarryEngineIds()
    {
        var reports = s_datagrams
            .Select(d => TryDecode(d.Payload))
            .OfType<SnmpV3Message>()
            .Where(m => m.Pdu?.Type == SnmpPduType.Report)
            .ToList();

        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.NotEmpty(r.Security.EngineId));
    }

    [Fact]
    public void Decode_EveryPrefixOfEveryRecordedDatagram_ShouldNeverCrash()
    {
        foreach (var datagram in s_datagrams)
        {
            for (var length = 0; length < datagram.Payload.Length; length++)
            {
                var prefix = datagram.Payload.AsSpan(0, length).ToArray();
                Assert.Throws<SnmpDecodeException>(() => SnmpMessage.Decode(prefix));
            }
        }
    }

    private static List<SnmpPdu> DecodedPdus() =>
        s_datagrams.Select(d => TryDecode(d.Payload)?.Pdu).Where(p => p is not null).Select(p => p!).ToList();

    private static SnmpMessage? TryDecode(byte[] payload)
    {
        try
        {
            return SnmpMessage.Decode(payload);
        }
        catch (SnmpDecodeException)
        {
            return null;
        }
    }
}
