using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTAdmin.Engine.Vulnerabilities;

/// <summary>Three-valued result of matching vulnerability data against a device.</summary>
public enum MatchState
{
    No,

    /// <summary>The product matches but the version cannot be decided (unknown or unparseable).</summary>
    Unknown,

    Yes,
}

/// <summary>The result of one match, with the reason in words.</summary>
public sealed class MatchOutcome
{
    public static readonly MatchOutcome No = new MatchOutcome(MatchState.No, "no match", null);

    public MatchOutcome(MatchState state, string reason, CpeMatchCriterion? criterion)
    {
        State = state;
        Reason = reason;
        Criterion = criterion;
    }

    public MatchState State { get; }

    public string Reason { get; }

    /// <summary>The criterion that decided the outcome; null for "no match".</summary>
    public CpeMatchCriterion? Criterion { get; }

    /// <summary>Negation (NVD "negate": true) swaps yes and no and keeps unknown.</summary>
    public MatchOutcome Negated() => State switch
    {
        MatchState.Yes => new MatchOutcome(MatchState.No, "negated: " + Reason, Criterion),
        MatchState.No => new MatchOutcome(MatchState.Yes, "negated: " + Reason, Criterion),
        _ => this,
    };

    /// <summary>OR: the best of the outcomes (yes over unknown over no).</summary>
    public static MatchOutcome AnyOf(IEnumerable<MatchOutcome> outcomes) =>
        outcomes.OrderByDescending(o => o.State).FirstOrDefault() ?? No;

    /// <summary>AND: no when any is no, else unknown when any is unknown, else yes.</summary>
    public static MatchOutcome AllOf(IReadOnlyList<MatchOutcome> outcomes)
    {
        if (outcomes.Count == 0)
        {
            return No;
        }

        var worst = outcomes.OrderBy(o => o.State).First();
        if (worst.State != MatchState.Yes)
        {
            return worst;
        }

        // The vulnerable part explains the match; the others are the platform it needs ("on hardware X").
        var vulnerable = outcomes.FirstOrDefault(o => o.Criterion?.Vulnerable == true) ?? outcomes[0];
        var platforms = outcomes.Where(o => o != vulnerable && o.Criterion is not null)
            .Select(o => CpeName.Unquote(o.Criterion!.Criteria.Product)).ToList();
        var reason = platforms.Count == 0
            ? vulnerable.Reason
            : $"{vulnerable.Reason} on {string.Join(", ", platforms)}";
        return new MatchOutcome(MatchState.Yes, reason, vulnerable.Criterion);
    }
}

/// <summary>
/// One NVD cpeMatch entry (or a CVE JSON 5 "affected" version, converted): a CPE pattern, whether
/// it names the vulnerable component, and an optional version range. Bounds are read with
/// <see cref="FirmwareVersion"/>; a bound or device version it cannot read makes the match
/// <see cref="MatchState.Unknown"/>, never a guess.
/// </summary>
public sealed class CpeMatchCriterion
{
    public CpeMatchCriterion(CpeName criteria, bool vulnerable)
    {
        Criteria = criteria;
        Vulnerable = vulnerable;
    }

    public CpeName Criteria { get; }

    public bool Vulnerable { get; }

    public string? VersionStartIncluding { get; set; }

    public string? VersionStartExcluding { get; set; }

    public string? VersionEndIncluding { get; set; }

    public string? VersionEndExcluding { get; set; }

    public bool HasRange => VersionStartIncluding is not null || VersionStartExcluding is not null
        || VersionEndIncluding is not null || VersionEndExcluding is not null;

    /// <summary>Matches the best of several names of one device (firmware and hardware CPEs).</summary>
    public MatchOutcome Evaluate(IReadOnlyList<CpeName> device) => MatchOutcome.AnyOf(device.Select(Evaluate));

    public MatchOutcome Evaluate(CpeName device)
    {
        if (!Criteria.MatchesProduct(device))
        {
            return MatchOutcome.No;
        }

        return HasRange ? EvaluateRange(device) : EvaluateExact(device);
    }

    public override string ToString()
    {
        var bounds = new List<string>();
        AddBound(bounds, ">=", VersionStartIncluding);
        AddBound(bounds, ">", VersionStartExcluding);
        AddBound(bounds, "<=", VersionEndIncluding);
        AddBound(bounds, "<", VersionEndExcluding);
        return bounds.Count == 0 ? Criteria.ToString() : $"{Criteria} versions {string.Join(" and ", bounds)}";
    }

    private static void AddBound(List<string> bounds, string symbol, string? value)
    {
        if (value is not null)
        {
            bounds.Add(symbol + " " + value);
        }
    }

    private MatchOutcome EvaluateExact(CpeName device)
    {
        var wanted = Criteria.Version;
        if (wanted == CpeName.Any)
        {
            return Result(MatchState.Yes, $"{Criteria.Vendor}:{Criteria.Product} in every version");
        }

        if (wanted == CpeName.NotApplicable || device.Version == CpeName.Any)
        {
            // NVD writes "-" where the vendor gave no version; a device without a version is the same.
            return device.Version == wanted
                ? Result(MatchState.Yes, $"{device.Product} version {wanted}")
                : Result(MatchState.Unknown, $"{Criteria} names no comparable version");
        }

        var deviceText = device.VersionText;
        var wantedText = CpeName.Unquote(wanted);
        if (string.Equals(deviceText, wantedText, StringComparison.OrdinalIgnoreCase))
        {
            return Result(MatchState.Yes, $"version {deviceText} is listed as affected");
        }

        if (!TryVersions(deviceText, wantedText, out var mine, out var theirs, out var problem))
        {
            return Result(MatchState.Unknown, problem!);
        }

        var order = FirmwareVersion.Compare(mine!, theirs!);
        return order switch
        {
            0 => Result(MatchState.Yes, $"version {deviceText} is listed as affected ({wantedText})"),
            null => Result(MatchState.Unknown, $"'{deviceText}' and '{wantedText}' use different version schemes"),
            _ => MatchOutcome.No,
        };
    }

    private MatchOutcome EvaluateRange(CpeName device)
    {
        if (device.Version == CpeName.Any || device.Version == CpeName.NotApplicable)
        {
            return Result(MatchState.Unknown, $"the device version is unknown; affected range {this}");
        }

        var deviceText = device.VersionText;
        if (!FirmwareVersion.TryParse(deviceText, out var version, out var problem))
        {
            return Result(MatchState.Unknown, $"device version not comparable: {problem}");
        }

        var checks = new[]
        {
            (VersionStartIncluding, new Func<int, bool>(c => c >= 0)),
            (VersionStartExcluding, new Func<int, bool>(c => c > 0)),
            (VersionEndIncluding, new Func<int, bool>(c => c <= 0)),
            (VersionEndExcluding, new Func<int, bool>(c => c < 0)),
        };
        foreach (var (bound, holds) in checks)
        {
            var verdict = Check(version!, bound, holds);
            if (verdict is not null)
            {
                return verdict;
            }
        }

        return Result(MatchState.Yes, $"version {deviceText} is in the affected range ({this})");
    }

    /// <summary>Null when the bound holds (or is absent); otherwise the outcome that ends the check.</summary>
    private MatchOutcome? Check(FirmwareVersion version, string? bound, Func<int, bool> holds)
    {
        if (bound is null)
        {
            return null;
        }

        if (!FirmwareVersion.TryParse(bound, out var limit, out var problem))
        {
            return Result(MatchState.Unknown, $"range bound not comparable: {problem}");
        }

        var order = FirmwareVersion.Compare(version, limit!);
        if (order is null)
        {
            return Result(MatchState.Unknown, $"'{version}' and bound '{bound}' use different version schemes");
        }

        return holds(order.Value) ? null : MatchOutcome.No;
    }

    private static bool TryVersions(
        string deviceText,
        string wantedText,
        out FirmwareVersion? mine,
        out FirmwareVersion? theirs,
        out string? problem)
    {
        theirs = null;
        if (!FirmwareVersion.TryParse(deviceText, out mine, out problem))
        {
            problem = $"device version not comparable: {problem}";
            return false;
        }

        if (!FirmwareVersion.TryParse(wantedText, out theirs, out problem))
        {
            problem = $"listed version not comparable: {problem}";
            return false;
        }

        return true;
    }

    private MatchOutcome Result(MatchState state, string reason) => new MatchOutcome(state, reason, this);
}
