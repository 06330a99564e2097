using System;
using System.Text;

namespace IoTAdmin.Engine.Snmp;

/// <summary>A community-based message: SNMPv1 (RFC 1157) or SNMPv2c (RFC 1901).</summary>
public sealed class SnmpCommunityMessage : SnmpMessage
{
    private readonly byte[] _community;

    public SnmpCommunityMessage(SnmpVersion version, string community, SnmpPdu pdu)
        : this(version, Encoding.UTF8.GetBytes(community ?? throw new ArgumentNullException(nameof(community))), pdu)
    {
    }

    public SnmpCommunityMessage(SnmpVersion version, byte[] community, SnmpPdu pdu)
        : base(version)
    {
        if (version == SnmpVersion.V3)
        {
            throw new ArgumentException("SNMPv3 messages carry no community; use SnmpV3Message.", nameof(version));
        }

        if (version == SnmpVersion.V1 && pdu.Type == SnmpPduType.GetBulkRequest)
        {
            throw new ArgumentException("SNMPv1 has no GetBulk request.", nameof(pdu));
        }

        if (version != SnmpVersion.V1 && pdu.Type == SnmpPduType.TrapV1)
        {
            throw new ArgumentException("Only SNMPv1 carries the v1 Trap-PDU.", nameof(pdu));
        }

        _community = (byte[])community.Clone();
        Pdu = pdu;
    }

    public override SnmpPdu Pdu { get; }

    public override int CorrelationId => Pdu.RequestId;

    /// <summary>The community as text. It is a secret: never log it or put it in evidence.</summary>
    public string Community => Encoding.UTF8.GetString(_community);

    public override byte[] Encode()
    {
        var writer = new BerWriter();
        writer.WriteConstructed(BerTag.Sequence, message =>
        {
            message.WriteInteger((int)Version);
            message.WriteOctetString(_community);
            Pdu.Encode(message);
        });
        return writer.ToArray();
    }

    /// <summary>A summary without the community, safe for logs.</summary>
    public override string ToString() => $"SNMP {Version} {Pdu}";

    internal static SnmpCommunityMessage DecodeBody(SnmpVersion version, BerReader message)
    {
        var community = message.ReadOctetString();
        var pdu = SnmpPdu.Decode(message, allowTrapV1: version == SnmpVersion.V1);
        message.RequireEnd("PDU");
        if (version == SnmpVersion.V1 && pdu.Type == SnmpPduType.GetBulkRequest)
        {
            throw new SnmpDecodeException("An SNMPv1 message cannot carry GetBulk", message.Position);
        }

        return new SnmpCommunityMessage(version, community, pdu);
    }
}
