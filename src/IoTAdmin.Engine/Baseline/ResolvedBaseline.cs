using System;
using System.Collections.Generic;
using System.Linq;
using IoTAdmin.Engine.Baseline.DataFiles;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline;

/// <summary>A rule a baseline runs on one profile, with its checked settings.</summary>
public sealed class PlannedRule
{
    public PlannedRule(BaselineRuleInfo info, RuleSettings settings)
    {
        Info = info;
        Settings = settings;
    }

    public BaselineRuleInfo Info { get; }

    public RuleSettings Settings { get; }
}

/// <summary>A rule a baseline leaves out on one profile, and the documented reason.</summary>
public sealed class ExcludedRule
{
    public ExcludedRule(BaselineRuleInfo info, string reason, string source)
    {
        Info = info;
        Reason = reason;
        Source = source;
    }

    public BaselineRuleInfo Info { get; }

    public string Reason { get; }

    /// <summary>The baseline that left the rule out.</summary>
    public string Source { get; }
}

/// <summary>What a baseline means for one requirement profile: the rules run and those left out.</summary>
public sealed class ProfilePlan
{
    public ProfilePlan(DeviceProfile profile, IReadOnlyList<PlannedRule> rules, IReadOnlyList<ExcludedRule> excluded)
    {
        Profile = profile;
        Rules = rules;
        Excluded = excluded;
        Settings = rules.ToDictionary(r => r.Info.Id, r => r.Settings, StringComparer.OrdinalIgnoreCase);
    }

    public DeviceProfile Profile { get; }

    public IReadOnlyList<PlannedRule> Rules { get; }

    public IReadOnlyList<ExcludedRule> Excluded { get; }

    /// <summary>The settings by rule id, as <see cref="AuditContext"/> takes them.</summary>
    public IReadOnlyDictionary<string, RuleSettings> Settings { get; }
}

/// <summary>A checklist item a baseline asks, with the answer recorded so far (if any).</summary>
public sealed class PlannedChecklistItem
{
    public PlannedChecklistItem(ChecklistItem item, ChecklistAnswer? answer)
    {
        Item = item;
        Answer = answer;
    }

    public ChecklistItem Item { get; }

    public ChecklistAnswer? Answer { get; }
}

/// <summary>
/// A baseline with its whole Extends chain applied: the measures of every level, and per profile
/// the rules run with their merged settings. Levels apply root first; within a level the global
/// Rules first, then the profile's, so the most specific word wins. A rule is in when it serves one
/// of the measures or a level includes it, and out when a later level excludes it. Every
/// parameter is checked against the rule's declaration here, so a bad file fails before any probe.
/// </summary>
public sealed class ResolvedBaseline
{
    private readonly Dictionary<DeviceProfile, ProfilePlan> _plans = new Dictionary<DeviceProfile, ProfilePlan>();

    /// <exception cref="DataFileException">A level names an unknown rule or sets a bad parameter.</exception>
    public ResolvedBaseline(IReadOnlyList<BaselineDefinition> chain, IReadOnlyList<BaselineRuleInfo> catalog)
    {
        if (chain is null || chain.Count == 0)
        {
            throw new ArgumentException("A baseline needs at least one definition.", nameof(chain));
        }

        Chain = chain;
        Measures = chain.SelectMany(d => d.Measures).Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderBy(m => m, Comparer<string>.Create(Reporting.MeasureCatalog.Compare)).ToList();
        Waivers = chain.SelectMany(d => d.Waivers).ToList();
        CheckRuleIds(catalog);
        foreach (DeviceProfile profile in Enum.GetValues(typeof(DeviceProfile)))
        {
            _plans[profile] = Plan(profile, catalog);
        }

        Checklist = PlanChecklist();
    }

    /// <summary>The name of the most specific level.</summary>
    public string Name => Chain[Chain.Count - 1].Name;

    public string? Description => Chain[Chain.Count - 1].Description;

    /// <summary>Where the most specific level came from: a path or "built-in".</summary>
    public string Source => Chain[Chain.Count - 1].Source;

    /// <summary>The definitions from the root (e.g. SYS.4.4-Basic) to this one.</summary>
    public IReadOnlyList<BaselineDefinition> Chain { get; }

    /// <summary>Every measure of every level, in measure order.</summary>
    public IReadOnlyList<string> Measures { get; }

    /// <summary>The waivers of every level.</summary>
    public IReadOnlyList<RuleWaiver> Waivers { get; }

    /// <summary>The organisational checklist items the baseline asks, with their answers.</summary>
    public IReadOnlyList<PlannedChecklistItem> Checklist { get; }

    public ProfilePlan For(DeviceProfile profile) => _plans[profile];

    private void CheckRuleIds(IReadOnlyList<BaselineRuleInfo> catalog)
    {
        foreach (var definition in Chain)
        {
            var entries = definition.Rules.Concat(definition.Profiles.Values.SelectMany(e => e));
            var unknown = entries.Select(e => e.RuleId)
                .Where(id => !catalog.Any(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase)))
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (unknown.Count > 0)
            {
                throw new DataFileException($"{definition.Source}: unknown rule id(s) {string.Join(", ", unknown)}; "
                    + "Get-IoTBaseline -ListRule shows the rules this version has.");
            }
        }
    }

    private ProfilePlan Plan(DeviceProfile profile, IReadOnlyList<BaselineRuleInfo> catalog)
    {
        var planned = new List<PlannedRule>();
        var excluded = new List<ExcludedRule>();
        foreach (var rule in catalog)
        {
            var state = new RuleState(rule.Measures.Any(m => Measures.Contains(m, StringComparer.OrdinalIgnoreCase)));
            foreach (var definition in Chain)
            {
                var profileEntries = definition.Profiles.TryGetValue(profile, out var entries)
                    ? entries
                    : Array.Empty<BaselineRuleEntry>();
                foreach (var entry in definition.Rules.Concat(profileEntries).Where(e => Is(e.RuleId, rule.Id)))
                {
                    state.Apply(entry, rule, definition);
                }
            }

            if (state.Included)
            {
                planned.Add(new PlannedRule(rule, state.Settings));
            }
            else if (state.Reason is not null)
            {
                excluded.Add(new ExcludedRule(rule, state.Reason, state.ExcludedBy!));
            }
        }

        return new ProfilePlan(profile, planned, excluded);
    }

    private IReadOnlyList<PlannedChecklistItem> PlanChecklist()
    {
        var answers = new Dictionary<string, ChecklistAnswer>(StringComparer.OrdinalIgnoreCase);
        foreach (var answer in Chain.SelectMany(d => d.Checklist))
        {
            answers[answer.ItemId] = answer;
        }

        var items = OrganisationalChecklist.Items
            .Where(i => Measures.Contains(i.Measure, StringComparer.OrdinalIgnoreCase))
            .ToList();

        // A file may ask questions of its own: an answer with a Question and a Measure defines one.
        items.AddRange(answers.Values
            .Where(a => OrganisationalChecklist.Find(a.ItemId) is null)
            .Select(a => new ChecklistItem(a.ItemId, a.Measure ?? "SYS.4.4.M6", a.Question ?? a.ItemId)));

        return items.Select(i => new PlannedChecklistItem(i, answers.TryGetValue(i.Id, out var a) ? a : null))
            .ToList();
    }

    private static bool Is(string left, string right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);

    /// <summary>One rule's standing while the levels are applied in order.</summary>
    private sealed class RuleState
    {
        public RuleState(bool included)
        {
            Included = included;
        }

        public bool Included { get; private set; }

        public string? Reason { get; private set; }

        public string? ExcludedBy { get; private set; }

        public RuleSettings Settings { get; private set; } = RuleSettings.Default;

        public void Apply(BaselineRuleEntry entry, BaselineRuleInfo rule, BaselineDefinition definition)
        {
            if (entry.Exclude)
            {
                Included = false;
                Reason = entry.Reason;
                ExcludedBy = definition.Name;
            }
            else if (entry.Include)
            {
                Included = true;
                Reason = null;
            }

            try
            {
                Settings = Settings.Merge(RuleSettings.Create(rule, entry.Severity, entry.Parameters));
            }
            catch (Exception ex) when (ex is ArgumentException || ex is FormatException)
            {
                throw new DataFileException($"{definition.Source}: {ex.Message}", ex);
            }
        }
    }
}
