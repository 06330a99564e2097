using System;
using System.Collections.Generic;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline;

/// <summary>The outcome of one rule on one device.</summary>
public enum RuleOutcome
{
    Pass,
    Fail,
    NotApplicable,
    Error,

    /// <summary>The rule failed but a waiver in force accepts the deviation; its reason is in Waiver.</summary>
    Waived,

    /// <summary>
    /// The rule may well apply, but the audit lacked what it needs to check it (an administrator login, a
    /// firmware catalogue or its entry for the model, KEV data, an SNMPv3 credential). Unlike NotApplicable
    /// it is a gap in the audit that an auditor must see; unlike Error nothing went wrong.
    /// </summary>
    NotChecked,
}

/// <summary>How much a failed rule matters.</summary>
public enum Severity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>One rule checked against one device: the unit of every audit report.</summary>
public sealed class RuleResult
{
    public RuleResult(
        string deviceAddress,
        string? deviceName,
        BaselineRuleInfo rule,
        RuleOutcome outcome,
        string evidence)
    {
        DeviceAddress = deviceAddress;
        DeviceName = DeviceText.ForDisplay(deviceName);
        RuleId = rule.Id;
        Title = rule.Title;
        Measures = rule.Measures;
        Severity = rule.Severity;
        Remediation = rule.Remediation;
        Outcome = outcome;
        Evidence = DeviceText.ForDisplay(evidence) ?? string.Empty;
    }

    public string DeviceAddress { get; }

    public string? DeviceName { get; }

    public string RuleId { get; }

    public string Title { get; }

    /// <summary>The SYS.4.4 measures the rule implements, e.g. SYS.4.4.M1.</summary>
    public IReadOnlyList<string> Measures { get; }

    /// <summary>The rule's severity, or the one the baseline set for it.</summary>
    public Severity Severity { get; internal set; }

    public RuleOutcome Outcome { get; internal set; }

    /// <summary>What was observed, in words an auditor can check. Never contains a secret.</summary>
    public string Evidence { get; }

    public string Remediation { get; }

    public DateTimeOffset CheckedAt { get; internal set; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// The audited device, attached by the auditor so reports can show its inventory; null when the
    /// result was built without one.
    /// </summary>
    public IoTDevice? Device { get; set; }

    /// <summary>The waiver that accepted (Waived) or no longer accepts (expired) this result; else null.</summary>
    public RuleWaiver? Waiver { get; internal set; }

    /// <summary>The name of the baseline the result was checked against; null when run without one.</summary>
    public string? Baseline { get; set; }
}
