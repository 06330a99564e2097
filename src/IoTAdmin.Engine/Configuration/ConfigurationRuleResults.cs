using System;
using System.Collections.Generic;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Engine.Configuration;

/// <summary>
/// Turns configuration results into audit results (rule CONFIG-&lt;Setting&gt; with the SYS.4.4
/// measures the setting serves), so every report format of Export-IoTReport and the tools that
/// read them take configuration drift as they take baseline findings.
/// </summary>
public static class ConfigurationRuleResults
{
    private static readonly Dictionary<string, BaselineRuleInfo> s_rules =
        new Dictionary<string, BaselineRuleInfo>(StringComparer.OrdinalIgnoreCase)
        {
            ["Accounts"] = Rule("Accounts", "Device accounts without default or stale passwords", Severity.High,
                "Rotate the password (Set-IoTConfiguration with -NewCredential).", "SYS.4.4.M2", "SYS.4.4.M15"),
            ["SshKeyOnly"] = Rule("SshKeyOnly", "SSH login by key only", Severity.Medium,
                "Authorize admin keys and turn SSH password login off.", "SYS.4.4.M2", "SYS.4.4.M19"),
            ["ServicesOff"] = Rule("ServicesOff", "Unneeded services switched off", Severity.High,
                "Disable the services (Set-IoTConfiguration or Disable-IoTService).", "SYS.4.4.M5", "SYS.4.4.M11",
                "SYS.4.4.M13"),
            ["Snmp"] = Rule("Snmp", "SNMPv3 only, with named users", Severity.High,
                "Turn community access off and configure the SNMPv3 users.", "SYS.4.4.M11", "SYS.4.4.M13"),
            ["AllowedPorts"] = Rule("AllowedPorts", "Only allowed ports listen", Severity.Medium,
                "Switch off the services behind ports that are not allowed.", "SYS.4.4.M5", "SYS.4.4.M13"),
            ["Ntp"] = Rule("Ntp", "Time from the configured NTP servers", Severity.Low,
                "Set the device's NTP servers.", "SYS.4.4.M18", "SYS.4.4.M22"),
            ["Syslog"] = Rule("Syslog", "Security events sent to the configured syslog servers", Severity.Medium,
                "Set the device's remote syslog targets.", "SYS.4.4.M18"),
            ["Baseline"] = Rule("Baseline", "Passes its baseline", Severity.Medium,
                "Fix the failing rules or record a waiver with a reason.", "SYS.4.4.M23"),
        };

    /// <summary>The rule a setting is reported as.</summary>
    public static BaselineRuleInfo RuleFor(string setting) =>
        s_rules.TryGetValue(setting, out var rule)
            ? rule
            : Rule(setting, setting, Severity.Medium, "Bring the setting to its desired state.", "SYS.4.4.M23");

    /// <summary>One audit result per configuration result: in desired state passes, drift fails.</summary>
    public static RuleResult ToRuleResult(ConfigurationResult result)
    {
        var outcome = result.Status switch
        {
            ConfigurationStatus.InDesiredState or ConfigurationStatus.Changed => RuleOutcome.Pass,
            ConfigurationStatus.Error => RuleOutcome.Error,
            _ => RuleOutcome.Fail,
        };
        var evidence = $"Desired: {result.Desired}. Actual: {result.Actual}."
            + (result.Message is null ? string.Empty : " " + result.Message);
        return new RuleResult(result.DeviceAddress, result.DeviceName, RuleFor(result.Setting), outcome, evidence)
        {
            Baseline = "Configuration",
        };
    }

    private static BaselineRuleInfo Rule(
        string setting, string title, Severity severity, string remediation, params string[] measures) =>
        new BaselineRuleInfo("CONFIG-" + setting.ToUpperInvariant(), title, severity, remediation, measures);
}
