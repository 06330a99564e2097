using System;
using System.Security.Cryptography;
using System.Text;

namespace IoTAdmin.Engine.Snmp;

/// <summary>
/// The USM key and digest primitives: password-to-key (RFC 3414 A.2), key localisation (§2.6) and
/// HMAC with the truncations of RFC 3414 (96 bits) and RFC 7860 (SHA-2).
/// </summary>
internal static class UsmCrypto
{
    private const int PasswordExpansion = 1024 * 1024;

    public static HashAlgorithm CreateHash(SnmpAuthProtocol protocol)
    {
        switch (protocol)
        {
            case SnmpAuthProtocol.Md5:
                return MD5.Create();
            case SnmpAuthProtocol.Sha1:
                return SHA1.Create();
            case SnmpAuthProtocol.Sha224:
                return new Sha224();
            case SnmpAuthProtocol.Sha256:
                return SHA256.Create();
            case SnmpAuthProtocol.Sha384:
                return SHA384.Create();
            case SnmpAuthProtocol.Sha512:
                return SHA512.Create();
            default:
                throw new ArgumentException($"No hash for authentication protocol {protocol}.", nameof(protocol));
        }
    }

    /// <summary>The bytes of msgAuthenticationParameters: the truncated HMAC.</summary>
    public static int DigestLength(SnmpAuthProtocol protocol)
    {
        switch (protocol)
        {
            case SnmpAuthProtocol.Md5:
            case SnmpAuthProtocol.Sha1:
                return 12;
            case SnmpAuthProtocol.Sha224:
                return 16;
            case SnmpAuthProtocol.Sha256:
                return 24;
            case SnmpAuthProtocol.Sha384:
                return 32;
            case SnmpAuthProtocol.Sha512:
                return 48;
            default:
                return 0;
        }
    }

    public static byte[] Hash(SnmpAuthProtocol protocol, byte[] data)
    {
        using var hash = CreateHash(protocol);
        return hash.ComputeHash(data);
    }

    /// <summary>Ku: the hash of 1 MiB of the passphrase repeated (RFC 3414 A.2.1, A.2.2).</summary>
    public static byte[] PasswordToKey(SnmpAuthProtocol protocol, string passphrase) =>
        PasswordToKey(protocol, Encoding.UTF8.GetBytes(passphrase));

    public static byte[] PasswordToKey(SnmpAuthProtocol protocol, byte[] password)
    {
        if (password.Length == 0)
        {
            throw new ArgumentException("An empty passphrase has no key.", nameof(password));
        }

        var expanded = new byte[PasswordExpansion];
        for (var i = 0; i < expanded.Length; i++)
        {
            expanded[i] = password[i % password.Length];
        }

        return Hash(protocol, expanded);
    }

    /// <summary>Kul = H(Ku ‖ engineID ‖ Ku) (RFC 3414 §2.6).</summary>
    public static byte[] Localize(SnmpAuthProtocol protocol, byte[] masterKey, byte[] engineId)
    {
        var input = new byte[(2 * masterKey.Length) + engineId.Length];
        Buffer.BlockCopy(masterKey, 0, input, 0, masterKey.Length);
        Buffer.BlockCopy(engineId, 0, input, masterKey.Length, engineId.Length);
        Buffer.BlockCopy(masterKey, 0, input, masterKey.Length + engineId.Length, masterKey.Length);
        return Hash(protocol, input);
    }

    /// <summary>HMAC (RFC 2104) over any of the hashes, SHA-224 included, untruncated.</summary>
    public static byte[] Hmac(SnmpAuthProtocol protocol, byte[] key, byte[] message)
    {
        var blockSize = protocol == SnmpAuthProtocol.Sha384 || protocol == SnmpAuthProtocol.Sha512 ? 128 : 64;
        var block = new byte[blockSize];
        var shortKey = key.Length > blockSize ? Hash(protocol, key) : key;
        Buffer.BlockCopy(shortKey, 0, block, 0, shortKey.Length);

        var inner = new byte[blockSize + message.Length];
        var outer = new byte[blockSize];
        for (var i = 0; i < blockSize; i++)
        {
            inner[i] = (byte)(block[i] ^ 0x36);
            outer[i] = (byte)(block[i] ^ 0x5C);
        }

        Buffer.BlockCopy(message, 0, inner, blockSize, message.Length);
        var innerHash = Hash(protocol, inner);
        var outerInput = new byte[blockSize + innerHash.Length];
        Buffer.BlockCopy(outer, 0, outerInput, 0, blockSize);
        Buffer.BlockCopy(innerHash, 0, outerInput, blockSize, innerHash.Length);
        return Hash(protocol, outerInput);
    }

    /// <summary>The msgAuthenticationParameters of a whole message whose own digest field is zeroed.</summary>
    public static byte[] Digest(SnmpAuthProtocol protocol, byte[] authKey, byte[] wholeMessage)
    {
        var mac = Hmac(protocol, authKey, wholeMessage);
        var digest = new byte[DigestLength(protocol)];
        Buffer.BlockCopy(mac, 0, digest, 0, digest.Length);
        return digest;
    }

    /// <summary>Compares in constant time so a spoofer learns nothing from response timing.</summary>
    public static bool FixedTimeEquals(byte[] left, byte[] right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        var difference = 0;
        for (var i = 0; i < left.Length; i++)
        {
            difference |= left[i] ^ right[i];
        }

        return difference == 0;
    }
}
