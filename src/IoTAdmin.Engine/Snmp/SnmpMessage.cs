using System;

namespace IoTAdmin.Engine.Snmp;

/// <summary>
/// An SNMP message of any version. <see cref="Decode"/> reads the version and hands the rest to
/// <see cref="SnmpCommunityMessage"/> (v1, v2c) or <see cref="SnmpV3Message"/>.
/// </summary>
public abstract class SnmpMessage
{
    /// <summary>The largest datagram read or written; bigger input is rejected before parsing.</summary>
    public const int MaxMessageSize = 65507;

    protected SnmpMessage(SnmpVersion version)
    {
        Version = version;
    }

    public SnmpVersion Version { get; }

    /// <summary>The PDU, or null for a v3 message whose scoped PDU is encrypted.</summary>
    public abstract SnmpPdu? Pdu { get; }

    /// <summary>The number that pairs an answer with its request: request-id, or msgID for v3.</summary>
    public abstract int CorrelationId { get; }

    public abstract byte[] Encode();

    /// <exception cref="SnmpDecodeException">The bytes are not a well-formed SNMP message.</exception>
    public static SnmpMessage Decode(byte[] data)
    {
        if (data is null)
        {
            throw new ArgumentNullException(nameof(data));
        }

        if (data.Length > MaxMessageSize)
        {
            throw new SnmpDecodeException($"A message of {data.Length} bytes exceeds {MaxMessageSize}", 0);
        }

        var outer = new BerReader(data);
        var message = outer.ReadConstructed(BerTag.Sequence);
        outer.RequireEnd("message");
        var versionStart = message.Position;
        var version = message.ReadInteger();
        switch (version)
        {
            case 0:
            case 1:
                return SnmpCommunityMessage.DecodeBody((SnmpVersion)version, message);
            case 3:
                return SnmpV3Message.DecodeBody(message);
            default:
                throw new SnmpDecodeException($"Unknown SNMP version {version}", versionStart);
        }
    }
}
