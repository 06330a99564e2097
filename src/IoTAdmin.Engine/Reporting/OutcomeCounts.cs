using System.Collections.Generic;
using System.Linq;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Engine.Reporting;

/// <summary>How many results ended in each <see cref="RuleOutcome"/>.</summary>
public sealed class OutcomeCounts
{
    public OutcomeCounts(int pass, int fail, int notApplicable, int error)
        : this(pass, fail, notApplicable, error, 0)
    {
    }

    public OutcomeCounts(int pass, int fail, int notApplicable, int error, int waived)
    {
        Waived = waived;
        Pass = pass;
        Fail = fail;
        NotApplicable = notApplicable;
        Error = error;
    }

    public int Pass { get; }

    public int Fail { get; }

    public int NotApplicable { get; }

    public int Error { get; }

    /// <summary>Failures a waiver in force accepts.</summary>
    public int Waived { get; }

    public int Total => Pass + Fail + NotApplicable + Error + Waived;

    public static OutcomeCounts Of(IEnumerable<RuleResult> results)
    {
        var list = results as IReadOnlyCollection<RuleResult> ?? results.ToList();
        return new OutcomeCounts(
            list.Count(r => r.Outcome == RuleOutcome.Pass),
            list.Count(r => r.Outcome == RuleOutcome.Fail),
            list.Count(r => r.Outcome == RuleOutcome.NotApplicable),
            list.Count(r => r.Outcome == RuleOutcome.Error),
            list.Count(r => r.Outcome == RuleOutcome.Waived));
    }

    public override string ToString() =>
        $"pass {Pass}, fail {Fail}, not applicable {NotApplicable}, error {Error}, waived {Waived}";
}
