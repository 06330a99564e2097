using System;

namespace IoTAdmin.Engine.Ssh;

/// <summary>SHA-256 host key fingerprints in OpenSSH's notation, <c>SHA256:</c> plus unpadded base64.</summary>
public static class HostKeyFingerprint
{
    public const string Prefix = "SHA256:";

    /// <summary>Adds the prefix when missing and drops base64 padding, so both spellings compare equal.</summary>
    public static string Normalize(string fingerprint)
    {
        if (string.IsNullOrWhiteSpace(fingerprint))
        {
            throw new ArgumentException("The host key fingerprint is empty.", nameof(fingerprint));
        }

        var text = fingerprint.Trim();
        if (text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            text = text.Substring(Prefix.Length);
        }

        text = text.TrimEnd('=');
        if (text.Length == 0 || text.IndexOf(' ') >= 0)
        {
            throw new ArgumentException($"'{fingerprint}' is not a SHA256 host key fingerprint.", nameof(fingerprint));
        }

        return Prefix + text;
    }

    /// <summary>True when both name the same key (base64 is case-sensitive, the prefix is not).</summary>
    public static bool AreEqual(string left, string right) =>
        string.Equals(Normalize(left), Normalize(right), StringComparison.Ordinal);
}
