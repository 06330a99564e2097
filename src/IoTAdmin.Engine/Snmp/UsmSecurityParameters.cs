using System;
using System.Text;

namespace IoTAdmin.Engine.Snmp;

/// <summary>The User-based Security Model parameters of a v3 message (RFC 3414 §2.4).</summary>
public sealed class UsmSecurityParameters
{
    public UsmSecurityParameters(
        byte[] engineId,
        int engineBoots,
        int engineTime,
        string userName,
        byte[] authenticationParameters,
        byte[] privacyParameters)
    {
        EngineId = engineId ?? throw new ArgumentNullException(nameof(engineId));
        EngineBoots = engineBoots;
        EngineTime = engineTime;
        UserName = userName ?? throw new ArgumentNullException(nameof(userName));
        AuthenticationParameters = authenticationParameters
            ?? throw new ArgumentNullException(nameof(authenticationParameters));
        PrivacyParameters = privacyParameters ?? throw new ArgumentNullException(nameof(privacyParameters));
    }

    /// <summary>The empty parameters of an engine-discovery request (RFC 3414 §4).</summary>
    public static UsmSecurityParameters Discovery =>
        new UsmSecurityParameters(Array.Empty<byte>(), 0, 0, string.Empty, Array.Empty<byte>(), Array.Empty<byte>());

    public byte[] EngineId { get; }

    public int EngineBoots { get; }

    public int EngineTime { get; }

    public string UserName { get; }

    public byte[] AuthenticationParameters { get; }

    public byte[] PrivacyParameters { get; }

    /// <summary>The BER bytes that travel inside msgSecurityParameters.</summary>
    public byte[] Encode()
    {
        var writer = new BerWriter();
        writer.WriteConstructed(BerTag.Sequence, usm =>
        {
            usm.WriteOctetString(EngineId);
            usm.WriteInteger(EngineBoots);
            usm.WriteInteger(EngineTime);
            usm.WriteOctetString(Encoding.UTF8.GetBytes(UserName));
            usm.WriteOctetString(AuthenticationParameters);
            usm.WriteOctetString(PrivacyParameters);
        });
        return writer.ToArray();
    }

    /// <exception cref="SnmpDecodeException">The bytes are not USM security parameters.</exception>
    public static UsmSecurityParameters Decode(byte[] data)
    {
        var outer = new BerReader(data);
        var usm = outer.ReadConstructed(BerTag.Sequence);
        outer.RequireEnd("USM parameters");
        var engineId = usm.ReadOctetString();
        var boots = ReadNonNegative(usm, "msgAuthoritativeEngineBoots");
        var time = ReadNonNegative(usm, "msgAuthoritativeEngineTime");
        var user = Encoding.UTF8.GetString(usm.ReadOctetString());
        var auth = usm.ReadOctetString();
        var priv = usm.ReadOctetString();
        usm.RequireEnd("msgPrivacyParameters");
        return new UsmSecurityParameters(engineId, boots, time, user, auth, priv);
    }

    private static int ReadNonNegative(BerReader reader, string field)
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
