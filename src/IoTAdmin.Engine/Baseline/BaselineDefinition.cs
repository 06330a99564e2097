using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using IoTAdmin.Engine.Baseline.DataFiles;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// What one baseline file says for one rule, globally or for one profile: left out (with the
/// documented reason SYS.4.4.M6 asks for), added beyond the baseline's measures, a severity, or
/// parameters. Parameters stay raw here and are checked when the baseline is resolved.
/// </summary>
public sealed class BaselineRuleEntry
{
    public BaselineRuleEntry(string ruleId)
    {
        RuleId = ruleId;
    }

    public string RuleId { get; }

    /// <summary>True: run the rule even when it serves none of the baseline's measures.</summary>
    public bool Include { get; set; }

    /// <summary>True: do not run the rule; <see cref="Reason"/> says why.</summary>
    public bool Exclude { get; set; }

    public string? Reason { get; set; }

    public Severity? Severity { get; set; }

    public IReadOnlyDictionary<string, object?> Parameters { get; set; } =
        new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>The admin's recorded answer to a checklist item, with evidence.</summary>
public sealed class ChecklistAnswer
{
    public ChecklistAnswer(string itemId)
    {
        ItemId = itemId;
    }

    public string ItemId { get; }

    /// <summary>Yes, No or NotApplicable; null while unanswered.</summary>
    public string? Answer { get; set; }

    /// <summary>Where the proof is: a document, a ticket, a link.</summary>
    public string? Evidence { get; set; }

    public string? AnsweredBy { get; set; }

    public string? Date { get; set; }

    /// <summary>The question, for items a baseline defines itself (not in the built-in checklist).</summary>
    public string? Question { get; set; }

    /// <summary>The measure, for items a baseline defines itself.</summary>
    public string? Measure { get; set; }
}

/// <summary>
/// One baseline file as written: its name, the baseline it extends, the SYS.4.4 measures it adds,
/// rule entries (global and per profile), waivers and checklist answers. Built by
/// <see cref="Parse"/>, which accepts only known keys so a typo is an error, not a silent default.
/// </summary>
public sealed class BaselineDefinition
{
    private static readonly string[] s_topKeys =
        { "Name", "Description", "Version", "Extends", "Measures", "Rules", "Profiles", "Waivers", "Checklist" };

    private static readonly string[] s_ruleKeys = { "Include", "Exclude", "Reason", "Severity", "Parameters" };

    private static readonly string[] s_waiverKeys =
        { "Rule", "Device", "Tag", "Profile", "Reason", "Owner", "Expires" };

    private static readonly string[] s_answerKeys =
        { "Answer", "Evidence", "AnsweredBy", "Date", "Question", "Measure" };

    private BaselineDefinition(string name, string source)
    {
        Name = name;
        Source = source;
    }

    public string Name { get; }

    /// <summary>The file path, or "built-in".</summary>
    public string Source { get; }

    public string? Description { get; private set; }

    public string? Version { get; private set; }

    /// <summary>The name or path of the baseline this one builds on; null for a root.</summary>
    public string? Extends { get; private set; }

    /// <summary>The measures this file adds; every rule serving one of them is part of the baseline.</summary>
    public IReadOnlyList<string> Measures { get; private set; } = Array.Empty<string>();

    public IReadOnlyList<BaselineRuleEntry> Rules { get; private set; } = Array.Empty<BaselineRuleEntry>();

    public IReadOnlyDictionary<DeviceProfile, IReadOnlyList<BaselineRuleEntry>> Profiles { get; private set; } =
        new Dictionary<DeviceProfile, IReadOnlyList<BaselineRuleEntry>>();

    public IReadOnlyList<RuleWaiver> Waivers { get; private set; } = Array.Empty<RuleWaiver>();

    public IReadOnlyList<ChecklistAnswer> Checklist { get; private set; } = Array.Empty<ChecklistAnswer>();

    /// <summary>Reads a baseline from the text of a .psd1 file without running any of it.</summary>
    /// <exception cref="DataFileException">The text is not data-only or not a valid baseline.</exception>
    public static BaselineDefinition Parse(string text, string source)
    {
        var table = DataFileReader.ReadHashtable(text, source);
        var where = source;
        CheckKeys(table, s_topKeys, where);
        var name = Text(table, "Name", where) ?? throw new DataFileException($"{where}: the baseline needs a Name.");
        var definition = new BaselineDefinition(name, source)
        {
            Description = Text(table, "Description", where),
            Version = Text(table, "Version", where),
            Extends = Text(table, "Extends", where),
            Measures = ReadMeasures(table, where),
            Rules = ReadRuleEntries(table.TryGetValue("Rules", out var rules) ? rules : null, $"{where} Rules"),
            Profiles = ReadProfiles(table, where),
            Checklist = ReadChecklist(table, where),
        };
        definition.Waivers = ReadWaivers(table, where, name);
        return definition;
    }

    private static IReadOnlyList<string> ReadMeasures(DataTable table, string where)
    {
        var measures = Strings(table, "Measures", where);
        foreach (var measure in measures)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(measure, @"^SYS\.4\.4\.M([1-9]|1[0-9]|2[0-4])$"))
            {
                throw new DataFileException($"{where} Measures: '{measure}' is not a SYS.4.4 measure "
                    + "(SYS.4.4.M1 to SYS.4.4.M24).");
            }
        }

        return measures;
    }

    private static IReadOnlyDictionary<DeviceProfile, IReadOnlyList<BaselineRuleEntry>> ReadProfiles(
        DataTable table, string where)
    {
        var profiles = new Dictionary<DeviceProfile, IReadOnlyList<BaselineRuleEntry>>();
        if (!table.TryGetValue("Profiles", out var raw) || raw is null)
        {
            return profiles;
        }

        var byProfile = raw as DataTable ?? throw new DataFileException($"{where} Profiles: expected @{{ }}.");
        foreach (var key in byProfile.KeysInOrder)
        {
            var profile = ParseProfile(key, $"{where} Profiles");
            var section = byProfile[key] as DataTable
                ?? throw new DataFileException($"{where} Profiles.{key}: expected @{{ Rules = @{{ }} }}.");
            CheckKeys(section, new[] { "Rules" }, $"{where} Profiles.{key}");
            var rules = section.TryGetValue("Rules", out var entries) ? entries : null;
            profiles[profile] = ReadRuleEntries(rules, $"{where} Profiles.{key}.Rules");
        }

        return profiles;
    }

    private static IReadOnlyList<BaselineRuleEntry> ReadRuleEntries(object? raw, string where)
    {
        if (raw is null)
        {
            return Array.Empty<BaselineRuleEntry>();
        }

        var table = raw as DataTable ?? throw new DataFileException($"{where}: expected @{{ 'RULE-ID' = @{{ }} }}.");
        var entries = new List<BaselineRuleEntry>();
        foreach (var ruleId in table.KeysInOrder)
        {
            var at = $"{where}.'{ruleId}'";
            var settings = table[ruleId] as DataTable ?? throw new DataFileException($"{at}: expected @{{ }}.");
            CheckKeys(settings, s_ruleKeys, at);
            var entry = new BaselineRuleEntry(ruleId)
            {
                Include = Flag(settings, "Include", at),
                Exclude = Flag(settings, "Exclude", at),
                Reason = Text(settings, "Reason", at),
                Severity = SeverityOf(settings, at),
                Parameters = ParametersOf(settings, at),
            };
            if (entry.Exclude && string.IsNullOrWhiteSpace(entry.Reason))
            {
                throw new DataFileException($"{at}: a rule left out needs a Reason (SYS.4.4.M6 asks for it).");
            }

            entries.Add(entry);
        }

        return entries;
    }

    private static IReadOnlyList<RuleWaiver> ReadWaivers(DataTable table, string where, string baseline)
    {
        var waivers = new List<RuleWaiver>();
        var index = 0;
        foreach (var item in Items(table, "Waivers", where))
        {
            index++;
            var at = $"{where} Waivers[{index}]";
            var waiver = item as DataTable ?? throw new DataFileException($"{at}: expected @{{ Rule = ...; }}.");
            CheckKeys(waiver, s_waiverKeys, at);
            try
            {
                var profileText = Text(waiver, "Profile", at);
                waivers.Add(new RuleWaiver(
                    Text(waiver, "Rule", at) ?? string.Empty,
                    Text(waiver, "Reason", at) ?? string.Empty,
                    Text(waiver, "Owner", at) ?? string.Empty,
                    DateOf(waiver, at),
                    Text(waiver, "Device", at),
                    Text(waiver, "Tag", at),
                    profileText is null ? null : ParseProfile(profileText, at))
                {
                    Source = baseline,
                });
            }
            catch (ArgumentException ex)
            {
                throw new DataFileException($"{at}: {ex.Message}", ex);
            }
        }

        return waivers;
    }

    private static IReadOnlyList<ChecklistAnswer> ReadChecklist(DataTable table, string where)
    {
        if (!table.TryGetValue("Checklist", out var raw) || raw is null)
        {
            return Array.Empty<ChecklistAnswer>();
        }

        var items = raw as DataTable
            ?? throw new DataFileException($"{where} Checklist: expected @{{ 'ORG-ID' = @{{ Answer = ... }} }}.");
        var answers = new List<ChecklistAnswer>();
        foreach (var id in items.KeysInOrder)
        {
            var at = $"{where} Checklist.'{id}'";
            var fields = items[id] as DataTable ?? throw new DataFileException($"{at}: expected @{{ }}.");
            CheckKeys(fields, s_answerKeys, at);
            var answer = new ChecklistAnswer(id)
            {
                Answer = Text(fields, "Answer", at),
                Evidence = Text(fields, "Evidence", at),
                AnsweredBy = Text(fields, "AnsweredBy", at),
                Date = Text(fields, "Date", at),
                Question = Text(fields, "Question", at),
                Measure = Text(fields, "Measure", at),
            };
            if (answer.Answer is not null && !ChecklistAnswers.IsValid(answer.Answer))
            {
                throw new DataFileException($"{at}: Answer must be Yes, No, NotApplicable or empty, "
                    + $"not '{answer.Answer}'.");
            }

            answers.Add(answer);
        }

        return answers;
    }

    private static Severity? SeverityOf(DataTable table, string where)
    {
        var text = Text(table, "Severity", where);
        if (text is null)
        {
            return null;
        }

        return Enum.TryParse<Severity>(text, true, out var severity) && Enum.IsDefined(typeof(Severity), severity)
            ? severity
            : throw new DataFileException($"{where}: Severity must be one of "
                + $"{string.Join(", ", Enum.GetNames(typeof(Severity)))}, not '{text}'.");
    }

    private static IReadOnlyDictionary<string, object?> ParametersOf(DataTable table, string where)
    {
        if (!table.TryGetValue("Parameters", out var raw) || raw is null)
        {
            return new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        }

        return raw as DataTable ?? throw new DataFileException($"{where} Parameters: expected @{{ Name = value }}.");
    }

    private static DateTime DateOf(DataTable table, string where)
    {
        var text = Text(table, "Expires", where)
            ?? throw new DataFileException($"{where}: a waiver needs Expires, its last day as 'yyyy-MM-dd'.");
        return DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None,
            out var date)
            ? date
            : throw new DataFileException($"{where}: Expires must be a date as 'yyyy-MM-dd', not '{text}'.");
    }

    internal static DeviceProfile ParseProfile(string text, string where) =>
        Enum.TryParse<DeviceProfile>(text, true, out var profile) && Enum.IsDefined(typeof(DeviceProfile), profile)
            ? profile
            : throw new DataFileException($"{where}: '{text}' is not a profile; use "
                + $"{string.Join(", ", Enum.GetNames(typeof(DeviceProfile)))}.");

    private static void CheckKeys(DataTable table, IReadOnlyCollection<string> allowed, string where)
    {
        var unknown = table.KeysInOrder.Where(k => !allowed.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw new DataFileException($"{where}: unknown key(s) {string.Join(", ", unknown)}; "
                + $"allowed are {string.Join(", ", allowed)}.");
        }
    }

    private static string? Text(DataTable table, string key, string where)
    {
        if (!table.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }

        return value switch
        {
            string text => string.IsNullOrWhiteSpace(text) ? null : text.Trim(),
            int or long or double => Convert.ToString(value, CultureInfo.InvariantCulture),
            _ => throw new DataFileException($"{where}: {key} must be text."),
        };
    }

    private static bool Flag(DataTable table, string key, string where)
    {
        if (!table.TryGetValue(key, out var value) || value is null)
        {
            return false;
        }

        return value as bool? ?? throw new DataFileException($"{where}: {key} must be $true or $false.");
    }

    private static IReadOnlyList<string> Strings(DataTable table, string key, string where) =>
        Items(table, key, where)
            .Select(v => v as string ?? throw new DataFileException($"{where} {key}: every item must be text."))
            .ToList();

    private static IEnumerable<object?> Items(DataTable table, string key, string where)
    {
        if (!table.TryGetValue(key, out var value) || value is null)
        {
            return Array.Empty<object?>();
        }

        return value is IList list && value is not DataTable ? list.Cast<object?>() : new[] { value };
    }
}

/// <summary>The answers a checklist item takes.</summary>
public static class ChecklistAnswers
{
    public const string Yes = "Yes";
    public const string No = "No";
    public const string NotApplicable = "NotApplicable";

    public static bool IsValid(string answer) =>
        new[] { Yes, No, NotApplicable }.Contains(answer, StringComparer.OrdinalIgnoreCase);
}
