using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;

namespace IoTAdmin.Engine.Ssh;

/// <summary>One pinned host key: where it was seen, its algorithm and its SHA-256 fingerprint.</summary>
public sealed class KnownHostEntry
{
    public KnownHostEntry(string host, int port, string algorithm, string fingerprint, DateTimeOffset pinnedAt)
    {
        Host = host;
        Port = port;
        Algorithm = algorithm;
        Fingerprint = fingerprint;
        PinnedAt = pinnedAt;
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>The host key algorithm the server used, e.g. ssh-ed25519.</summary>
    public string Algorithm { get; }

    /// <summary>The key's fingerprint as <c>SHA256:base64</c>, the way OpenSSH prints it.</summary>
    public string Fingerprint { get; }

    public DateTimeOffset PinnedAt { get; }
}

/// <summary>
/// IoTAdmin's own known-hosts file: one pinned host key per host and port. The format is
/// deliberately not OpenSSH's (which stores whole keys): each line reads
/// <c>host port algorithm SHA256:fingerprint pinned-at</c>, and lines starting with # are comments.
/// Writes go to a temporary file that replaces the old one, under a lock file, so a crash or a
/// second PowerShell process never leaves a half-written store.
/// </summary>
public sealed class KnownHostsStore
{
    private const string Header = "# IoTAdmin known hosts: host port algorithm fingerprint pinned-at (UTC)";
    private static readonly TimeSpan s_lockWait = TimeSpan.FromSeconds(10);
    private static readonly object s_processLock = new object();

    public KnownHostsStore(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("The known-hosts path is empty.", nameof(path));
        }

        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The file this store reads and writes.</summary>
    public string Path { get; }

    /// <summary>
    /// IOTADMIN_KNOWN_HOSTS when set, else known_hosts in the IoTAdmin folder of the user's local
    /// application data (per user, so a scheduled task's account has its own trust).
    /// </summary>
    public static string DefaultPath
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("IOTADMIN_KNOWN_HOSTS");
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return fromEnvironment!;
            }

            var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            if (string.IsNullOrEmpty(data))
            {
                data = System.IO.Path.Combine(
                    Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            }

            return System.IO.Path.Combine(data, "IoTAdmin", "known_hosts");
        }
    }

    /// <summary>The pinned key of a host and port, or null when none is pinned.</summary>
    /// <exception cref="KnownHostsFormatException">The file has a line that does not parse.</exception>
    public KnownHostEntry? Find(string host, int port)
    {
        lock (s_processLock)
        {
            return ReadAll().FirstOrDefault(e => Matches(e, host, port));
        }
    }

    /// <summary>Every pinned key, in file order.</summary>
    public IReadOnlyList<KnownHostEntry> List()
    {
        lock (s_processLock)
        {
            return ReadAll();
        }
    }

    /// <summary>Pins (or re-pins) the key of a host and port, replacing any earlier entry.</summary>
    public KnownHostEntry Pin(string host, int port, string algorithm, string sha256Fingerprint)
    {
        ValidateToken(host, nameof(host));
        ValidateToken(algorithm, nameof(algorithm));
        var entry = new KnownHostEntry(
            host, port, algorithm, HostKeyFingerprint.Normalize(sha256Fingerprint), DateTimeOffset.UtcNow);
        Update(entries =>
        {
            entries.RemoveAll(e => Matches(e, host, port));
            entries.Add(entry);
        });
        return entry;
    }

    /// <summary>Forgets the key of a host and port; true when there was one.</summary>
    public bool Remove(string host, int port)
    {
        var removed = false;
        Update(entries => removed = entries.RemoveAll(e => Matches(e, host, port)) > 0);
        return removed;
    }

    private static bool Matches(KnownHostEntry entry, string host, int port) =>
        entry.Port == port && string.Equals(entry.Host, host, StringComparison.OrdinalIgnoreCase);

    private static void ValidateToken(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsWhiteSpace) || value.StartsWith("#"))
        {
            throw new ArgumentException($"'{value}' cannot be stored in the known-hosts file.", name);
        }
    }

    private void Update(Action<List<KnownHostEntry>> change)
    {
        lock (s_processLock)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            using (AcquireFileLock())
            {
                var entries = ReadAll();
                change(entries);
                WriteAll(entries);
            }
        }
    }

    private List<KnownHostEntry> ReadAll()
    {
        var entries = new List<KnownHostEntry>();
        if (!File.Exists(Path))
        {
            return entries;
        }

        var number = 0;
        foreach (var line in File.ReadAllLines(Path))
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith("#"))
            {
                continue;
            }

            entries.Add(ParseLine(text, number));
        }

        return entries;
    }

    private KnownHostEntry ParseLine(string text, int number)
    {
        var fields = text.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 4
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port < 1 || port > 65535
            || !fields[3].StartsWith(HostKeyFingerprint.Prefix, StringComparison.Ordinal))
        {
            throw new KnownHostsFormatException(
                $"{Path} line {number} is not 'host port algorithm SHA256:fingerprint [pinned-at]'.");
        }

        var pinnedAt = fields.Length > 4
            && DateTimeOffset.TryParse(fields[4], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal,
                out var parsed)
            ? parsed
            : DateTimeOffset.MinValue;
        return new KnownHostEntry(fields[0], port, fields[2], fields[3], pinnedAt);
    }

    private void WriteAll(IEnumerable<KnownHostEntry> entries)
    {
        var text = new StringBuilder().AppendLine(Header);
        foreach (var entry in entries)
        {
            text.Append(entry.Host).Append(' ').Append(entry.Port.ToString(CultureInfo.InvariantCulture))
                .Append(' ').Append(entry.Algorithm).Append(' ').Append(entry.Fingerprint).Append(' ')
                .AppendLine(entry.PinnedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        }

        var temporary = Path + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        File.WriteAllText(temporary, text.ToString(), new UTF8Encoding(false));
        if (File.Exists(Path))
        {
            File.Replace(temporary, Path, null);
        }
        else
        {
            File.Move(temporary, Path);
        }
    }

    /// <summary>An exclusive lock file shared with other processes; waits a bounded time for it.</summary>
    private IDisposable AcquireFileLock()
    {
        var lockPath = Path + ".lock";
        var deadline = DateTime.UtcNow + s_lockWait;
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1,
                    FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }
}

/// <summary>IoTAdmin's known-hosts file has a line that does not parse; no key in it can be trusted.</summary>
public sealed class KnownHostsFormatException : FormatException
{
    public KnownHostsFormatException(string message)
        : base(message)
    {
    }
}
