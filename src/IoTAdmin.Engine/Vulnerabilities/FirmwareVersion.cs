using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace IoTAdmin.Engine.Vulnerabilities;

/// <summary>How a version string is built, and so how it may be compared.</summary>
public enum VersionScheme
{
    /// <summary>Dotted numbers with optional pre-release, revision and build: 2.1.7-r3, V5.5.0 build 170928.</summary>
    Dotted,

    /// <summary>A release date: 2024-05-14, 20240514.</summary>
    Date,
}

/// <summary>
/// A firmware or software version read by its scheme. Versions of the same scheme compare part by
/// part; versions of different schemes, or text this parser does not understand, are never compared
/// (in particular never as strings), because a wrong answer there means a missed or an invented
/// vulnerability. Recognised parts: a leading "V"/"version", dotted numbers, a pre-release label
/// (alpha, beta, rc, pre, dev; sorts before the release), a revision (-r3, rev 3, "_p2") and a build
/// number or build date ("build 170123", "_b130111", "Build 20230219", "(build 2024-05-14)").
/// The build only decides when both sides name one.
/// </summary>
public sealed class FirmwareVersion : IComparable<FirmwareVersion>
{
    private const int MaxLength = 128;
    private static readonly TimeSpan s_timeout = TimeSpan.FromMilliseconds(100);

    private static readonly Regex s_date = new Regex(
        @"^(?<y>(?:19|20)\d\d)-?(?<m>[01]\d)-?(?<d>[0-3]\d)$", RegexOptions.CultureInvariant, s_timeout);

    private static readonly Regex s_dotted = new Regex(
        @"^(?<num>\d{1,9}(?:\.\d{1,9}){0,7})"
        + @"(?:[-_.]?(?<pre>alpha|beta|rc|pre|dev)\.?(?<preNum>\d{1,9})?(?![a-z]))?"
        + @"(?:(?:[-_.]|\s+)?(?:r|rev|revision|p|patch)\.?\s*(?<rev>\d{1,9}))?"
        + @"(?:(?:[-_.,]|\s+)?\(?(?:build|bld|b)[-_.:\s]*(?<build>\d{2,14}|\d{4}-\d\d-\d\d)\)?)?$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, s_timeout);

    private static readonly string[] s_preRank = { "dev", "alpha", "beta", "pre", "rc" };

    private FirmwareVersion(string text, VersionScheme scheme, IReadOnlyList<long> numbers)
    {
        Text = text;
        Scheme = scheme;
        Numbers = numbers;
    }

    /// <summary>The text as given.</summary>
    public string Text { get; }

    public VersionScheme Scheme { get; }

    /// <summary>The dotted numbers, or year, month and day for a date.</summary>
    public IReadOnlyList<long> Numbers { get; }

    /// <summary>The pre-release label (rc, beta, ...), lower case; null for a release.</summary>
    public string? PreRelease { get; private set; }

    public long PreReleaseNumber { get; private set; }

    /// <summary>The vendor's revision of the release (-r3), 0 when absent.</summary>
    public long Revision { get; private set; }

    /// <summary>The build number (a build date counts as its digits yyyymmdd); null when absent.</summary>
    public long? Build { get; private set; }

    /// <summary>Parses a version; throws <see cref="FormatException"/> naming what was not understood.</summary>
    public static FirmwareVersion Parse(string text)
    {
        if (TryParse(text, out var version, out var problem))
        {
            return version!;
        }

        throw new FormatException(problem);
    }

    /// <summary>Parses a version; on failure <paramref name="problem"/> says why.</summary>
    public static bool TryParse(string? text, out FirmwareVersion? version, out string? problem)
    {
        version = null;
        problem = null;
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0 || trimmed.Length > MaxLength)
        {
            problem = trimmed.Length == 0
                ? "the version is empty"
                : $"the version is longer than {MaxLength} characters";
            return false;
        }

        var body = StripPrefix(trimmed);
        version = ParseDate(trimmed, body) ?? ParseDotted(trimmed, body);
        if (version is null)
        {
            problem = $"'{trimmed}' is not a version this parser understands (dotted numbers or a date)";
        }

        return version is not null;
    }

    /// <summary>
    /// Compares two versions of the same scheme; null when they cannot be compared (different
    /// schemes), so a caller must report "unknown" rather than guess.
    /// </summary>
    public static int? Compare(FirmwareVersion left, FirmwareVersion right)
    {
        if (left.Scheme != right.Scheme)
        {
            return null;
        }

        var numbers = CompareNumbers(left.Numbers, right.Numbers);
        if (numbers != 0 || left.Scheme == VersionScheme.Date)
        {
            return numbers;
        }

        var pre = ComparePreRelease(left, right);
        if (pre != 0)
        {
            return pre;
        }

        var revision = left.Revision.CompareTo(right.Revision);
        if (revision != 0)
        {
            return revision;
        }

        return left.Build is { } a && right.Build is { } b ? a.CompareTo(b) : 0;
    }

    /// <summary>Ordering within one scheme; throws when the schemes differ.</summary>
    public int CompareTo(FirmwareVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        return Compare(this, other)
            ?? throw new InvalidOperationException($"'{Text}' and '{other.Text}' use different version schemes.");
    }

    public override string ToString() => Text;

    private static string StripPrefix(string text)
    {
        var body = Regex.Replace(text, @"^(?:version|ver\.?|firmware|fw)\s*:?\s*", string.Empty,
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, s_timeout);
        return Regex.Replace(body, @"^[Vv](?=\d)", string.Empty, RegexOptions.CultureInvariant, s_timeout).Trim();
    }

    private static FirmwareVersion? ParseDate(string text, string body)
    {
        var match = s_date.Match(body);
        if (!match.Success)
        {
            return null;
        }

        var parts = new[] { match.Groups["y"].Value, match.Groups["m"].Value, match.Groups["d"].Value }
            .Select(p => long.Parse(p, CultureInfo.InvariantCulture))
            .ToList();
        if (parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > 31)
        {
            return null;
        }

        return new FirmwareVersion(text, VersionScheme.Date, parts);
    }

    private static FirmwareVersion? ParseDotted(string text, string body)
    {
        var match = s_dotted.Match(body);
        if (!match.Success)
        {
            return null;
        }

        var numbers = match.Groups["num"].Value.Split('.').Select(n => long.Parse(n, CultureInfo.InvariantCulture));
        var version = new FirmwareVersion(text, VersionScheme.Dotted, numbers.ToList());
        if (match.Groups["pre"].Success)
        {
            version.PreRelease = match.Groups["pre"].Value.ToLowerInvariant();
            version.PreReleaseNumber = NumberOrZero(match.Groups["preNum"]);
        }

        version.Revision = NumberOrZero(match.Groups["rev"]);
        if (match.Groups["build"].Success)
        {
            var digits = match.Groups["build"].Value.Replace("-", string.Empty);
            version.Build = long.Parse(digits, CultureInfo.InvariantCulture);
        }

        return version;
    }

    private static long NumberOrZero(Group group) =>
        group.Success && group.Value.Length > 0 ? long.Parse(group.Value, CultureInfo.InvariantCulture) : 0;

    private static int CompareNumbers(IReadOnlyList<long> left, IReadOnlyList<long> right)
    {
        // 1.2 equals 1.2.0: missing trailing parts count as zero.
        var length = Math.Max(left.Count, right.Count);
        for (var i = 0; i < length; i++)
        {
            var a = i < left.Count ? left[i] : 0;
            var b = i < right.Count ? right[i] : 0;
            if (a != b)
            {
                return a.CompareTo(b);
            }
        }

        return 0;
    }

    private static int ComparePreRelease(FirmwareVersion left, FirmwareVersion right)
    {
        // A release sorts after every pre-release of the same numbers.
        if (left.PreRelease is null || right.PreRelease is null)
        {
            return (left.PreRelease is null ? 1 : 0) - (right.PreRelease is null ? 1 : 0);
        }

        var rank = Array.IndexOf(s_preRank, left.PreRelease).CompareTo(Array.IndexOf(s_preRank, right.PreRelease));
        return rank != 0 ? rank : left.PreReleaseNumber.CompareTo(right.PreReleaseNumber);
    }
}
