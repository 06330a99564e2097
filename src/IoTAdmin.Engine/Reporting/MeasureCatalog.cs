using System;
using System.Collections.Generic;
using System.Globalization;

namespace IoTAdmin.Engine.Reporting;

/// <summary>
/// The 24 measures of BSI IT-Grundschutz SYS.4.4 with their titles, so a report can name every
/// measure, including those no automatic rule can check.
/// </summary>
public static class MeasureCatalog
{
    private static readonly string[] s_titles =
    {
        "Usage criteria for IoT devices",
        "Authentication",
        "Regular update",
        "Enable auto-update mechanisms",
        "Restricting network access",
        "Inclusion of IoT devices in the security policy of the institution",
        "Planning the use of IoT devices",
        "IoT device procurement criteria",
        "Control of the use of IoT devices",
        "Secure installation and configuration of IoT devices",
        "Using secure protocols",
        "Secure integration into higher-level systems",
        "Disabling and uninstalling unneeded components",
        "Deployment clearance",
        "Restrictive rights assignment",
        "Eliminate malware on IoT devices",
        "Monitoring the network traffic of IoT devices",
        "Logging of security-related events on IoT devices",
        "Protection of the administration interfaces",
        "Regulated decommissioning of IoT devices",
        "Operating environment and power supply",
        "System monitoring",
        "Auditing IoT devices",
        "Secure configuration and use of an embedded web server",
    };

    private const string Prefix = "SYS.4.4.M";

    /// <summary>All measure ids in order, SYS.4.4.M1 to SYS.4.4.M24.</summary>
    public static IReadOnlyList<string> MeasureIds { get; } = BuildIds();

    /// <summary>The title of a measure, or an empty string for an id outside the catalog.</summary>
    public static string TitleOf(string measureId)
    {
        var number = NumberOf(measureId);
        return number >= 1 && number <= s_titles.Length ? s_titles[number - 1] : string.Empty;
    }

    /// <summary>Orders measure ids by their number (M2 before M10); unknown ids go last.</summary>
    public static int Compare(string? left, string? right)
    {
        var byNumber = NumberOf(left).CompareTo(NumberOf(right));
        return byNumber != 0 ? byNumber : string.CompareOrdinal(left, right);
    }

    private static int NumberOf(string? measureId)
    {
        if (measureId is null || !measureId.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return int.MaxValue;
        }

        var digits = measureId.Substring(Prefix.Length);
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : int.MaxValue;
    }

    private static IReadOnlyList<string> BuildIds()
    {
        var ids = new List<string>();
        for (var number = 1; number <= s_titles.Length; number++)
        {
            ids.Add(Prefix + number.ToString(CultureInfo.InvariantCulture));
        }

        return ids;
    }
}
