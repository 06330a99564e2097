using System;
using System.Security.Cryptography;
using System.Text;

namespace IoTAdmin.Engine.Snmp;

/// <summary>
/// One authenticated exchange with one engine: builds the request (encrypt, then sign, RFC 3414
/// §3.1) and opens what comes back (verify, then decrypt, §3.2).
/// </summary>
internal sealed class UsmSession
{
    private readonly SnmpV3Credential _credential;

    public UsmSession(SnmpV3Credential credential, byte[] engineId, int engineBoots, int engineTime)
    {
        _credential = credential;
        EngineId = engineId;
        EngineBoots = engineBoots;
        EngineTime = engineTime;
    }

    public byte[] EngineId { get; }

    public int EngineBoots { get; }

    public int EngineTime { get; }

    private bool Authenticates => _credential.SecurityLevel != SnmpSecurityLevel.NoAuthNoPriv;

    private bool Encrypts => _credential.SecurityLevel == SnmpSecurityLevel.AuthPriv;

    /// <summary>The whole request datagram; <paramref name="salt"/> is used only with privacy.</summary>
    public byte[] Encode(int messageId, SnmpPdu pdu, byte[] salt)
    {
        var keys = _credential.KeysFor(EngineId);
        var body = EncodeScoped(pdu);
        var privacyParameters = Array.Empty<byte>();
        if (Encrypts)
        {
            var encrypted = UsmPrivacy.Encrypt(
                _credential.PrivProtocol, keys.PrivKey, EngineBoots, EngineTime, salt, body);
            var wrapper = new BerWriter();
            wrapper.WriteOctetString(encrypted);
            body = wrapper.ToArray();
            privacyParameters = salt;
        }

        var flags = SnmpV3Flags.Reportable
            | (Authenticates ? SnmpV3Flags.Authentication : SnmpV3Flags.None)
            | (Encrypts ? SnmpV3Flags.Privacy : SnmpV3Flags.None);
        var placeholder = new byte[UsmCrypto.DigestLength(_credential.AuthProtocol)];
        var draft = Assemble(messageId, flags, placeholder, privacyParameters, body);
        if (!Authenticates)
        {
            return draft;
        }

        // Same lengths, so the signed message is the draft with the digest in the zeroed field.
        var digest = UsmCrypto.Digest(_credential.AuthProtocol, keys.AuthKey, draft);
        return Assemble(messageId, flags, digest, privacyParameters, body);
    }

    /// <summary>Verifies and decrypts an answer that carries the msgID of this exchange.</summary>
    public UsmOpening Open(byte[] datagram, SnmpV3Message message)
    {
        var verified = false;
        if (Authenticates && message.Flags.HasFlag(SnmpV3Flags.Authentication) && !IsUnsignedReport(message))
        {
            if (!DigestMatches(datagram, message))
            {
                return UsmOpening.Drop("its digest does not verify");
            }

            verified = true;
        }

        var opened = message;
        if (message.Pdu is null)
        {
            if (!verified || !Encrypts)
            {
                return UsmOpening.Drop("it is encrypted but not authenticated for this user");
            }

            if (!TryDecrypt(message, out opened))
            {
                return UsmOpening.Fail(SnmpUsmError.DecryptionError);
            }
        }

        return Judge(opened, verified, encrypted: message.Pdu is null);
    }

    /// <summary>A plaintext Report whose flags claim authentication it does not carry (BR-12).</summary>
    private static bool IsUnsignedReport(SnmpV3Message message) =>
        message.Pdu?.Type == SnmpPduType.Report && message.Security.AuthenticationParameters.Length == 0;

    private UsmOpening Judge(SnmpV3Message message, bool verified, bool encrypted)
    {
        var pdu = message.Pdu!;

        // Reports travel unauthenticated and some agents mark them oddly (BR-12): take them as they are.
        if (pdu.Type == SnmpPduType.Report)
        {
            return UsmOpening.Accept(message);
        }

        if (Authenticates && !verified)
        {
            return UsmOpening.Drop("it is not authenticated");
        }

        if (Encrypts && !encrypted)
        {
            return UsmOpening.Drop("it is not encrypted");
        }

        return pdu.RequestId == message.MessageId
            ? UsmOpening.Accept(message)
            : UsmOpening.Drop("its request-id does not match");
    }

    private bool DigestMatches(byte[] datagram, SnmpV3Message message)
    {
        var received = message.Security.AuthenticationParameters;
        if (received.Length != UsmCrypto.DigestLength(_credential.AuthProtocol))
        {
            return false;
        }

        var (offset, length) = LocateAuthenticationParameters(datagram);
        var zeroed = (byte[])datagram.Clone();
        Array.Clear(zeroed, offset, length);
        var keys = _credential.KeysFor(message.Security.EngineId);
        var expected = UsmCrypto.Digest(_credential.AuthProtocol, keys.AuthKey, zeroed);
        return UsmCrypto.FixedTimeEquals(expected, received);
    }

    private bool TryDecrypt(SnmpV3Message message, out SnmpV3Message opened)
    {
        opened = message;
        var security = message.Security;
        try
        {
            var keys = _credential.KeysFor(security.EngineId);
            var plain = UsmPrivacy.Decrypt(
                _credential.PrivProtocol,
                keys.PrivKey,
                security.EngineBoots,
                security.EngineTime,
                security.PrivacyParameters,
                message.EncryptedScopedPdu!);

            // DES pads to whole blocks: read the scoped PDU and ignore what follows it.
            var scoped = new BerReader(plain).ReadConstructed(BerTag.Sequence);
            var contextEngineId = scoped.ReadOctetString();
            var contextName = scoped.ReadOctetString();
            var pdu = SnmpPdu.Decode(scoped);
            scoped.RequireEnd("PDU");
            opened = new SnmpV3Message(
                message.MessageId, message.MaxSize, message.Flags, security, contextEngineId, contextName, pdu);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException || ex is SnmpDecodeException)
        {
            return false;
        }
    }

    private byte[] EncodeScoped(SnmpPdu pdu)
    {
        var writer = new BerWriter();
        writer.WriteConstructed(BerTag.Sequence, scoped =>
        {
            scoped.WriteOctetString(EngineId);
            scoped.WriteOctetString(Encoding.UTF8.GetBytes(_credential.ContextName));
            pdu.Encode(scoped);
        });
        return writer.ToArray();
    }

    private byte[] Assemble(int messageId, SnmpV3Flags flags, byte[] digest, byte[] privacyParameters, byte[] body)
    {
        var security = new UsmSecurityParameters(
            EngineId, EngineBoots, EngineTime, _credential.UserName, digest, privacyParameters);
        var writer = new BerWriter();
        writer.WriteConstructed(BerTag.Sequence, message =>
        {
            message.WriteInteger((int)SnmpVersion.V3);
            message.WriteConstructed(BerTag.Sequence, header =>
            {
                header.WriteInteger(messageId);
                header.WriteInteger(SnmpMessage.MaxMessageSize);
                header.WriteOctetString(new[] { (byte)flags });
                header.WriteInteger(SnmpV3Message.UserSecurityModel);
            });
            message.WriteOctetString(security.Encode());
            message.WriteEncoded(body);
        });
        return writer.ToArray();
    }

    /// <summary>Where msgAuthenticationParameters lies in the datagram, to zero it before verifying.</summary>
    private static (int Offset, int Length) LocateAuthenticationParameters(byte[] datagram)
    {
        var message = new BerReader(datagram).ReadConstructed(BerTag.Sequence);
        message.ReadInteger();
        message.ReadConstructed(BerTag.Sequence);
        var usm = message.ReadEncapsulated((byte)SnmpType.OctetString).ReadConstructed(BerTag.Sequence);
        usm.ReadOctetString();
        usm.ReadInteger();
        usm.ReadInteger();
        usm.ReadOctetString();
        var (_, offset, length) = usm.ReadHeader();
        return (offset, length);
    }
}

/// <summary>What became of an answer: accepted (verified, decrypted), dropped as spoofed, or a USM error.</summary>
internal sealed class UsmOpening
{
    private UsmOpening(SnmpV3Message? message, string? dropReason, SnmpUsmError? error)
    {
        Message = message;
        DropReason = dropReason;
        Error = error;
    }

    public SnmpV3Message? Message { get; }

    public string? DropReason { get; }

    public SnmpUsmError? Error { get; }

    public static UsmOpening Accept(SnmpV3Message message) => new UsmOpening(message, null, null);

    public static UsmOpening Drop(string reason) => new UsmOpening(null, reason, null);

    public static UsmOpening Fail(SnmpUsmError error) => new UsmOpening(null, null, error);
}
