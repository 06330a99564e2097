using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace IoTAdmin.Engine.Vulnerabilities;

/// <summary>
/// Turns parsed JSON records into <see cref="CveRecord"/> and <see cref="KevEntry"/> objects. A record
/// with a missing id or wrong types throws <see cref="VulnerabilityDataException"/> (the loader turns it
/// into a per-record problem); a single bad CPE inside a good record becomes a note on the record.
/// CVE JSON 5 "affected" entries become criteria: each listed CPE (else vendor:product) with the
/// affected versions ("version" up to "lessThan"/"lessThanOrEqual", or one exact version, or all
/// versions when defaultStatus is "affected"). Unaffected entries and "changes" are not used.
/// </summary>
internal static class CveRecordReader
{
    public static CveRecord ReadNvd(JsonElement cve)
    {
        var id = RequiredString(cve, "id");
        var configurations = new List<CpeConfiguration>();
        var notes = new List<string>();
        if (cve.TryGetProperty("configurations", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            configurations.AddRange(list.EnumerateArray().Select(c => ReadConfiguration(c, notes)));
        }

        var record = new CveRecord(id, CveRecordFormat.NvdApi2, configurations)
        {
            Description = EnglishText(cve, "descriptions"),
            BaseScore = HighestScore(cve),
        };
        record.Notes.AddRange(notes);
        return record;
    }

    public static CveRecord ReadCve5(JsonElement root)
    {
        var metadata = root.TryGetProperty("cveMetadata", out var m) ? m : default;
        var id = metadata.ValueKind == JsonValueKind.Object
            ? RequiredString(metadata, "cveId")
            : throw new VulnerabilityDataException("the CVE JSON 5 record has no cveMetadata");
        var notes = new List<string>();
        var configurations = Containers(root)
            .SelectMany(c => c.TryGetProperty("affected", out var a) && a.ValueKind == JsonValueKind.Array
                ? a.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(a => ReadAffected(a, notes))
            .Where(c => c is not null)
            .Select(c => c!)
            .ToList();
        var record = new CveRecord(id, CveRecordFormat.CveJson5, configurations)
        {
            Description = Containers(root)
                .Select(c => EnglishText(c, "descriptions"))
                .FirstOrDefault(d => d is not null),
        };
        record.Notes.AddRange(notes);
        return record;
    }

    public static KevEntry ReadKev(JsonElement item)
    {
        var entry = new KevEntry(RequiredString(item, "cveID"), OptionalString(item, "vendorProject") ?? string.Empty,
            OptionalString(item, "product") ?? string.Empty)
        {
            VulnerabilityName = OptionalString(item, "vulnerabilityName"),
            DateAdded = OptionalDate(item, "dateAdded"),
            DueDate = OptionalDate(item, "dueDate"),
            RequiredAction = OptionalString(item, "requiredAction"),
            KnownRansomwareCampaignUse = OptionalString(item, "knownRansomwareCampaignUse"),
        };
        if (!entry.CveId.StartsWith("CVE-", StringComparison.OrdinalIgnoreCase))
        {
            throw new VulnerabilityDataException($"cveID '{entry.CveId}' is not a CVE id");
        }

        return entry;
    }

    private static IEnumerable<JsonElement> Containers(JsonElement root)
    {
        if (!root.TryGetProperty("containers", out var containers) || containers.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        if (containers.TryGetProperty("cna", out var cna) && cna.ValueKind == JsonValueKind.Object)
        {
            yield return cna;
        }

        if (containers.TryGetProperty("adp", out var adp) && adp.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in adp.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Object))
            {
                yield return item;
            }
        }
    }

    private static CpeConfiguration ReadConfiguration(JsonElement configuration, List<string> notes)
    {
        var nodes = configuration.TryGetProperty("nodes", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(n => ReadNode(n, notes)).ToList()
            : new List<CpeNode>();
        return new CpeConfiguration(IsAnd(configuration), nodes);
    }

    private static CpeNode ReadNode(JsonElement node, List<string> notes)
    {
        var matches = new List<CpeMatchCriterion>();
        if (node.TryGetProperty("cpeMatch", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                var criterion = ReadCpeMatch(item, notes);
                if (criterion is not null)
                {
                    matches.Add(criterion);
                }
            }
        }

        var negate = node.TryGetProperty("negate", out var n) && n.ValueKind == JsonValueKind.True;
        return new CpeNode(IsAnd(node), negate, matches);
    }

    private static CpeMatchCriterion? ReadCpeMatch(JsonElement item, List<string> notes)
    {
        var text = OptionalString(item, "criteria");
        if (!CpeName.TryParse(text, out var cpe, out var problem))
        {
            notes.Add($"cpeMatch skipped: {problem}");
            return null;
        }

        var vulnerable = !item.TryGetProperty("vulnerable", out var v) || v.ValueKind != JsonValueKind.False;
        return new CpeMatchCriterion(cpe!, vulnerable)
        {
            VersionStartIncluding = OptionalString(item, "versionStartIncluding"),
            VersionStartExcluding = OptionalString(item, "versionStartExcluding"),
            VersionEndIncluding = OptionalString(item, "versionEndIncluding"),
            VersionEndExcluding = OptionalString(item, "versionEndExcluding"),
        };
    }

    private static CpeConfiguration? ReadAffected(JsonElement affected, List<string> notes)
    {
        var names = AffectedNames(affected, notes);
        if (names.Count == 0)
        {
            return null;
        }

        var criteria = new List<CpeMatchCriterion>();
        var versions = affected.TryGetProperty("versions", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToList()
            : new List<JsonElement>();
        foreach (var name in names)
        {
            criteria.AddRange(versions.Select(v => ReadAffectedVersion(name, v, notes)).Where(c => c is not null)!);
            if (versions.Count == 0 && OptionalString(affected, "defaultStatus") == "affected")
            {
                criteria.Add(new CpeMatchCriterion(name.WithVersion(null), true));
            }
        }

        return criteria.Count == 0 ? null : new CpeConfiguration(false, new[] { new CpeNode(false, false, criteria) });
    }

    private static List<CpeName> AffectedNames(JsonElement affected, List<string> notes)
    {
        var names = new List<CpeName>();
        if (affected.TryGetProperty("cpes", out var cpes) && cpes.ValueKind == JsonValueKind.Array)
        {
            foreach (var text in cpes.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String))
            {
                if (CpeName.TryParse(text.GetString(), out var cpe, out var problem))
                {
                    names.Add(cpe!);
                }
                else
                {
                    notes.Add($"affected CPE skipped: {problem}");
                }
            }
        }

        var vendor = OptionalString(affected, "vendor");
        var product = OptionalString(affected, "product");
        if (names.Count == 0 && vendor is not null && product is not null && vendor != "n/a")
        {
            names.Add(CpeName.Create(CpeName.Any, vendor, product, null));
        }

        return names;
    }

    private static CpeMatchCriterion? ReadAffectedVersion(CpeName name, JsonElement entry, List<string> notes)
    {
        if (OptionalString(entry, "status") != "affected")
        {
            return null;
        }

        var version = OptionalString(entry, "version");
        var lessThan = OptionalString(entry, "lessThan");
        var lessThanOrEqual = OptionalString(entry, "lessThanOrEqual");
        if (lessThan is null && lessThanOrEqual is null)
        {
            return ExactVersion(name, version, notes);
        }

        var from = version is null or "0" or "*" ? null : version;
        return new CpeMatchCriterion(name.WithVersion(null), true)
        {
            VersionStartIncluding = from,
            VersionEndExcluding = lessThan == "*" ? null : lessThan,
            VersionEndIncluding = lessThanOrEqual == "*" ? null : lessThanOrEqual,
        };
    }

    private static CpeMatchCriterion? ExactVersion(CpeName name, string? version, List<string> notes)
    {
        if (version is null || !FirmwareVersion.TryParse(version, out _, out var problem))
        {
            // Free text such as "AXIS OS 10.5 - 11.5" or "customized versions" is not a version.
            notes.Add($"affected version '{version}' of {name.Vendor}:{name.Product} is not a version: not matched");
            return null;
        }

        return new CpeMatchCriterion(name.WithVersion(version), true);
    }

    private static bool IsAnd(JsonElement element) =>
        string.Equals(OptionalString(element, "operator"), "AND", StringComparison.OrdinalIgnoreCase);

    private static string RequiredString(JsonElement element, string property) =>
        OptionalString(element, property)
        ?? throw new VulnerabilityDataException($"the record has no text property '{property}'");

    private static string? OptionalString(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value)
            && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static DateTime? OptionalDate(JsonElement element, string property)
    {
        var text = OptionalString(element, property);
        return DateTime.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date) ? date : null;
    }

    private static string? EnglishText(JsonElement element, string property)
    {
        if (!element.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return list.EnumerateArray()
            .Where(d => OptionalString(d, "lang")?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true)
            .Select(d => OptionalString(d, "value"))
            .FirstOrDefault(v => v is not null);
    }

    private static double? HighestScore(JsonElement cve)
    {
        if (!cve.TryGetProperty("metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var scores = metrics.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Array)
            .SelectMany(p => p.Value.EnumerateArray())
            .Select(m => m.TryGetProperty("cvssData", out var data) && data.TryGetProperty("baseScore", out var s)
                && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : (double?)null)
            .Where(s => s is not null)
            .ToList();
        return scores.Count == 0 ? null : scores.Max();
    }
}
