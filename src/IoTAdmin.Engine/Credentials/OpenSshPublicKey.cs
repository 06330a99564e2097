using System;

namespace IoTAdmin.Engine.Credentials;

/// <summary>Compares OpenSSH public key lines by what identifies the key, not by options or comment.</summary>
public static class OpenSshPublicKey
{
    /// <summary>The "type base64" part of an OpenSSH public key line, ignoring options and comment.</summary>
    public static string? Body(string line)
    {
        var words = line.Trim().Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        var index = Array.FindIndex(words, w => w.StartsWith("ssh-", StringComparison.Ordinal)
            || w.StartsWith("ecdsa-", StringComparison.Ordinal) || w.StartsWith("sk-", StringComparison.Ordinal));
        return index >= 0 && index + 1 < words.Length ? words[index] + " " + words[index + 1] : null;
    }
}
