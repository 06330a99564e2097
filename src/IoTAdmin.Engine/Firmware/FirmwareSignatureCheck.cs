using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace IoTAdmin.Engine.Firmware;

/// <summary>
/// Verifies a detached RSA signature (PKCS#1 v1.5 or PSS, SHA-256) over an image with a public key
/// given as DER SubjectPublicKeyInfo. The key is decoded here because netstandard2.0 has no importer
/// for it. PSS needs a platform RSA that implements it (PowerShell 7, or RSACng on Windows PowerShell);
/// where it is missing the image is refused, never sent unverified. ECDSA signatures are not supported.
/// </summary>
internal static class FirmwareSignatureCheck
{
    private static readonly byte[] s_rsaEncryption = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01 };

    public static void Verify(FirmwareSignature signature, byte[] content, string origin)
    {
        var padding = signature.Algorithm.ToLowerInvariant() switch
        {
            "rsa-pkcs1-sha256" => RSASignaturePadding.Pkcs1,
            "rsa-pss-sha256" => RSASignaturePadding.Pss,
            _ => throw new FirmwareImageRejectedException(
                $"signature algorithm '{signature.Algorithm}' is not supported (rsa-pkcs1-sha256, rsa-pss-sha256)"),
        };
        var key = DecodePublicKey(signature.PublicKey);
        var value = Base64(signature.Value, "signature value");
        bool valid;
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportParameters(key);
            valid = rsa.VerifyData(content, value, HashAlgorithmName.SHA256, padding);
        }
        catch (Exception ex) when (ex is CryptographicException or NotSupportedException)
        {
            throw new FirmwareImageRejectedException($"the signature of {origin} cannot be checked: {ex.Message}", ex);
        }

        if (!valid)
        {
            throw new FirmwareImageRejectedException($"the signature of {origin} does not verify with the vendor key");
        }
    }

    internal static RSAParameters DecodePublicKey(string text)
    {
        var der = Base64(Regex.Replace(text, "-----[^-]+-----", string.Empty), "public key");
        try
        {
            var position = 0;
            Expect(der, ref position, 0x30);
            Expect(der, ref position, 0x30);
            var oidLength = Expect(der, ref position, 0x06);
            var oid = der.Skip(position).Take(oidLength).ToArray();
            if (!oid.SequenceEqual(s_rsaEncryption))
            {
                throw new FirmwareImageRejectedException("the public key is not an RSA key");
            }

            position += oidLength;
            if (der[position] == 0x05)
            {
                position += 2;
            }

            Expect(der, ref position, 0x03);
            position++;
            Expect(der, ref position, 0x30);
            var modulus = Integer(der, ref position);
            var exponent = Integer(der, ref position);
            return new RSAParameters { Modulus = modulus, Exponent = exponent };
        }
        catch (IndexOutOfRangeException ex)
        {
            throw new FirmwareImageRejectedException("the public key is truncated", ex);
        }
    }

    private static byte[] Base64(string text, string what)
    {
        try
        {
            return Convert.FromBase64String(Regex.Replace(text, @"\s", string.Empty));
        }
        catch (FormatException ex)
        {
            throw new FirmwareImageRejectedException($"the {what} is not base64", ex);
        }
    }

    /// <summary>Reads a tag and length; returns the length and leaves the position at the content.</summary>
    private static int Expect(byte[] der, ref int position, byte tag)
    {
        if (der[position++] != tag)
        {
            throw new FirmwareImageRejectedException("the public key is not a DER SubjectPublicKeyInfo");
        }

        int length = der[position++];
        if (length < 0x80)
        {
            return length;
        }

        var count = length & 0x7F;
        if (count > 3)
        {
            throw new FirmwareImageRejectedException("the public key has an impossible length");
        }

        length = 0;
        for (var i = 0; i < count; i++)
        {
            length = (length << 8) | der[position++];
        }

        return length;
    }

    private static byte[] Integer(byte[] der, ref int position)
    {
        var length = Expect(der, ref position, 0x02);
        var value = der.Skip(position).Take(length).SkipWhile((b, i) => b == 0 && i < length - 1).ToArray();
        position += length;
        return value;
    }
}
