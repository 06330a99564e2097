using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// Turns the organisational checklist of a baseline into results, one per item, all on the
/// pseudo-device <see cref="OrganisationAddress"/>: Yes with evidence passes, No fails,
/// NotApplicable is not applicable, and an item unanswered or answered Yes without evidence is an
/// Error (the audit could not establish it), so paperwork gaps show in every report.
/// </summary>
public static class ChecklistEvaluator
{
    /// <summary>The address checklist results carry; it sorts after every IPv4 address.</summary>
    public const string OrganisationAddress = "organisation";

    public static IReadOnlyList<RuleResult> Evaluate(ResolvedBaseline baseline) =>
        baseline.Checklist.Select(item => Evaluate(item, baseline.Name)).ToList();

    private static RuleResult Evaluate(PlannedChecklistItem planned, string baselineName)
    {
        var info = planned.Item.ToRuleInfo();
        var answer = planned.Answer;
        var (outcome, evidence) = Judge(answer);
        return new RuleResult(OrganisationAddress, "Organisational checklist", info, outcome, evidence)
        {
            Baseline = baselineName,
        };
    }

    private static (RuleOutcome Outcome, string Evidence) Judge(ChecklistAnswer? answer)
    {
        var text = answer?.Answer;
        if (text is null)
        {
            return (RuleOutcome.Error, "not answered yet: record Answer and Evidence in the baseline's Checklist");
        }

        var by = Attribution(answer!);
        var evidence = string.IsNullOrWhiteSpace(answer!.Evidence) ? null : answer.Evidence!.Trim();
        if (string.Equals(text, ChecklistAnswers.Yes, StringComparison.OrdinalIgnoreCase))
        {
            return evidence is null
                ? (RuleOutcome.Error, $"answered Yes{by} but without Evidence; name the document or record")
                : (RuleOutcome.Pass, $"Yes{by}: {evidence}");
        }

        if (string.Equals(text, ChecklistAnswers.No, StringComparison.OrdinalIgnoreCase))
        {
            return (RuleOutcome.Fail, $"No{by}" + (evidence is null ? string.Empty : $": {evidence}"));
        }

        return (RuleOutcome.NotApplicable, $"not applicable{by}" + (evidence is null ? string.Empty : $": {evidence}"));
    }

    private static string Attribution(ChecklistAnswer answer)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(answer.AnsweredBy))
        {
            parts.Add($"by {answer.AnsweredBy}");
        }

        if (!string.IsNullOrWhiteSpace(answer.Date))
        {
            parts.Add($"on {answer.Date}");
        }

        return parts.Count == 0 ? string.Empty : " (" + string.Join(" ", parts) + ")";
    }
}
