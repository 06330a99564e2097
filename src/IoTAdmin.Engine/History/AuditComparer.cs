using System;
using System.Collections.Generic;
using System.Linq;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Reporting;

namespace IoTAdmin.Engine.History;

/// <summary>How one device and rule changed between two runs.</summary>
public enum AuditChangeKind
{
    /// <summary>Same standing in both runs.</summary>
    Unchanged,

    /// <summary>Closer to compliance: e.g. Fail to Pass, Fail to Waived, Error to Pass.</summary>
    Better,

    /// <summary>Further from it: e.g. Pass to Fail, or a waiver that expired.</summary>
    Worse,

    /// <summary>Checked only in the later run (a new device or rule).</summary>
    New,

    /// <summary>Checked only in the earlier run (a device retired, a rule dropped).</summary>
    Gone,
}

/// <summary>One device and rule in two runs.</summary>
public sealed class AuditChange
{
    internal AuditChange(RuleResult? before, RuleResult? after, AuditChangeKind change)
    {
        var latest = after ?? before!;
        DeviceAddress = latest.DeviceAddress;
        DeviceName = after?.DeviceName ?? before?.DeviceName;
        RuleId = latest.RuleId;
        Title = latest.Title;
        Severity = latest.Severity;
        Before = before?.Outcome;
        After = after?.Outcome;
        Change = change;
        Evidence = latest.Evidence;
    }

    public string DeviceAddress { get; }

    public string? DeviceName { get; }

    public string RuleId { get; }

    public string Title { get; }

    public Severity Severity { get; }

    /// <summary>The outcome in the earlier run; null when the pair was not checked then.</summary>
    public RuleOutcome? Before { get; }

    /// <summary>The outcome in the later run; null when the pair was not checked then.</summary>
    public RuleOutcome? After { get; }

    public AuditChangeKind Change { get; }

    /// <summary>The evidence of the later run (of the earlier one for a Gone pair).</summary>
    public string Evidence { get; }

    /// <summary>True when the later run fails where the earlier did not: what a CI gate should stop on.</summary>
    public bool IsNewFinding => After == RuleOutcome.Fail && Before != RuleOutcome.Fail;
}

/// <summary>Compares two audit runs device by device and rule by rule.</summary>
public static class AuditComparer
{
    public static IReadOnlyList<AuditChange> Compare(IEnumerable<RuleResult> before, IEnumerable<RuleResult> after)
    {
        var earlier = Index(before);
        var later = Index(after);
        var keys = earlier.Keys.Concat(later.Keys).Distinct().ToList();
        return keys
            .Select(key => Change(earlier.TryGetValue(key, out var b) ? b : null,
                later.TryGetValue(key, out var a) ? a : null))
            .OrderBy(c => c.DeviceAddress, AddressComparer.Instance)
            .ThenBy(c => c.RuleId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Worse is higher: a failure 3, an incomplete or missing check 2, an accepted deviation 1, compliance 0.
    /// A run that lost its catalogue or login must not turn a failure into an improvement.
    /// </summary>
    internal static int Rank(RuleOutcome outcome) => outcome switch
    {
        RuleOutcome.Fail => 3,
        RuleOutcome.Error or RuleOutcome.NotChecked => 2,
        RuleOutcome.Waived => 1,
        _ => 0,
    };

    private static AuditChange Change(RuleResult? before, RuleResult? after)
    {
        if (before is null)
        {
            return new AuditChange(null, after, AuditChangeKind.New);
        }

        if (after is null)
        {
            return new AuditChange(before, null, AuditChangeKind.Gone);
        }

        // A failure that the later run could not check has not been shown to be fixed.
        var delta = after.Outcome == RuleOutcome.NotChecked && before.Outcome == RuleOutcome.Fail
            ? 0
            : Rank(after.Outcome) - Rank(before.Outcome);
        var kind = delta < 0 ? AuditChangeKind.Better : delta > 0 ? AuditChangeKind.Worse : AuditChangeKind.Unchanged;
        return new AuditChange(before, after, kind);
    }

    /// <summary>The results by device and rule; a duplicate pair keeps its last result.</summary>
    private static Dictionary<(string Device, string Rule), RuleResult> Index(IEnumerable<RuleResult> results)
    {
        var index = new Dictionary<(string, string), RuleResult>();
        foreach (var result in results)
        {
            index[(result.DeviceAddress, result.RuleId.ToUpperInvariant())] = result;
        }

        return index;
    }
}
