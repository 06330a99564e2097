using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>
/// Checks an action log line by line: each entry's MAC, its sequence number against the one expected, and
/// its link to the line before; then the last entry against the anchor kept beside the key.
/// </summary>
/// <remarks>
/// What it cannot detect: changes made by someone who holds the key (they can rewrite log and anchor
/// alike); the log and its anchor both rolled back together to an earlier copy, or both deleted (then the
/// log is simply "empty"); entries that were never written because IoTAdmin was bypassed. Forwarding every
/// entry to a syslog server the administrators cannot change covers the first two.
/// Memory: one set of sequence numbers (8 bytes per entry) besides the current line.
/// </remarks>
public sealed class ActionLogVerifier
{
    private readonly ActionLogOptions _options;

    public ActionLogVerifier(ActionLogOptions options) => _options = options;

    public ActionLogVerification Verify()
    {
        var key = ActionLogKey.Load(_options.KeyPath);
        var problems = new List<ActionLogProblem>();
        if (!File.Exists(_options.LogPath))
        {
            CheckAnchor(key, null, null, problems);
            return new ActionLogVerification(_options.LogPath, 0, null, problems);
        }

        var laterSequences = CollectSequences();
        var state = new ChainState();
        var lineNumber = 0L;
        foreach (var line in ReadLines())
        {
            lineNumber++;
            if (line.Length > 0)
            {
                CheckLine(line, lineNumber, key, laterSequences, state, problems);
            }
        }

        CheckAnchor(key, state.LastSequence, state.LastHash, problems);
        return new ActionLogVerification(_options.LogPath, state.Count, state.LastSequence, problems);
    }

    private void CheckLine(string line, long lineNumber, ActionLogKey key, HashSet<long> sequences,
        ChainState state, List<ActionLogProblem> problems)
    {
        ActionLogEntry entry;
        try
        {
            entry = ActionLogLine.Parse(line);
        }
        catch (FormatException ex)
        {
            problems.Add(new ActionLogProblem(ActionLogProblemKind.Malformed, lineNumber, null, ex.Message));
            state.Advance(null, line, flagged: true);
            return;
        }

        state.Count++;
        ActionLogLine.TrySplit(line, out var body, out var mac);
        var problem = Hex.FixedTimeEquals(mac, key.Sign(ActionLogLine.EntryDomain, body))
            ? Place(entry, lineNumber, state, sequences)
            : new ActionLogProblem(ActionLogProblemKind.Edited, lineNumber, entry.Sequence,
                $"entry {entry.Sequence} fails its MAC: it was changed after it was written, or forged");
        if (problem != null)
        {
            problems.Add(problem);
        }

        state.Advance(entry, line, flagged: problem != null);
    }

    /// <summary>Judges an authentic entry's position: gap, step back, replay or a broken link.</summary>
    private static ActionLogProblem? Place(ActionLogEntry entry, long lineNumber, ChainState state,
        HashSet<long> sequences)
    {
        var seq = entry.Sequence;
        var expected = state.Expected;
        if (seq > expected)
        {
            var missing = FirstAbsent(expected, seq, sequences);
            return missing is null
                ? new ActionLogProblem(ActionLogProblemKind.Reordered, lineNumber, seq,
                    $"entry {seq} comes where entry {expected} belongs; the entries between stand later in the file")
                : new ActionLogProblem(ActionLogProblemKind.Deleted, lineNumber, seq,
                    $"entries {expected} to {seq - 1} are missing before entry {seq}");
        }

        if (seq < expected)
        {
            return state.Seen.Contains(seq)
                ? new ActionLogProblem(ActionLogProblemKind.Inserted, lineNumber, seq,
                    $"entry {seq} appears a second time (a replayed copy) after entry {expected - 1}")
                : new ActionLogProblem(ActionLogProblemKind.Reordered, lineNumber, seq,
                    $"entry {seq} stands after entry {expected - 1}");
        }

        // After a line already reported, a broken link only repeats that finding.
        if (!state.PreviousFlagged
            && !string.Equals(entry.PreviousHash, state.PreviousHash, StringComparison.Ordinal))
        {
            return new ActionLogProblem(ActionLogProblemKind.ChainBroken, lineNumber, seq,
                $"entry {seq} does not name the line before it: an entry was replaced by one from another log");
        }

        return null;
    }

    /// <summary>The first sequence number in [from, to) that occurs nowhere in the file, or null.</summary>
    private static long? FirstAbsent(long from, long to, HashSet<long> sequences)
    {
        for (var s = from; s < to; s++)
        {
            if (!sequences.Contains(s))
            {
                return s;
            }
        }

        return null;
    }

    private void CheckAnchor(ActionLogKey key, long? lastSequence, string? lastHash, List<ActionLogProblem> problems)
    {
        ActionLogAnchor? anchor;
        try
        {
            anchor = ActionLogAnchor.Read(_options.AnchorPath, key);
        }
        catch (ActionLogException ex)
        {
            problems.Add(new ActionLogProblem(ActionLogProblemKind.AnchorInvalid, 0, null, ex.Message));
            return;
        }

        var last = lastSequence ?? 0;
        if (anchor is null)
        {
            if (last > 0)
            {
                problems.Add(new ActionLogProblem(ActionLogProblemKind.AnchorInvalid, 0, null,
                    $"the anchor '{_options.AnchorPath}' is missing, so a cut-off end could not be seen"));
            }

            return;
        }

        if (anchor.Sequence > last)
        {
            problems.Add(new ActionLogProblem(ActionLogProblemKind.Truncated, 0, last + 1,
                $"entries {last + 1} to {anchor.Sequence} are missing at the end"
                + $" (the anchor records {anchor.Sequence})"));
        }
        else if (anchor.Sequence == last && anchor.Hash != lastHash)
        {
            problems.Add(new ActionLogProblem(ActionLogProblemKind.Truncated, 0, last,
                $"the last entry {last} is not the one the anchor records: the end was cut and rewritten"));
        }
        else if (anchor.Sequence < last)
        {
            problems.Add(new ActionLogProblem(ActionLogProblemKind.AnchorBehind, 0, anchor.Sequence,
                $"the anchor records entry {anchor.Sequence} but the log goes on to {last}"
                + " (an append interrupted before the anchor moved, or an anchor restored from a copy)"));
        }
    }

    private HashSet<long> CollectSequences()
    {
        var sequences = new HashSet<long>();
        foreach (var line in ReadLines())
        {
            try
            {
                sequences.Add(ActionLogLine.Parse(line).Sequence);
            }
            catch (FormatException)
            {
                // Reported with its line number by the main pass.
            }
        }

        return sequences;
    }

    private IEnumerable<string> ReadLines()
    {
        using var stream = new FileStream(_options.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, new UTF8Encoding(false));
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            yield return line;
        }
    }

    private sealed class ChainState
    {
        public long Expected { get; private set; } = 1;

        public string PreviousHash { get; private set; } = ActionLogLine.GenesisHash;

        public HashSet<long> Seen { get; } = new HashSet<long>();

        public long Count { get; set; }

        public long? LastSequence { get; private set; }

        public string? LastHash { get; private set; }

        public bool PreviousFlagged { get; private set; }

        public void Advance(ActionLogEntry? entry, string line, bool flagged)
        {
            PreviousHash = ActionLogLine.HashOf(line);
            PreviousFlagged = flagged;
            if (entry is null)
            {
                return;
            }

            Seen.Add(entry.Sequence);
            Expected = Math.Max(Expected, entry.Sequence + 1);
            LastSequence = entry.Sequence;
            LastHash = PreviousHash;
        }
    }
}
