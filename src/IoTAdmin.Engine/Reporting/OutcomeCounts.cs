using System.Collections.Generic;
using System.Linq;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Engine.Reporting;

/// <summary>How many results ended in each <see cref="RuleOutcome"/>.</summary>
public sealed class OutcomeCounts
{
    private OutcomeCounts(int pass, int fail, int notApplicable, int error, int waived, int notChecked)
    {
        Pass = pass;
        Fail = fail;
        NotApplicable = notApplicable;
        Error = error;
        Waived = waived;
        NotChecked = notChecked;
    }

    public int Pass { get; }

    public int Fail { get; }

    public int NotApplicable { get; }

    public int Error { get; }

    /// <summary>Failures a waiver in force accepts.</summary>
    public int Waived { get; }

    /// <summary>Rules the audit lacked an input for (see <see cref="RuleOutcome.NotChecked"/>).</summary>
    public int NotChecked { get; }

    public int Total => Pass + Fail + NotApplicable + Error + Waived + NotChecked;

    public static OutcomeCounts Of(IEnumerable<RuleResult> results)
    {
        var list = results as IReadOnlyCollection<RuleResult> ?? results.ToList();
        return new OutcomeCounts(
            list.Count(r => r.Outcome == RuleOutcome.Pass),
            list.Count(r => r.Outcome == RuleOutcome.Fail),
            list.Count(r => r.Outcome == RuleOutcome.NotApplicable),
            list.Count(r => r.Outcome == RuleOutcome.Error),
            list.Count(r => r.Outcome == RuleOutcome.Waived),
            list.Count(r => r.Outcome == RuleOutcome.NotChecked));
    }

    public override string ToString() =>
        $"pass {Pass}, fail {Fail}, not applicable {NotApplicable}, error {Error}, waived {Waived}, "
        + $"not checked {NotChecked}";
}
