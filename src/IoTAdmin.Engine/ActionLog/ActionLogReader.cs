using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>Filters for reading an action log; empty filters match everything.</summary>
public sealed class ActionLogFilter
{
    public DateTimeOffset? After { get; set; }

    public DateTimeOffset? Before { get; set; }

    public Func<string, bool>? Device { get; set; }

    public Func<string, bool>? Action { get; set; }

    public Func<string, bool>? Actor { get; set; }

    public bool Matches(ActionLogEntry entry) =>
        (After is null || entry.Time >= After) && (Before is null || entry.Time <= Before)
        && (Device is null || Device(entry.Device)) && (Action is null || Action(entry.Action))
        && (Actor is null || Actor(entry.Actor));
}

/// <summary>
/// Streams the entries of an action log, one line at a time. It does not check MACs or the chain (that is
/// <see cref="ActionLogVerifier"/>'s job); lines that are not entries are reported to <c>onBadLine</c>.
/// </summary>
public static class ActionLogReader
{
    public static IEnumerable<ActionLogEntry> Read(string path, ActionLogFilter filter,
        Action<long, string>? onBadLine = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, new UTF8Encoding(false));
        string? line;
        var number = 0L;
        while ((line = reader.ReadLine()) != null)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            ActionLogEntry entry;
            try
            {
                entry = ActionLogLine.Parse(line);
            }
            catch (FormatException ex)
            {
                onBadLine?.Invoke(number, ex.Message);
                continue;
            }

            entry.LogPath = path;
            if (filter.Matches(entry))
            {
                yield return entry;
            }
        }
    }
}
