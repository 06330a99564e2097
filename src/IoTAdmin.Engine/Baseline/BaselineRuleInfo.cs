using System.Collections.Generic;

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
}
