using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// An accepted deviation: a rule that may fail on some devices (chosen by address or name, tag or
/// profile) for a documented reason, owned by a person, until an expiry date. A failure the waiver
/// covers becomes <see cref="RuleOutcome.Waived"/>; once the date has passed the failure counts again.
/// </summary>
public sealed class RuleWaiver
{
    /// <exception cref="ArgumentException">Rule, reason or owner is empty, or no device selector is given.</exception>
    public RuleWaiver(
        string rule,
        string reason,
        string owner,
        DateTime expires,
        string? device = null,
        string? tag = null,
        DeviceProfile? profile = null)
    {
        Rule = Required(rule, "Rule", "the rule id it waives (wildcards allowed)");
        Reason = Required(reason, "Reason", "why the deviation is accepted");
        Owner = Required(owner, "Owner", "who is responsible for it");
        if (device is null && tag is null && profile is null)
        {
            throw new ArgumentException(
                $"Waiver for {rule} needs Device, Tag or Profile: waiving a rule everywhere belongs in the baseline.");
        }

        Expires = expires.Date;
        Device = Blank(device);
        Tag = Blank(tag);
        Profile = profile;
    }

    /// <summary>The rule id the waiver covers; * and ? are wildcards.</summary>
    public string Rule { get; }

    /// <summary>A device's address or name (wildcards allowed), or null for any device.</summary>
    public string? Device { get; }

    /// <summary>A device tag, or null for any tag.</summary>
    public string? Tag { get; }

    /// <summary>A requirement profile, or null for any profile.</summary>
    public DeviceProfile? Profile { get; }

    public string Reason { get; }

    public string Owner { get; }

    /// <summary>The last day (UTC) the waiver is in force.</summary>
    public DateTime Expires { get; }

    /// <summary>Where the waiver was read from (a baseline name or file), for messages.</summary>
    public string? Source { get; set; }

    /// <summary>True after the <see cref="Expires"/> day has ended.</summary>
    public bool IsExpired(DateTimeOffset now) => now.UtcDateTime.Date > Expires;

    /// <summary>True when the waiver names this rule and selects this device.</summary>
    public bool Covers(string ruleId, IoTDevice device, IReadOnlyCollection<string> tags)
    {
        if (!Wildcard(Rule, ruleId))
        {
            return false;
        }

        var deviceMatches = Device is null || Wildcard(Device, device.Address)
            || (device.Name is not null && Wildcard(Device, device.Name));
        var tagMatches = Tag is null || tags.Contains(Tag, StringComparer.OrdinalIgnoreCase);
        var profileMatches = Profile is null || Profile == device.Profile;
        return deviceMatches && tagMatches && profileMatches;
    }

    /// <summary>The selector in words, e.g. "device 10.47.0.11, profile Camera".</summary>
    public string Scope
    {
        get
        {
            var parts = new List<string>();
            if (Device is not null)
            {
                parts.Add($"device {Device}");
            }

            if (Tag is not null)
            {
                parts.Add($"tag {Tag}");
            }

            if (Profile is not null)
            {
                parts.Add($"profile {Profile}");
            }

            return string.Join(", ", parts);
        }
    }

    public override string ToString() =>
        $"waiver of {Rule} for {Scope} until {Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} "
        + $"(owner {Owner}): {Reason}";

    private static bool Wildcard(string pattern, string value)
    {
        var regex = "^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$";
        return Regex.IsMatch(value, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1));
    }

    private static string Required(string? value, string key, string meaning) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException($"A waiver needs {key}: {meaning}.")
            : value!.Trim();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}
