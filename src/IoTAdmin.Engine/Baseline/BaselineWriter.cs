using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using IoTAdmin.Engine.Baseline.DataFiles;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// Writes an organisation's own baseline file derived from another (New-IoTBaseline): it extends
/// the base, lists every rule the base runs with its parameters as ready-to-edit comments, an
/// empty profile section per profile, a commented waiver example and the checklist to answer.
/// Parameters stay commented on purpose: a value written here would override what the base sets
/// for one profile.
/// </summary>
public static class BaselineWriter
{
    public static string Derive(ResolvedBaseline from, string name, string extends, DateTimeOffset now)
    {
        var text = new StringBuilder();
        var date = now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        text.AppendLine($"# {name}: derived from {from.Name} by New-IoTBaseline on {date}.");
        text.AppendLine("# Review changes to this file like code. Rules of the base run unless left out here with");
        text.AppendLine("# Exclude = $true and a Reason; uncomment a Parameters line to change a value.");
        text.AppendLine("@{");
        text.AppendLine($"    Name        = {DataFileText.Quote(name)}");
        text.AppendLine("    Version     = '1.0'");
        text.AppendLine($"    Description = {DataFileText.Quote($"{name}, based on {from.Name}.")}");
        text.AppendLine($"    Extends     = {DataFileText.Quote(extends)}");
        text.AppendLine("    Measures    = @()");
        text.AppendLine();
        AppendRules(text, from);
        AppendProfiles(text);
        AppendWaivers(text);
        AppendChecklist(text, from);
        text.AppendLine("}");
        return text.ToString();
    }

    private static void AppendRules(StringBuilder text, ResolvedBaseline from)
    {
        var rules = Enum.GetValues(typeof(DeviceProfile)).Cast<DeviceProfile>()
            .SelectMany(p => from.For(p).Rules).GroupBy(r => r.Info.Id).Select(g => g.First().Info)
            .OrderBy(r => r.Id, StringComparer.Ordinal);
        text.AppendLine("    Rules       = @{");
        foreach (var rule in rules)
        {
            text.AppendLine($"        # {rule.Title} ({string.Join(", ", rule.Measures)}; {rule.Severity})");
            foreach (var parameter in rule.Parameters)
            {
                text.AppendLine($"        #   {parameter.Name} ({parameter.TypeName}): {parameter.Description}");
            }

            var parameters = string.Join("; ", rule.Parameters.Select(p => $"{p.Name} = {p.DefaultText}"));
            var body = parameters.Length == 0 ? " " : $" <# Parameters = @{{ {parameters} }} #> ";
            text.AppendLine($"        {DataFileText.Quote(rule.Id)} = @{{{body}}}");
        }

        text.AppendLine("    }");
        text.AppendLine();
    }

    private static void AppendProfiles(StringBuilder text)
    {
        text.AppendLine("    # Per profile: the same entries as Rules, applied after them to that profile only.");
        text.AppendLine("    Profiles    = @{");
        foreach (DeviceProfile profile in Enum.GetValues(typeof(DeviceProfile)))
        {
            text.AppendLine($"        {profile} = @{{ Rules = @{{ }} }}");
        }

        text.AppendLine("    }");
        text.AppendLine();
    }

    private static void AppendWaivers(StringBuilder text)
    {
        text.AppendLine("    # Accepted deviations: Device (address or name), Tag or Profile; Reason, Owner and");
        text.AppendLine("    # Expires (the last day, yyyy-MM-dd) are required.");
        text.AppendLine("    Waivers     = @(");
        text.AppendLine("        # @{ Rule = 'IOT-TELNET-OPEN'; Device = '192.0.2.10'");
        text.AppendLine("        #    Reason = 'Vendor fix due in Q3';");
        text.AppendLine("        #    Owner = 'facility-it'; Expires = '2027-09-30' }");
        text.AppendLine("    )");
        text.AppendLine();
    }

    private static void AppendChecklist(StringBuilder text, ResolvedBaseline from)
    {
        text.AppendLine("    # Organisational measures: Answer Yes, No or NotApplicable, with the Evidence for it.");
        text.AppendLine("    Checklist   = @{");
        foreach (var planned in from.Checklist)
        {
            var answer = planned.Answer;
            text.AppendLine($"        # {planned.Item.Measure}: {planned.Item.Question}");
            text.AppendLine($"        {DataFileText.Quote(planned.Item.Id)} = @{{ Answer = {Text(answer?.Answer)}; "
                + $"Evidence = {Text(answer?.Evidence)}; AnsweredBy = {Text(answer?.AnsweredBy)}; "
                + $"Date = {Text(answer?.Date)} }}");
        }

        text.AppendLine("    }");
    }

    private static string Text(string? value) => DataFileText.Quote(value ?? string.Empty);
}
