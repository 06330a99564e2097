using System;
using System.Collections.Generic;
using IoTAdmin.Engine.Diagnostics;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// What a rule may use while it checks a device: the run's options, its log, and the settings the
/// baseline chose for each rule on this device's profile (parameters and severity overrides).
/// </summary>
public sealed class AuditContext
{
    private static readonly IReadOnlyDictionary<string, RuleSettings> s_noSettings =
        new Dictionary<string, RuleSettings>(StringComparer.OrdinalIgnoreCase);

    public AuditContext(AuditOptions options, IActivityLog log)
        : this(options, log, null)
    {
    }

    /// <param name="options">The run's options.</param>
    /// <param name="log">Where rules write progress and warnings.</param>
    /// <param name="ruleSettings">Settings by rule id (case-insensitive); rules not in it use defaults.</param>
    public AuditContext(
        AuditOptions options,
        IActivityLog log,
        IReadOnlyDictionary<string, RuleSettings>? ruleSettings)
    {
        Options = options;
        Log = log;
        RuleSettings = ruleSettings ?? s_noSettings;
    }

    public AuditOptions Options { get; }

    public IActivityLog Log { get; }

    /// <summary>The baseline's settings by rule id.</summary>
    public IReadOnlyDictionary<string, RuleSettings> RuleSettings { get; }

    /// <summary>The settings of one rule; <see cref="Baseline.RuleSettings.Default"/> when none were given.</summary>
    public RuleSettings SettingsFor(string ruleId) =>
        RuleSettings.TryGetValue(ruleId, out var settings) ? settings : Baseline.RuleSettings.Default;

    /// <summary>
    /// The value of a parameter <paramref name="rule"/> declared: the baseline's for this device's
    /// profile, else the parameter's default.
    /// </summary>
    /// <exception cref="InvalidOperationException">The rule did not declare the parameter (a coding error).</exception>
    public T GetParameter<T>(BaselineRuleInfo rule, RuleParameter<T> parameter)
        where T : notnull
    {
        if (!rule.Parameters.Contains(parameter))
        {
            throw new InvalidOperationException(
                $"Rule {rule.Id} reads parameter '{parameter.Name}' without declaring it in Info.Parameters.");
        }

        return SettingsFor(rule.Id).Get(parameter);
    }

    /// <summary>The same options and log with other rule settings, e.g. those of another device profile.</summary>
    public AuditContext WithRuleSettings(IReadOnlyDictionary<string, RuleSettings>? ruleSettings) =>
        new AuditContext(Options, Log, ruleSettings);
}
