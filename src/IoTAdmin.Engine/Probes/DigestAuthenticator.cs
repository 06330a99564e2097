using System;
using System.Security.Cryptography;
using System.Text;

namespace IoTAdmin.Engine.Probes;

/// <summary>Builds an Authorization header answering a Digest challenge (RFC 7616; MD5, SHA-256, -sess).</summary>
internal static class DigestAuthenticator
{
    /// <summary>The header value, or null when the challenge asks for an algorithm we do not know.</summary>
    public static string? CreateHeader(
        HttpAuthChallenge challenge,
        string method,
        string uri,
        string userName,
        string password,
        string clientNonce)
    {
        var algorithm = challenge.Get("algorithm") ?? "MD5";
        var hash = HashFor(algorithm);
        var nonce = challenge.Get("nonce");
        if (hash is null || nonce is null)
        {
            return null;
        }

        var realm = challenge.Get("realm") ?? string.Empty;
        var qop = ChooseQop(challenge.Get("qop"));
        const string nonceCount = "00000001";
        var ha1 = hash($"{userName}:{realm}:{password}");
        if (algorithm.EndsWith("-sess", StringComparison.OrdinalIgnoreCase))
        {
            ha1 = hash($"{ha1}:{nonce}:{clientNonce}");
        }

        var ha2 = hash($"{method}:{uri}");
        var response = qop is null
            ? hash($"{ha1}:{nonce}:{ha2}")
            : hash($"{ha1}:{nonce}:{nonceCount}:{clientNonce}:{qop}:{ha2}");
        var header = new StringBuilder("Digest ")
            .Append($"username=\"{userName}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", ")
            .Append($"algorithm={algorithm}, response=\"{response}\"");
        if (qop is not null)
        {
            header.Append($", qop={qop}, nc={nonceCount}, cnonce=\"{clientNonce}\"");
        }

        var opaque = challenge.Get("opaque");
        if (opaque is not null)
        {
            header.Append($", opaque=\"{opaque}\"");
        }

        return header.ToString();
    }

    private static string? ChooseQop(string? offered)
    {
        if (offered is null)
        {
            return null;
        }

        foreach (var option in offered.Split(','))
        {
            if (option.Trim() == "auth")
            {
                return "auth";
            }
        }

        return null;
    }

    private static Func<string, string>? HashFor(string algorithm)
    {
        var name = algorithm.ToUpperInvariant().Replace("-SESS", string.Empty);
        if (name == "MD5")
        {
            return text => Hex(MD5Hash(text));
        }

        if (name == "SHA-256")
        {
            return text => Hex(Sha256Hash(text));
        }

        return null;
    }

    private static byte[] MD5Hash(string text)
    {
        using var md5 = MD5.Create();
        return md5.ComputeHash(Encoding.UTF8.GetBytes(text));
    }

    private static byte[] Sha256Hash(string text)
    {
        using var sha = SHA256.Create();
        return sha.ComputeHash(Encoding.UTF8.GetBytes(text));
    }

    private static string Hex(byte[] bytes)
    {
        var builder = new StringBuilder(bytes.Length * 2);
        foreach (var value in bytes)
        {
            builder.Append(value.ToString("x2"));
        }

        return builder.ToString();
    }
}
