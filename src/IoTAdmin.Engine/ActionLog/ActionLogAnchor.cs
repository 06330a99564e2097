using System;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>
/// The authenticated head of a log, kept beside the key and away from the log: the sequence number and
/// hash of the last entry. It is what lets a verifier see entries cut off the end of the log.
/// </summary>
internal sealed class ActionLogAnchor
{
    private const string Domain = "iotadmin-action-log-anchor-v1";

    public ActionLogAnchor(long sequence, string hash)
    {
        Sequence = sequence;
        Hash = hash;
    }

    public long Sequence { get; }

    public string Hash { get; }

    /// <summary>Reads the anchor; null when there is none; throws when it is unreadable or forged.</summary>
    public static ActionLogAnchor? Read(string path, ActionLogKey key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var hash = root.GetProperty("hash").GetString() ?? string.Empty;
            var anchor = new ActionLogAnchor(root.GetProperty("seq").GetInt64(), hash);
            var mac = root.GetProperty("mac").GetString() ?? string.Empty;
            if (!Hex.FixedTimeEquals(mac, key.Sign(Domain, anchor.SignedText())))
            {
                throw new ActionLogException(
                    $"The anchor '{path}' fails its MAC: it was edited or made without the key.");
            }

            return anchor;
        }
        catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException || ex is
            System.Collections.Generic.KeyNotFoundException)
        {
            throw new ActionLogException($"The anchor '{path}' is not a valid anchor file.", ex);
        }
    }

    /// <summary>Replaces the anchor atomically (write beside, then rename over).</summary>
    public void Write(string path, ActionLogKey key)
    {
        PrivateFiles.CreateFolder(Path.GetDirectoryName(path)!);
        var text = JsonSerializer.Serialize(new
        {
            seq = Sequence,
            hash = Hash,
            time = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            mac = key.Sign(Domain, SignedText()),
        });
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, text);
        PrivateFiles.RestrictFile(temporary);
        if (File.Exists(path))
        {
            File.Replace(temporary, path, null);
        }
        else
        {
            File.Move(temporary, path);
        }
    }

    private string SignedText() => Sequence.ToString(CultureInfo.InvariantCulture) + "\n" + Hash;
}
