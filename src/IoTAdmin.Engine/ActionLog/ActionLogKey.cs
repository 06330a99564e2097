using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>
/// The HMAC key of an action log: 32 random bytes, base64 in a file only its owner may read. The key
/// never appears in the log, in messages or in exceptions.
/// </summary>
public sealed class ActionLogKey
{
    private const int KeyBytes = 32;
    private readonly byte[] _key;

    private ActionLogKey(byte[] key) => _key = key;

    /// <summary>Loads the key, creating it (and its owner-only folder) when it does not exist yet.</summary>
    public static ActionLogKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Create(path);
        }

        return Load(path);
    }

    /// <summary>Loads an existing key; refuses one that group or others can read.</summary>
    public static ActionLogKey Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ActionLogException($"The action log key '{path}' does not exist.");
        }

        if (PrivateFiles.IsOpenToOthers(path))
        {
            throw new ActionLogException(
                $"The action log key '{path}' may be read by group or others; make it owner-only (chmod 600).");
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            throw new ActionLogException($"The action log key '{path}' is not base64 text.");
        }

        if (key.Length < 16)
        {
            throw new ActionLogException($"The action log key '{path}' is shorter than 16 bytes.");
        }

        return new ActionLogKey(key);
    }

    internal string Sign(string domain, string text)
    {
        using var hmac = new HMACSHA256(_key);
        return Hex.Encode(hmac.ComputeHash(Encoding.UTF8.GetBytes(domain + "\n" + text)));
    }

    private static void Create(string path)
    {
        PrivateFiles.CreateFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = new byte[KeyBytes];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(key);
        }

        // Written under a temporary name and restricted before it gets its real name, so the key is never
        // readable by others, and two processes creating it at once end with one key.
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, Convert.ToBase64String(key));
        PrivateFiles.RestrictFile(temporary);
        try
        {
            File.Move(temporary, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }
}
