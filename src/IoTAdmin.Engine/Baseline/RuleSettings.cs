using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// What a baseline sets for one rule: its parameters (converted and checked against the rule's
/// declared <see cref="BaselineRuleInfo.Parameters"/>) and an optional severity that replaces the
/// rule's own in every result.
/// </summary>
public sealed class RuleSettings
{
    private readonly Dictionary<string, object> _values;

    private RuleSettings(Severity? severity, Dictionary<string, object> values)
    {
        Severity = severity;
        _values = values;
    }

    /// <summary>No override: the rule's own severity and every parameter's default.</summary>
    public static RuleSettings Default { get; } =
        new RuleSettings(null, new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase));

    /// <summary>The severity results of the rule carry instead of the rule's own; null keeps it.</summary>
    public Severity? Severity { get; }

    /// <summary>The parameters set explicitly, by name; parameters left out take their default.</summary>
    public IReadOnlyDictionary<string, object> Values => _values;

    /// <summary>Checks and converts raw values (from a data file or a hashtable) for <paramref name="rule"/>.</summary>
    /// <exception cref="ArgumentException">A name is not a parameter of the rule.</exception>
    /// <exception cref="FormatException">A value does not fit its parameter.</exception>
    public static RuleSettings Create(
        BaselineRuleInfo rule,
        Severity? severity,
        IEnumerable<KeyValuePair<string, object?>>? rawValues)
    {
        var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in rawValues ?? Enumerable.Empty<KeyValuePair<string, object?>>())
        {
            var parameter = rule.FindParameter(pair.Key) ?? throw new ArgumentException(
                $"Rule {rule.Id} has no parameter '{pair.Key}'; it has: {ParameterList(rule)}.");
            try
            {
                values[parameter.Name] = parameter.Convert(pair.Value);
            }
            catch (FormatException ex)
            {
                throw new FormatException($"Rule {rule.Id}: {ex.Message}", ex);
            }
        }

        return new RuleSettings(severity, values);
    }

    /// <summary>These settings with <paramref name="other"/>'s severity and values laid over them.</summary>
    public RuleSettings Merge(RuleSettings other)
    {
        var values = new Dictionary<string, object>(_values, StringComparer.OrdinalIgnoreCase);
        foreach (var pair in other._values)
        {
            values[pair.Key] = pair.Value;
        }

        return new RuleSettings(other.Severity ?? Severity, values);
    }

    /// <summary>The parameter's value: the one set here, else its default.</summary>
    public T Get<T>(RuleParameter<T> parameter)
        where T : notnull =>
        _values.TryGetValue(parameter.Name, out var value) ? (T)value : parameter.Default;

    private static string ParameterList(BaselineRuleInfo rule) =>
        rule.Parameters.Count == 0 ? "none" : string.Join(", ", rule.Parameters.Select(p => p.Name));
}
