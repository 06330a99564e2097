using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;

namespace IoTAdmin.Engine.Snmp;

/// <summary>USM authentication protocols (RFC 3414, RFC 7860), named as net-snmp names them.</summary>
public enum SnmpAuthProtocol
{
    None,
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

/// <summary>
/// USM privacy protocols. AES-192/256 exist in two incompatible key-extension flavours (BR-18):
/// Blumenthal (net-snmp "AES-192"/"AES-256") and Reeder (Cisco, net-snmp "AES-192-C"/"AES-256-C").
/// </summary>
public enum SnmpPrivProtocol
{
    None,
    Des,
    Aes128,
    Aes192,
    Aes256,
    Aes192Reeder,
    Aes256Reeder,
}

/// <summary>The USM security levels (RFC 3411 §3.4.3).</summary>
public enum SnmpSecurityLevel
{
    NoAuthNoPriv,
    AuthNoPriv,
    AuthPriv,
}

/// <summary>
/// An SNMPv3 USM user: name, authentication and privacy protocols and their passphrases. The
/// passphrases are secrets: <see cref="ToString"/> never shows them and nothing logs them.
/// </summary>
public sealed class SnmpV3Credential
{
    private readonly string _authPassphrase;
    private readonly string _privPassphrase;
    private readonly Lazy<byte[]> _authMasterKey;
    private readonly Lazy<byte[]> _privMasterKey;
    private readonly ConcurrentDictionary<string, UsmLocalizedKeys> _localized =
        new ConcurrentDictionary<string, UsmLocalizedKeys>();

    /// <exception cref="ArgumentException">
    /// Privacy without authentication, or a protocol without its passphrase.
    /// </exception>
    public SnmpV3Credential(
        string userName,
        SnmpAuthProtocol authProtocol = SnmpAuthProtocol.None,
        string? authPassphrase = null,
        SnmpPrivProtocol privProtocol = SnmpPrivProtocol.None,
        string? privPassphrase = null)
    {
        UserName = userName ?? throw new ArgumentNullException(nameof(userName));
        AuthProtocol = authProtocol;
        PrivProtocol = privProtocol;
        _authPassphrase = RequirePassphrase(authProtocol != SnmpAuthProtocol.None, authPassphrase, "authentication");
        _privPassphrase = RequirePassphrase(privProtocol != SnmpPrivProtocol.None, privPassphrase, "privacy");
        if (authProtocol == SnmpAuthProtocol.None && privProtocol != SnmpPrivProtocol.None)
        {
            throw new ArgumentException("USM privacy needs authentication (RFC 3414 §3.1.1).", nameof(privProtocol));
        }

        _authMasterKey = new Lazy<byte[]>(() => UsmCrypto.PasswordToKey(authProtocol, _authPassphrase));
        _privMasterKey = new Lazy<byte[]>(() => UsmCrypto.PasswordToKey(authProtocol, _privPassphrase));
    }

    public string UserName { get; }

    public SnmpAuthProtocol AuthProtocol { get; }

    public SnmpPrivProtocol PrivProtocol { get; }

    /// <summary>Derived from the protocols: privacy implies authentication.</summary>
    public SnmpSecurityLevel SecurityLevel =>
        PrivProtocol != SnmpPrivProtocol.None ? SnmpSecurityLevel.AuthPriv
        : AuthProtocol != SnmpAuthProtocol.None ? SnmpSecurityLevel.AuthNoPriv
        : SnmpSecurityLevel.NoAuthNoPriv;

    /// <summary>The contextName of every request; empty selects the default context.</summary>
    public string ContextName { get; set; } = string.Empty;

    /// <summary>The same user at authNoPriv, used to tell a wrong privacy passphrase from a dead agent.</summary>
    internal SnmpV3Credential WithoutPrivacy() =>
        new SnmpV3Credential(UserName, AuthProtocol, _authPassphrase) { ContextName = ContextName };

    /// <summary>The same user and passphrases with another privacy protocol (the other AES flavour).</summary>
    public SnmpV3Credential WithPrivProtocol(SnmpPrivProtocol privProtocol) =>
        new SnmpV3Credential(UserName, AuthProtocol, _authPassphrase, privProtocol, _privPassphrase)
        {
            ContextName = ContextName,
        };

    /// <summary>A summary for logs: user, level and protocols, never a passphrase.</summary>
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture, "{0} ({1}, {2}/{3})", UserName, SecurityLevel, AuthProtocol, PrivProtocol);

    /// <summary>The keys localised to one engine (RFC 3414 §2.6), computed once per engine ID.</summary>
    internal UsmLocalizedKeys KeysFor(byte[] engineId)
    {
        var hex = string.Concat(engineId.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        return _localized.GetOrAdd(hex, _ => Localize(engineId));
    }

    private UsmLocalizedKeys Localize(byte[] engineId)
    {
        if (AuthProtocol == SnmpAuthProtocol.None)
        {
            return new UsmLocalizedKeys(Array.Empty<byte>(), Array.Empty<byte>());
        }

        var authKey = UsmCrypto.Localize(AuthProtocol, _authMasterKey.Value, engineId);
        byte[] LocalizedPrivKey() => UsmCrypto.Localize(AuthProtocol, _privMasterKey.Value, engineId);
        var privKey = PrivProtocol == SnmpPrivProtocol.None
            ? Array.Empty<byte>()
            : UsmPrivacy.DerivePrivKey(AuthProtocol, PrivProtocol, LocalizedPrivKey(), engineId);
        return new UsmLocalizedKeys(authKey, privKey);
    }

    private static string RequirePassphrase(bool needed, string? passphrase, string what)
    {
        if (!needed)
        {
            return string.Empty;
        }

        return string.IsNullOrEmpty(passphrase)
            ? throw new ArgumentException($"The {what} protocol needs a passphrase.", nameof(passphrase))
            : passphrase!;
    }
}

/// <summary>A user's keys localised to one authoritative engine.</summary>
internal sealed class UsmLocalizedKeys
{
    public UsmLocalizedKeys(byte[] authKey, byte[] privKey)
    {
        AuthKey = authKey;
        PrivKey = privKey;
    }

    public byte[] AuthKey { get; }

    /// <summary>Exactly as long as the cipher needs (DES: key plus pre-IV).</summary>
    public byte[] PrivKey { get; }
}
