using System.Collections.Generic;
using System.Linq;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>Kinds of damage a verification can find.</summary>
public enum ActionLogProblemKind
{
    /// <summary>The line is not an entry at all (garbled, cut mid-line, hand-written).</summary>
    Malformed,

    /// <summary>The entry's MAC does not match: its content was changed, or it was made without the key.</summary>
    Edited,

    /// <summary>The entry is a copy of an entry already seen (replayed) or otherwise out of place.</summary>
    Inserted,

    /// <summary>Entries with these sequence numbers are absent from the middle of the log.</summary>
    Deleted,

    /// <summary>The entry stands before or after where its sequence number says it belongs.</summary>
    Reordered,

    /// <summary>The entry does not name the hash of the line before it (a line swapped in from elsewhere).</summary>
    ChainBroken,

    /// <summary>Entries are missing at the end: the anchor records more than the log holds.</summary>
    Truncated,

    /// <summary>The anchor is missing, unreadable or fails its MAC.</summary>
    AnchorInvalid,

    /// <summary>The log holds more entries than the anchor records (a crash between writes; a warning).</summary>
    AnchorBehind,
}

/// <summary>One finding of Test-IoTActionLog, with the line and sequence number where it was seen.</summary>
public sealed class ActionLogProblem
{
    public ActionLogProblem(ActionLogProblemKind kind, long line, long? sequence, string message)
    {
        Kind = kind;
        Line = line;
        Sequence = sequence;
        Message = message;
    }

    public ActionLogProblemKind Kind { get; }

    /// <summary>Gets the 1-based line number in the file (0 for findings about the whole log).</summary>
    public long Line { get; }

    public long? Sequence { get; }

    public string Message { get; }

    /// <summary>Gets whether the finding means the log cannot be trusted (all kinds but AnchorBehind).</summary>
    public bool IsTampering => Kind != ActionLogProblemKind.AnchorBehind;

    public override string ToString() => Line > 0 ? $"line {Line}: {Kind}: {Message}" : $"{Kind}: {Message}";
}

/// <summary>The verdict on one action log.</summary>
public sealed class ActionLogVerification
{
    public ActionLogVerification(string path, long entryCount, long? lastSequence,
        IReadOnlyList<ActionLogProblem> problems)
    {
        Path = path;
        EntryCount = entryCount;
        LastSequence = lastSequence;
        Problems = problems;
    }

    public string Path { get; }

    public long EntryCount { get; }

    public long? LastSequence { get; }

    public IReadOnlyList<ActionLogProblem> Problems { get; }

    /// <summary>Gets whether nothing was found that a tamperer could have caused.</summary>
    public bool IsIntact => !Problems.Any(p => p.IsTampering);

    public override string ToString() =>
        IsIntact ? $"{Path}: intact, {EntryCount} entries" : $"{Path}: TAMPERED, {Problems.Count} problem(s)";
}
