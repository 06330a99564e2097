using System;

namespace IoTAdmin.Engine.Snmp;

/// <summary>The msgFlags bits of a v3 message (RFC 3412 §6.4).</summary>
[Flags]
public enum SnmpV3Flags : byte
{
    None = 0,
    Authentication = 1,
    Privacy = 2,
    Reportable = 4,
}

/// <summary>
/// An SNMPv3 message (RFC 3412) with USM parameters. Only plaintext scoped PDUs are built here; an
/// encrypted scoped PDU is kept as bytes, and UsmSession signs, encrypts, verifies and decrypts.
/// </summary>
public sealed class SnmpV3Message : SnmpMessage
{
    /// <summary>The security model number of USM.</summary>
    public const int UserSecurityModel = 3;

    public SnmpV3Message(
        int messageId,
        int maxSize,
        SnmpV3Flags flags,
        UsmSecurityParameters security,
        byte[] contextEngineId,
        byte[] contextName,
        SnmpPdu pdu)
        : base(SnmpVersion.V3)
    {
        MessageId = messageId;
        MaxSize = maxSize;
        Flags = flags;
        SecurityModel = UserSecurityModel;
        Security = security;
        ContextEngineId = contextEngineId;
        ContextName = contextName;
        Pdu = pdu;
    }

    private SnmpV3Message(
        int messageId,
        int maxSize,
        SnmpV3Flags flags,
        UsmSecurityParameters security,
        byte[] encrypted)
        : base(SnmpVersion.V3)
    {
        MessageId = messageId;
        MaxSize = maxSize;
        Flags = flags;
        SecurityModel = UserSecurityModel;
        Security = security;
        ContextEngineId = Array.Empty<byte>();
        ContextName = Array.Empty<byte>();
        EncryptedScopedPdu = encrypted;
    }

    public int MessageId { get; }

    public int MaxSize { get; }

    public SnmpV3Flags Flags { get; }

    public int SecurityModel { get; }

    public UsmSecurityParameters Security { get; }

    public byte[] ContextEngineId { get; }

    public byte[] ContextName { get; }

    public override SnmpPdu? Pdu { get; }

    /// <summary>The encrypted scoped PDU when <see cref="SnmpV3Flags.Privacy"/> is set; null otherwise.</summary>
    public byte[]? EncryptedScopedPdu { get; }

    public override int CorrelationId => MessageId;

    /// <summary>
    /// The unauthenticated request that makes an agent reveal its engine ID, boots and time in a
    /// Report (RFC 3414 §4): reportable, empty user, empty engine ID, an empty GetRequest.
    /// </summary>
    public static SnmpV3Message CreateDiscoveryRequest(int messageId, int requestId) =>
        new SnmpV3Message(
            messageId,
            MaxMessageSize,
            SnmpV3Flags.Reportable,
            UsmSecurityParameters.Discovery,
            Array.Empty<byte>(),
            Array.Empty<byte>(),
            SnmpPdu.Get(requestId, Array.Empty<ObjectIdentifier>()));

    public override byte[] Encode()
    {
        if (Pdu is null)
        {
            throw new InvalidOperationException("Only plaintext USM messages can be encoded.");
        }

        var writer = new BerWriter();
        writer.WriteConstructed(BerTag.Sequence, message =>
        {
            message.WriteInteger((int)SnmpVersion.V3);
            message.WriteConstructed(BerTag.Sequence, header =>
            {
                header.WriteInteger(MessageId);
                header.WriteInteger(MaxSize);
                header.WriteOctetString(new[] { (byte)Flags });
                header.WriteInteger(SecurityModel);
            });
            message.WriteOctetString(Security.Encode());
            message.WriteConstructed(BerTag.Sequence, scoped =>
            {
                scoped.WriteOctetString(ContextEngineId);
                scoped.WriteOctetString(ContextName);
                Pdu.Encode(scoped);
            });
        });
        return writer.ToArray();
    }

    public override string ToString() => $"SNMP v3 msgID={MessageId} flags={Flags} {Pdu?.ToString() ?? "(encrypted)"}";

    internal static SnmpV3Message DecodeBody(BerReader message)
    {
        var header = message.ReadConstructed(BerTag.Sequence);
        var messageId = ReadInt32(header, "msgID");
        var maxSize = ReadInt32(header, "msgMaxSize");
        var flags = ReadFlags(header);
        var securityModel = ReadInt32(header, "msgSecurityModel");
        header.RequireEnd("msgGlobalData");
        if (securityModel != UserSecurityModel)
        {
            throw new SnmpDecodeException($"Security model {securityModel} is not supported", message.Position);
        }

        var security = UsmSecurityParameters.Decode(message.ReadOctetString());
        if (message.PeekTag() == (byte)SnmpType.OctetString)
        {
            var encrypted = message.ReadOctetString();
            message.RequireEnd("encrypted scoped PDU");
            return new SnmpV3Message(messageId, maxSize, flags, security, encrypted);
        }

        var scoped = message.ReadConstructed(BerTag.Sequence);
        message.RequireEnd("scoped PDU");
        var contextEngineId = scoped.ReadOctetString();
        var contextName = scoped.ReadOctetString();
        var pdu = SnmpPdu.Decode(scoped);
        scoped.RequireEnd("PDU");
        return new SnmpV3Message(messageId, maxSize, flags, security, contextEngineId, contextName, pdu);
    }

    private static SnmpV3Flags ReadFlags(BerReader header)
    {
        var start = header.Position;
        var flags = header.ReadOctetString();
        if (flags.Length != 1)
        {
            throw new SnmpDecodeException($"msgFlags has {flags.Length} bytes instead of 1", start);
        }

        return (SnmpV3Flags)flags[0];
    }

    private static int ReadInt32(BerReader reader, string field)
    {
        var start = reader.Position;
        var value = reader.ReadInteger();
        if (value < 0 || value > int.MaxValue)
        {
            throw new SnmpDecodeException($"{field} {value} is outside 0..2147483647", start);
        }

        return (int)value;
    }
}
