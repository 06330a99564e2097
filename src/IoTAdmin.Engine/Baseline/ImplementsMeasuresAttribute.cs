using System;
using System.Collections.Generic;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// Marks a cmdlet class with the SYS.4.4 measures it helps implement (beyond the audit rules,
/// which carry their measures in <see cref="BaselineRuleInfo"/>), so the coverage table in
/// docs/SYS.4.4-coverage.md can be generated instead of maintained by hand.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ImplementsMeasuresAttribute : Attribute
{
    public ImplementsMeasuresAttribute(params string[] measures)
    {
        Measures = measures;
    }

    /// <summary>Measure ids such as SYS.4.4.M23.</summary>
    public IReadOnlyList<string> Measures { get; }
}
