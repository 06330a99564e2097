using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// Runs the baseline rules on a device. Rules are every <see cref="IBaselineRule"/> in the engine
/// assembly with a public parameterless constructor, ordered by id. A device that answers on no
/// common port and has no discovered service that answers is reported unreachable instead of
/// being checked rule by rule. Rules run one after another, so a device sees one login at a time.
/// </summary>
public sealed class BaselineAuditor
{
    /// <summary>Ports tried for reachability besides the discovered ones (ICMP needs privileges).</summary>
    public static readonly IReadOnlyList<int> ReachabilityPorts =
        new[] { 80, 443, 22, 23, 554, 8080, 1883, 8443, 5000, 49152 };

    private static readonly IReadOnlyCollection<string> s_noTags = Array.Empty<string>();
    private readonly IReadOnlyList<IBaselineRule> _rules;
    private readonly ResolvedBaseline? _baseline;
    private readonly WaiverBook _waivers;

    /// <summary>All rules of the engine assembly.</summary>
    public BaselineAuditor()
        : this(DiscoverRules())
    {
    }

    /// <summary>Only the rules whose id is in <paramref name="ruleIds"/> (case-insensitive); null means all.</summary>
    /// <exception cref="ArgumentException">An id names no rule.</exception>
    public BaselineAuditor(IEnumerable<string>? ruleIds)
        : this(Filter(DiscoverRules(), ruleIds))
    {
    }

    /// <summary>
    /// The rules <paramref name="baseline"/> runs on each device's profile, with its parameters,
    /// severities and waivers; <paramref name="ruleIds"/> narrows them further (null: no narrowing).
    /// </summary>
    /// <exception cref="ArgumentException">An id names no rule.</exception>
    public BaselineAuditor(ResolvedBaseline baseline, IEnumerable<string>? ruleIds)
        : this(Filter(DiscoverRules(), ruleIds))
    {
        _baseline = baseline ?? throw new ArgumentNullException(nameof(baseline));
        _waivers = new WaiverBook(baseline.Waivers);
        var planned = new HashSet<string>(
            Enum.GetValues(typeof(DeviceProfile)).Cast<DeviceProfile>()
                .SelectMany(p => baseline.For(p).Rules.Select(r => r.Info.Id)),
            StringComparer.OrdinalIgnoreCase);
        Rules = _rules.Where(r => planned.Contains(r.Info.Id)).Select(r => r.Info).ToList();
    }

    internal BaselineAuditor(IReadOnlyList<IBaselineRule> rules)
    {
        _rules = rules;
        _waivers = new WaiverBook(Array.Empty<RuleWaiver>());
        Rules = rules.Select(r => r.Info).ToList();
    }

    /// <summary>The rules that may run: with a baseline, those it runs on at least one profile.</summary>
    public IReadOnlyList<BaselineRuleInfo> Rules { get; }

    /// <summary>The baseline the auditor applies; null when it runs its rules with their defaults.</summary>
    public ResolvedBaseline? Baseline => _baseline;

    /// <summary>Checks one device with every selected rule; see <see cref="DeviceAuditResult"/>.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<DeviceAuditResult> AuditDeviceAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken) =>
        AuditDeviceAsync(device, s_noTags, context, cancellationToken);

    /// <summary>
    /// Checks one device with the rules its profile gets, then applies the waivers, which may select
    /// the device by one of its <paramref name="tags"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<DeviceAuditResult> AuditDeviceAsync(
        IoTDevice device,
        IReadOnlyCollection<string> tags,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var (rules, deviceContext) = PlanFor(device, context);
        var audit = await RunRulesAsync(device, rules, deviceContext, cancellationToken).ConfigureAwait(false);
        foreach (var result in audit.Results)
        {
            result.Baseline = _baseline?.Name;
            _waivers.Apply(result, device, tags ?? s_noTags, context.Log);
        }

        return audit;
    }

    /// <summary>The rules for the device's profile and a context carrying their settings.</summary>
    private (IReadOnlyList<IBaselineRule> Rules, AuditContext Context) PlanFor(IoTDevice device, AuditContext context)
    {
        if (_baseline is null)
        {
            return (_rules, context);
        }

        var plan = _baseline.For(device.Profile);
        var wanted = new HashSet<string>(plan.Rules.Select(r => r.Info.Id), StringComparer.OrdinalIgnoreCase);
        return (_rules.Where(r => wanted.Contains(r.Info.Id)).ToList(), context.WithRuleSettings(plan.Settings));
    }

    private async Task<DeviceAuditResult> RunRulesAsync(
        IoTDevice device,
        IReadOnlyList<IBaselineRule> rules,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var unreachable = await CheckReachabilityAsync(device, context, cancellationToken).ConfigureAwait(false);
        if (unreachable is not null)
        {
            // The caller reports the unreachable device (a non-terminating error), so only a trace here.
            context.Log.Verbose($"{device.Address}: {unreachable}");
            return UnreachableResult(device, unreachable, rules, context);
        }

        var results = new List<RuleResult>();
        var budget = context.Options.EffectiveDeviceBudget;
        var clock = Stopwatch.StartNew();
        foreach (var rule in rules)
        {
            // A rule under way finishes; the ones after an exhausted budget are named, never dropped.
            if (clock.Elapsed >= budget)
            {
                results.Add(OverBudget(rule, device, budget, context));
                continue;
            }

            results.Add(await EvaluateSafelyAsync(rule, device, context, cancellationToken).ConfigureAwait(false));
        }

        return new DeviceAuditResult(results, false, null);
    }

    /// <summary>The results of <see cref="AuditDeviceAsync(IoTDevice, AuditContext, CancellationToken)"/> only.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IReadOnlyList<RuleResult>> AuditAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var audit = await AuditDeviceAsync(device, context, cancellationToken).ConfigureAwait(false);
        return audit.Results;
    }

    private static RuleResult OverBudget(IBaselineRule rule, IoTDevice device, TimeSpan budget, AuditContext context)
    {
        var seconds = budget.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        var reason = $"not checked: the audit of this device reached its time budget of {seconds} s (-DeviceTimeout)";
        context.Log.Verbose($"{device.Address}: {rule.Info.Id} {reason}.");
        var result = new RuleResult(device.Address, device.Name, rule.Info, RuleOutcome.Error, reason);
        return ApplySeverity(result, context);
    }

    /// <summary>One Error result per rule, all naming the reason.</summary>
    internal DeviceAuditResult UnreachableResult(IoTDevice device, string reason)
    {
        return UnreachableResult(device, reason, _rules, null);
    }

    /// <summary>One Error result per rule, all naming the reason, with the baseline's severities.</summary>
    private static DeviceAuditResult UnreachableResult(
        IoTDevice device, string reason, IReadOnlyList<IBaselineRule> rules, AuditContext? context)
    {
        var errors = rules
            .Select(r => new RuleResult(device.Address, device.Name, r.Info, RuleOutcome.Error, reason))
            .Select(r => context is null ? r : ApplySeverity(r, context))
            .ToList();
        return new DeviceAuditResult(errors, true, reason);
    }

    /// <summary>Null when the port states prove the device is up; otherwise the reason it is not.</summary>
    internal static string? JudgeReachability(
        IoTDevice device,
        IReadOnlyList<int> ports,
        IReadOnlyList<PortState> states,
        TimeSpan timeout)
    {
        // A reset also proves the host is up; only silence and unreachability count.
        if (states.Any(s => s == PortState.Open || s == PortState.Closed))
        {
            return null;
        }

        // A device seen only over UDP (SNMP, SSDP) may have no TCP port at all; its rules decide.
        if (device.Services.Any(s => s.Transport == ServiceTransport.Udp))
        {
            return null;
        }

        var seconds = timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        return $"device did not answer on TCP {string.Join(", ", ports)} within {seconds} s";
    }

    internal static IReadOnlyList<IBaselineRule> DiscoverRules() =>
        typeof(BaselineAuditor).Assembly.GetTypes()
            .Where(t => typeof(IBaselineRule).IsAssignableFrom(t) && t.IsClass && !t.IsAbstract)
            .Where(t => t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IBaselineRule)Activator.CreateInstance(t)!)
            .OrderBy(r => r.Info.Id, StringComparer.Ordinal)
            .ToList();

    private static IReadOnlyList<IBaselineRule> Filter(IReadOnlyList<IBaselineRule> rules, IEnumerable<string>? ruleIds)
    {
        if (ruleIds is null)
        {
            return rules;
        }

        var wanted = new HashSet<string>(ruleIds, StringComparer.OrdinalIgnoreCase);
        var known = new HashSet<string>(rules.Select(r => r.Info.Id), StringComparer.OrdinalIgnoreCase);
        var unknown = wanted.Where(id => !known.Contains(id));
        var unknownList = unknown.ToList();
        if (unknownList.Count > 0)
        {
            throw new ArgumentException($"Unknown rule id(s): {string.Join(", ", unknownList)}.", nameof(ruleIds));
        }

        return rules.Where(r => wanted.Contains(r.Info.Id)).ToList();
    }

    private static async Task<RuleResult> EvaluateSafelyAsync(
        IBaselineRule rule,
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        try
        {
            context.Log.Verbose($"{device.Address}: checking {rule.Info.Id}.");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = await rule.EvaluateAsync(device, context, cancellationToken).ConfigureAwait(false);
            context.Log.Verbose(
                $"{device.Address}: {rule.Info.Id} is {result.Outcome} ({clock.Elapsed.TotalSeconds:0.0} s).");
            return ApplySeverity(result, context);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // One broken rule must not end the device's audit; its type and message become evidence.
            context.Log.Warning($"{device.Address}: rule {rule.Info.Id} failed: {ex.GetType().Name}");
            var evidence = $"the rule could not be evaluated: {ex.GetType().Name}: {ex.Message}";
            var error = new RuleResult(device.Address, device.Name, rule.Info, RuleOutcome.Error, evidence);
            return ApplySeverity(error, context);
        }
    }

    /// <summary>The baseline's severity for the rule replaces the rule's own, so reports and CI gates agree.</summary>
    private static RuleResult ApplySeverity(RuleResult result, AuditContext context)
    {
        var severity = context.SettingsFor(result.RuleId).Severity;
        if (severity is not null)
        {
            result.Severity = severity.Value;
        }

        return result;
    }

    /// <summary>Null when some port answers; otherwise the reason the device counts as unreachable.</summary>
    private static async Task<string?> CheckReachabilityAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var ports = ReachabilityPorts
            .Concat(device.Services.Where(s => s.Transport == ServiceTransport.Tcp).Select(s => s.Port))
            .Distinct()
            .ToList();
        var timeout = context.Options.ProbeTimeout;
        var probes = ports.Select(p => TcpPortProbe.ProbeAsync(device.Address, p, timeout, cancellationToken));
        var states = await Task.WhenAll(probes).ConfigureAwait(false);
        return JudgeReachability(device, ports, states, context.Options.ProbeTimeout);
    }
}
