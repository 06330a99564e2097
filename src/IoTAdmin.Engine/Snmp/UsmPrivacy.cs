using System;
using System.Security.Cryptography;

namespace IoTAdmin.Engine.Snmp;

/// <summary>
/// USM privacy: DES-CBC (RFC 3414 §8) and AES-CFB128 (RFC 3826) with 128, 192 and 256-bit keys,
/// the longer keys stretched by Blumenthal's or Reeder's method (BR-18).
/// </summary>
internal static class UsmPrivacy
{
    public const int SaltLength = 8;

    public static int KeyLength(SnmpPrivProtocol protocol)
    {
        switch (protocol)
        {
            case SnmpPrivProtocol.Des:
            case SnmpPrivProtocol.Aes128:
                // DES: an 8-byte key followed by the 8-byte pre-IV.
                return 16;
            case SnmpPrivProtocol.Aes192:
            case SnmpPrivProtocol.Aes192Reeder:
                return 24;
            case SnmpPrivProtocol.Aes256:
            case SnmpPrivProtocol.Aes256Reeder:
                return 32;
            default:
                throw new ArgumentException($"No key length for privacy protocol {protocol}.", nameof(protocol));
        }
    }

    /// <summary>Cuts or stretches the localised privacy key to the length the cipher needs.</summary>
    public static byte[] DerivePrivKey(
        SnmpAuthProtocol auth,
        SnmpPrivProtocol priv,
        byte[] localizedKey,
        byte[] engineId)
    {
        var needed = KeyLength(priv);
        var reeder = priv == SnmpPrivProtocol.Aes192Reeder || priv == SnmpPrivProtocol.Aes256Reeder;
        var key = localizedKey;
        var lastPiece = localizedKey;
        while (key.Length < needed)
        {
            // Blumenthal appends H(key so far); Reeder localises the last piece used as a password.
            lastPiece = reeder
                ? UsmCrypto.Localize(auth, UsmCrypto.PasswordToKey(auth, lastPiece), engineId)
                : UsmCrypto.Hash(auth, key);
            key = Concat(key, lastPiece);
        }

        var result = new byte[needed];
        Buffer.BlockCopy(key, 0, result, 0, needed);
        return result;
    }

    /// <summary>Encrypts a scoped PDU; <paramref name="salt"/> becomes msgPrivacyParameters.</summary>
    public static byte[] Encrypt(
        SnmpPrivProtocol protocol,
        byte[] privKey,
        int engineBoots,
        int engineTime,
        byte[] salt,
        byte[] plaintext)
    {
        if (protocol == SnmpPrivProtocol.Des)
        {
            var padded = new byte[(plaintext.Length + 7) / 8 * 8];
            Buffer.BlockCopy(plaintext, 0, padded, 0, plaintext.Length);
            return DesCbc(privKey, salt, padded, encrypt: true);
        }

        return AesCfb(privKey, AesIv(engineBoots, engineTime, salt), plaintext, encrypt: true);
    }

    /// <exception cref="CryptographicException">The ciphertext or salt has an impossible length.</exception>
    public static byte[] Decrypt(
        SnmpPrivProtocol protocol,
        byte[] privKey,
        int engineBoots,
        int engineTime,
        byte[] salt,
        byte[] ciphertext)
    {
        if (salt.Length != SaltLength)
        {
            throw new CryptographicException($"msgPrivacyParameters has {salt.Length} bytes instead of 8.");
        }

        if (protocol == SnmpPrivProtocol.Des)
        {
            if (ciphertext.Length % 8 != 0)
            {
                throw new CryptographicException("A DES ciphertext must be a multiple of 8 bytes.");
            }

            return DesCbc(privKey, salt, ciphertext, encrypt: false);
        }

        return AesCfb(privKey, AesIv(engineBoots, engineTime, salt), ciphertext, encrypt: false);
    }

    /// <summary>The DES salt: engineBoots then a local counter, both big-endian (RFC 3414 §8.1.1.1).</summary>
    public static byte[] DesSalt(int engineBoots, uint counter) =>
        Concat(BigEndian((uint)engineBoots), BigEndian(counter));

    /// <summary>The AES salt: a 64-bit local counter (RFC 3826 §3.1.2.1).</summary>
    public static byte[] AesSalt(ulong counter) =>
        Concat(BigEndian((uint)(counter >> 32)), BigEndian((uint)counter));

    private static byte[] DesCbc(byte[] privKey, byte[] salt, byte[] data, bool encrypt)
    {
        var key = new byte[8];
        var iv = new byte[8];
        Buffer.BlockCopy(privKey, 0, key, 0, 8);
        for (var i = 0; i < 8; i++)
        {
            iv[i] = (byte)(privKey[8 + i] ^ salt[i]);
        }

        using var des = DES.Create();
        des.Mode = CipherMode.CBC;
        des.Padding = PaddingMode.None;
        using var transform = encrypt ? des.CreateEncryptor(key, iv) : des.CreateDecryptor(key, iv);
        return transform.TransformFinalBlock(data, 0, data.Length);
    }

    private static byte[] AesIv(int engineBoots, int engineTime, byte[] salt) =>
        Concat(Concat(BigEndian((uint)engineBoots), BigEndian((uint)engineTime)), salt);

    /// <summary>CFB with 128-bit feedback built on ECB, which every platform has; no padding.</summary>
    private static byte[] AesCfb(byte[] key, byte[] iv, byte[] input, bool encrypt)
    {
        using var aes = Aes.Create();
        aes.Mode = CipherMode.ECB;
        aes.Padding = PaddingMode.None;
        using var ecb = aes.CreateEncryptor(key, null);
        var output = new byte[input.Length];
        var feedback = (byte[])iv.Clone();
        var keystream = new byte[16];
        for (var offset = 0; offset < input.Length; offset += 16)
        {
            ecb.TransformBlock(feedback, 0, 16, keystream, 0);
            var count = Math.Min(16, input.Length - offset);
            for (var i = 0; i < count; i++)
            {
                output[offset + i] = (byte)(input[offset + i] ^ keystream[i]);
            }

            // The next keystream block comes from this ciphertext block.
            Buffer.BlockCopy(encrypt ? output : input, offset, feedback, 0, count);
        }

        return output;
    }

    private static byte[] BigEndian(uint value) =>
        new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value };

    private static byte[] Concat(byte[] first, byte[] second)
    {
        var result = new byte[first.Length + second.Length];
        Buffer.BlockCopy(first, 0, result, 0, first.Length);
        Buffer.BlockCopy(second, 0, result, first.Length, second.Length);
        return result;
    }
}
