using System.Net;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>
/// The PDUs the fuzzer's seeds are built from round-trip: InformRequest (0xA6), Report (0xA8) and the
/// SNMPv1 Trap-PDU (0xA4), including the real v1 traps recorded in snmp.pcap.
/// </summary>
public sealed class FuzzPduRoundTripTests
{
    private static readonly SnmpVariable[] s_bindings =
    {
        new(ObjectIdentifier.Parse("1.3.6.1.2.1.1.3.0"), SnmpValue.FromUnsigned(SnmpType.TimeTicks, 4711)),
        new(
            ObjectIdentifier.Parse("1.3.6.1.6.3.1.1.4.1.0"),
            SnmpValue.FromOid(ObjectIdentifier.Parse("1.3.6.1.6.3.1.1.5.1"))),
    };

    [Fact]
    public void RoundTrip_Inform_ShouldKeepTypeIdAndBindings()
    {
        var message = new SnmpCommunityMessage(SnmpVersion.V2c, "public", SnmpPdu.Inform(77, s_bindings));

        var decoded = SnmpMessage.Decode(message.Encode()).Pdu!;

        Assert.Equal(SnmpPduType.InformRequest, decoded.Type);
        Assert.Equal(0xA6, message.Encode()[13]);
        Assert.Equal(77, decoded.RequestId);
        Assert.Equal(s_bindings.Select(b => b.ToString()), decoded.Variables.Select(b => b.ToString()));
    }

    [Fact]
    public void RoundTrip_Report_ShouldKeepTypeAndBindings()
    {
        var message = new SnmpCommunityMessage(SnmpVersion.V2c, "public", SnmpPdu.Report(5, s_bindings));

        var decoded = SnmpMessage.Decode(message.Encode()).Pdu!;

        Assert.Equal(SnmpPduType.Report, decoded.Type);
        Assert.Equal(5, decoded.RequestId);
        Assert.Equal(2, decoded.Variables.Count);
    }

    [Fact]
    public void RoundTrip_TrapV1_ShouldKeepEveryField()
    {
        var trap = new SnmpTrapV1(
            ObjectIdentifier.Parse("1.3.6.1.4.1.39165.1"), IPAddress.Parse("192.0.2.9"), 6, 42, uint.MaxValue);
        var message = new SnmpCommunityMessage(SnmpVersion.V1, "public", SnmpPdu.Trap(trap, s_bindings));

        var decoded = SnmpMessage.Decode(message.Encode());

        var pdu = decoded.Pdu!;
        Assert.Equal(SnmpPduType.TrapV1, pdu.Type);
        Assert.Equal("1.3.6.1.4.1.39165.1", pdu.TrapV1!.Enterprise.ToString());
        Assert.Equal(IPAddress.Parse("192.0.2.9"), pdu.TrapV1.AgentAddress);
        Assert.Equal((6, 42, uint.MaxValue), (pdu.TrapV1.GenericTrap, pdu.TrapV1.SpecificTrap, pdu.TrapV1.TimeStamp));
        Assert.Equal(2, pdu.Variables.Count);
        Assert.Equal(message.Encode(), decoded.Encode());
    }

    [Fact]
    public void TrapV1_OutsideSnmpV1_ShouldBeRefused()
    {
        var trap = new SnmpTrapV1(ObjectIdentifier.Parse("1.3.6.1.4.1.1"), IPAddress.Loopback, 0, 0, 0);

        Assert.Throws<ArgumentException>(
            () => new SnmpCommunityMessage(SnmpVersion.V2c, "public", SnmpPdu.Trap(trap, s_bindings)));
        Assert.Throws<ArgumentException>(() => new SnmpPdu(SnmpPduType.TrapV1, 1, 0, 0, s_bindings));
    }

    [Fact]
    public void Decode_RecordedV1Traps_ShouldGiveTheirFields()
    {
        var traps = PcapNgUdp.Read("pcap", "ndpi", "snmp.pcap")
            .Select(d => Decode(d.Payload))
            .Where(m => m?.Pdu?.Type == SnmpPduType.TrapV1)
            .Select(m => m!)
            .ToList();

        Assert.NotEmpty(traps);
        Assert.All(traps, m => Assert.Equal(SnmpVersion.V1, m.Version));
        Assert.All(traps, m => Assert.InRange(m.Pdu!.TrapV1!.GenericTrap, 0, 6));
        Assert.All(traps, m => Assert.True(m.Pdu!.TrapV1!.Enterprise.Length >= 2));
        Assert.All(traps, m => Assert.Equal(Convert.ToHexString(Reencoded(m)), Convert.ToHexString(m.Encode())));
    }

    private static SnmpMessage? Decode(byte[] payload)
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

    private static byte[] Reencoded(SnmpMessage message) => SnmpMessage.Decode(message.Encode()).Encode();
}
