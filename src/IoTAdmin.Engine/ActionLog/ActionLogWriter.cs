using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using IoTAdmin.Engine.Diagnostics;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>
/// Appends entries to an action log. Several processes may append at once: each append holds an exclusive
/// lock on the file '(log).lock' (retried until <see cref="ActionLogOptions.LockTimeout"/>), reads the last
/// entry, writes the new line, flushes it to disk and moves the anchor.
/// </summary>
/// <remarks>
/// Before appending, the writer checks the last entry's MAC and the anchor. When the log was cut short, its
/// last entry edited or its anchor removed, it refuses to append (<see cref="ActionLogException"/>) rather
/// than chain new entries onto a damaged log, which would hide the damage. The remedy is to keep the damaged
/// log as evidence (rename it) and let the next append start a new one.
/// </remarks>
public sealed class ActionLogWriter
{
    private const int TailChunk = 64 * 1024;
    private const int MaxLineBytes = 1024 * 1024;
    private readonly ActionLogOptions _options;
    private readonly IActivityLog _log;

    public ActionLogWriter(ActionLogOptions options, IActivityLog? log = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _log = log ?? NullActivityLog.Instance;
    }

    /// <summary>Appends one entry and returns it as written; forwards it to syslog when configured.</summary>
    public ActionLogEntry Append(ActionRecord record)
    {
        var folder = Path.GetDirectoryName(_options.LogPath)!;
        Directory.CreateDirectory(folder);
        string line;
        ActionLogEntry entry;
        using (AcquireLock())
        {
            // Under the lock: writers that start a new log at once must agree on one key, and whether a
            // rename refuses an existing target differs between file systems.
            var key = ActionLogKey.LoadOrCreate(_options.KeyPath);
            entry = AppendLocked(record, key, out line);
        }

        Forward(line, entry);
        return entry;
    }

    private ActionLogEntry AppendLocked(ActionRecord record, ActionLogKey key, out string line)
    {
        using var log = new FileStream(_options.LogPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var tail = ReadTail(log, out var endsWithNewline);
        var anchor = ActionLogAnchor.Read(_options.AnchorPath, key);
        var last = CheckHead(tail, anchor, key);

        var entry = NewEntry(record, last, tail);
        line = ActionLogLine.Format(entry, key);
        var bytes = Encoding.UTF8.GetBytes((endsWithNewline ? string.Empty : "\n") + line + "\n");
        log.Seek(0, SeekOrigin.End);
        log.Write(bytes, 0, bytes.Length);
        log.Flush(true);

        new ActionLogAnchor(entry.Sequence, ActionLogLine.HashOf(line)).Write(_options.AnchorPath, key);
        return entry;
    }

    private static ActionLogEntry NewEntry(ActionRecord record, ActionLogEntry? last, string? lastLine) => new()
    {
        Sequence = (last?.Sequence ?? 0) + 1,
        Time = DateTimeOffset.UtcNow,
        Actor = string.IsNullOrEmpty(record.Actor) ? CurrentActor() : record.Actor,
        Host = Environment.MachineName,
        Device = record.Device,
        Action = record.Action,
        Parameters = SecretScrubber.Scrub(record.Parameters),
        Outcome = record.Outcome,
        Message = record.Message ?? string.Empty,
        PreviousHash = lastLine is null ? ActionLogLine.GenesisHash : ActionLogLine.HashOf(lastLine),
    };

    /// <summary>Checks the log's last entry against the anchor; returns that entry (null for a new log).</summary>
    private ActionLogEntry? CheckHead(string? tail, ActionLogAnchor? anchor, ActionLogKey key)
    {
        var path = _options.LogPath;
        if (tail is null)
        {
            if (anchor != null)
            {
                throw Refuse($"'{path}' is empty but its anchor records {anchor.Sequence} entries");
            }

            return null;
        }

        var last = ParseChecked(tail, key);
        var hash = ActionLogLine.HashOf(tail);
        if (anchor is null)
        {
            return last.Sequence == 1 ? last : throw Refuse($"the anchor of '{path}' is missing");
        }

        var crashedBeforeAnchor = anchor.Sequence == last.Sequence - 1 && anchor.Hash == last.PreviousHash;
        var matches = anchor.Sequence == last.Sequence && anchor.Hash == hash;
        if (!matches && !crashedBeforeAnchor)
        {
            throw Refuse($"'{path}' ends at entry {last.Sequence} but its anchor records entry {anchor.Sequence}"
                + " with another hash");
        }

        return last;
    }

    private ActionLogEntry ParseChecked(string line, ActionLogKey key)
    {
        ActionLogEntry entry;
        try
        {
            entry = ActionLogLine.Parse(line);
        }
        catch (FormatException ex)
        {
            throw Refuse($"the last line of '{_options.LogPath}' is not an entry ({ex.Message})");
        }

        ActionLogLine.TrySplit(line, out var body, out var mac);
        if (!Hex.FixedTimeEquals(mac, key.Sign(ActionLogLine.EntryDomain, body)))
        {
            throw Refuse($"the last entry of '{_options.LogPath}' fails its MAC");
        }

        return entry;
    }

    private static ActionLogException Refuse(string reason) => new ActionLogException(
        $"Not appending: {reason}. Run Test-IoTActionLog, keep the log as evidence (rename it) and start a new one.");

    /// <summary>Returns the last non-empty line, or null for an empty file.</summary>
    private static string? ReadTail(FileStream log, out bool endsWithNewline)
    {
        endsWithNewline = true;
        if (log.Length == 0)
        {
            return null;
        }

        var size = (int)Math.Min(log.Length, TailChunk);
        while (true)
        {
            var buffer = new byte[size];
            log.Seek(-size, SeekOrigin.End);
            ReadFully(log, buffer);
            endsWithNewline = buffer[buffer.Length - 1] == (byte)'\n';
            var text = Encoding.UTF8.GetString(buffer).TrimEnd('\n', '\r');
            var start = text.LastIndexOf('\n');
            if (start >= 0 || size == log.Length)
            {
                var lastLine = text.Substring(start + 1).TrimEnd('\r');
                return lastLine.Length == 0 ? null : lastLine;
            }

            if (size >= MaxLineBytes)
            {
                throw new ActionLogException($"The last line of the log is longer than {MaxLineBytes} bytes.");
            }

            size = (int)Math.Min(log.Length, size * 4L);
        }
    }

    private static void ReadFully(Stream stream, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0)
            {
                throw new EndOfStreamException();
            }

            read += n;
        }
    }

    private IDisposable AcquireLock()
    {
        var lockPath = _options.LogPath + ".lock";
        var clock = Stopwatch.StartNew();
        var random = new Random(Guid.NewGuid().GetHashCode());
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < _options.LockTimeout)
            {
                // Another process appends right now; appends take milliseconds, so wait a little, jittered.
                Thread.Sleep(random.Next(5, 40));
            }
            catch (IOException ex)
            {
                throw new ActionLogException(
                    $"Another process held the lock '{lockPath}' for more than "
                    + $"{_options.LockTimeout.TotalSeconds:N0} s.",
                    ex);
            }
        }
    }

    private void Forward(string line, ActionLogEntry entry)
    {
        if (_options.Syslog is null)
        {
            return;
        }

        try
        {
            using var sender = new SyslogSender(_options.Syslog);
            sender.Send(SyslogSeverity.Notice, "action", line, entry.Time);
        }
        catch (Exception ex) when (ex is IOException || ex is System.Net.Sockets.SocketException ||
            ex is System.Security.Authentication.AuthenticationException || ex is TimeoutException)
        {
            // The entry is safe in the log; a syslog outage must not make the change look failed.
            _log.Warning($"Action log entry {entry.Sequence} was not forwarded to {_options.Syslog}: {ex.Message}");
        }
    }

    private static string CurrentActor()
    {
        var domain = Environment.UserDomainName;
        var user = Environment.UserName;
        return string.IsNullOrEmpty(domain) || domain == Environment.MachineName ? user : domain + "\\" + user;
    }
}
