using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTAdmin.Engine.Baseline;

/// <summary>The metadata of a baseline rule: what it checks and which SYS.4.4 measures it serves.</summary>
public sealed class BaselineRuleInfo
{
    public BaselineRuleInfo(string id, string title, Severity severity, string remediation, params string[] measures)
    {
        Id = id;
        Title = title;
        Severity = severity;
        Remediation = remediation;
        Measures = measures;
    }

    /// <summary>A stable identifier such as IOT-CRED-SSH.</summary>
    public string Id { get; }

    public string Title { get; }

    public Severity Severity { get; }

    public string Remediation { get; }

    public IReadOnlyList<string> Measures { get; }

    /// <summary>
    /// The settings a baseline may adjust, declared with an object initializer
    /// (<c>new BaselineRuleInfo(...) { Parameters = { AllowedPorts } }</c>) and read while checking
    /// with <see cref="AuditContext.GetParameter{T}"/>.
    /// </summary>
    public IList<RuleParameter> Parameters { get; } = new List<RuleParameter>();

    /// <summary>The declared parameter of that name (case-insensitive), or null.</summary>
    public RuleParameter? FindParameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
