using System.Collections.Generic;
using System.Linq;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Engine.Inventory.Lifecycle;

/// <summary>
/// Whether a baseline audit clears a device for deployment (SYS.4.4 M14). Every Fail blocks, and so
/// does every Error, because a rule that could not be checked has not been passed; an unreachable device
/// blocks as a whole. A failure that a waiver in force covers (outcome Waived) does not block; the summary
/// names each waiver the clearance relied on.
/// </summary>
public sealed class BaselineVerdict
{
    private BaselineVerdict(IReadOnlyList<RuleResult> blocking, IReadOnlyList<RuleResult> notChecked, string summary,
        string? unreachableReason)
    {
        NotChecked = notChecked;
        Blocking = blocking;
        Summary = summary;
        UnreachableReason = unreachableReason;
    }

    /// <summary>
    /// Rules the audit lacked an input for. They do not block (the clearance covers what was checked), but
    /// the summary names them, so the record shows what the clearance did not cover.
    /// </summary>
    public IReadOnlyList<RuleResult> NotChecked { get; }

    /// <summary>The results that stand in the way of clearance.</summary>
    public IReadOnlyList<RuleResult> Blocking { get; }

    /// <summary>Counts per outcome and the rules checked, e.g. '9 Pass, 3 NotApplicable (12 rules)'.</summary>
    public string Summary { get; }

    /// <summary>Why the device could not be audited at all; null when it answered.</summary>
    public string? UnreachableReason { get; }

    public bool Cleared => UnreachableReason is null && Blocking.Count == 0;

    public static BaselineVerdict From(DeviceAuditResult audit)
    {
        var counts = audit.Results.GroupBy(r => r.Outcome).OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {g.Key}");
        var summary = $"{string.Join(", ", counts)} ({audit.Results.Count} rules)";
        var waived = audit.Results.Where(r => r.Outcome == RuleOutcome.Waived).ToList();
        if (waived.Count > 0)
        {
            summary += "; waived: " + string.Join("; ", waived.Select(r => $"{r.RuleId} by {r.Waiver}"));
        }

        var notChecked = audit.Results.Where(r => r.Outcome == RuleOutcome.NotChecked).ToList();
        if (notChecked.Count > 0)
        {
            summary += "; not checked: " + string.Join(", ", notChecked.Select(r => r.RuleId));
        }

        var baseline = audit.Results.Select(r => r.Baseline).FirstOrDefault(b => b is not null);
        if (baseline is not null)
        {
            summary = $"{baseline}: {summary}";
        }
        var blocking = audit.Results.Where(IsBlocking).ToList();
        return new BaselineVerdict(blocking, notChecked, summary,
            audit.Unreachable ? audit.Reason ?? "no answer" : null);
    }

    /// <summary>The blocking results as 'RULE-ID (Outcome): evidence' lines.</summary>
    public string DescribeBlocking() =>
        string.Join("; ", Blocking.Select(r => $"{r.RuleId} ({r.Outcome}): {r.Evidence}"));

    private static bool IsBlocking(RuleResult result) =>
        result.Outcome == RuleOutcome.Fail || result.Outcome == RuleOutcome.Error;
}
