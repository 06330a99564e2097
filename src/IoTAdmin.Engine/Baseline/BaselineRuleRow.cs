using System;
using System.Collections.Generic;
using System.Linq;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// One line of a baseline's listing: a rule or checklist item on one profile, whether it runs,
/// why not, and its effective severity and parameters (Get-IoTBaseline -ListRule).
/// </summary>
public sealed class BaselineRuleRow
{
    private BaselineRuleRow(string baseline, DeviceProfile? profile, string kind, BaselineRuleInfo info)
    {
        Baseline = baseline;
        Profile = profile;
        Kind = kind;
        RuleId = info.Id;
        Title = info.Title;
        Measures = info.Measures;
        Severity = info.Severity;
    }

    public string Baseline { get; }

    /// <summary>The profile the line is about; null for checklist items, which concern the organisation.</summary>
    public DeviceProfile? Profile { get; }

    /// <summary>Rule or Checklist.</summary>
    public string Kind { get; }

    public string RuleId { get; }

    public string Title { get; }

    public IReadOnlyList<string> Measures { get; }

    public Severity Severity { get; private set; }

    /// <summary>True when the rule runs on the profile (always for checklist items).</summary>
    public bool Included { get; private set; }

    /// <summary>The documented reason a rule is left out, or the recorded answer of a checklist item.</summary>
    public string? Reason { get; private set; }

    /// <summary>Every declared parameter with its effective value, in data-file notation.</summary>
    public string Parameters { get; private set; } = string.Empty;

    /// <summary>All lines of a baseline: rules per profile (in profile order), then checklist items.</summary>
    public static IReadOnlyList<BaselineRuleRow> Of(ResolvedBaseline baseline)
    {
        var rows = new List<BaselineRuleRow>();
        foreach (DeviceProfile profile in Enum.GetValues(typeof(DeviceProfile)))
        {
            var plan = baseline.For(profile);
            rows.AddRange(plan.Rules.Select(r => Planned(baseline.Name, profile, r)));
            rows.AddRange(plan.Excluded.Select(r => new BaselineRuleRow(baseline.Name, profile, "Rule", r.Info)
            {
                Reason = $"{r.Reason} (left out by {r.Source})",
            }));
        }

        rows.AddRange(baseline.Checklist.Select(c => new BaselineRuleRow(baseline.Name, null, "Checklist",
            c.Item.ToRuleInfo())
        {
            Included = true,
            Reason = c.Answer?.Answer is null ? "not answered" : $"{c.Answer.Answer}: {c.Answer.Evidence}",
        }));
        return rows;
    }

    private static BaselineRuleRow Planned(string baseline, DeviceProfile profile, PlannedRule rule) =>
        new BaselineRuleRow(baseline, profile, "Rule", rule.Info)
        {
            Included = true,
            Severity = rule.Settings.Severity ?? rule.Info.Severity,
            Parameters = string.Join("; ", rule.Info.Parameters.Select(p => $"{p.Name} = {ValueText(rule, p)}")),
        };

    private static string ValueText(PlannedRule rule, RuleParameter parameter) =>
        DataFiles.DataFileText.Format(
            rule.Settings.Values.TryGetValue(parameter.Name, out var value) ? value : parameter.DefaultValue);
}
