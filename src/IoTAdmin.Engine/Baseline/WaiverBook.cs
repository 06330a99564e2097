using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// Applies waivers to results: a failure a waiver in force covers becomes
/// <see cref="RuleOutcome.Waived"/> and carries the waiver; a failure covered only by expired
/// waivers stays a failure, carries the newest of them, and logs a warning naming it, so nobody
/// mistakes a lapsed acceptance for a standing one. Passes and errors are never waived.
/// </summary>
public sealed class WaiverBook
{
    private readonly IReadOnlyList<RuleWaiver> _waivers;
    private readonly Func<DateTimeOffset> _clock;

    public WaiverBook(IEnumerable<RuleWaiver> waivers, Func<DateTimeOffset>? clock = null)
    {
        _waivers = waivers.ToList();
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    public IReadOnlyList<RuleWaiver> Waivers => _waivers;

    /// <summary>Waives or flags <paramref name="result"/> in place; returns it for chaining.</summary>
    public RuleResult Apply(RuleResult result, IoTDevice device, IReadOnlyCollection<string> tags, IActivityLog log)
    {
        if (result.Outcome != RuleOutcome.Fail)
        {
            return result;
        }

        var now = _clock();
        var covering = _waivers.Where(w => w.Covers(result.RuleId, device, tags)).ToList();
        var inForce = covering.Where(w => !w.IsExpired(now)).OrderByDescending(w => w.Expires).FirstOrDefault();
        if (inForce is not null)
        {
            result.Outcome = RuleOutcome.Waived;
            result.Waiver = inForce;
            log.Verbose($"{device.Address}: {result.RuleId} failed but is waived: {inForce}");
            return result;
        }

        var expired = covering.OrderByDescending(w => w.Expires).FirstOrDefault();
        if (expired is not null)
        {
            result.Waiver = expired;
            var day = expired.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            log.Warning($"{device.Address}: the waiver of {result.RuleId} for {expired.Scope} (owner {expired.Owner}, "
                + $"from {expired.Source ?? "the baseline"}) expired on {day}; the failure counts again.");
        }

        return result;
    }
}
