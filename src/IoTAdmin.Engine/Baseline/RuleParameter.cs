using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// A setting a rule declares in its <see cref="BaselineRuleInfo.Parameters"/> so a baseline can adjust
/// it, e.g. the allowed SSH ports or the minimum password length. Values come from data files,
/// so <see cref="Convert"/> accepts the loose shapes those hold (a number as text, one value where a
/// list is expected) and rejects everything else with a message naming the parameter.
/// </summary>
public abstract class RuleParameter
{
    private protected RuleParameter(string name, string description)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A rule parameter needs a name.", nameof(name));
        }

        Name = name;
        Description = description ?? string.Empty;
    }

    /// <summary>The name used in baseline files, compared case-insensitively.</summary>
    public string Name { get; }

    public string Description { get; }

    /// <summary>The .NET type of the value.</summary>
    public abstract Type ValueType { get; }

    /// <summary>A short type name for help and reports: int, int[], bool, string, string[].</summary>
    public string TypeName => ParameterValues.TypeNameOf(ValueType);

    /// <summary>The value a rule uses when no baseline sets one.</summary>
    public abstract object DefaultValue { get; }

    /// <summary>The default in the notation of a PowerShell data file, for generated baselines and docs.</summary>
    public string DefaultText => ParameterValues.Format(DefaultValue);

    /// <summary>Turns a value read from a data file into the parameter's type.</summary>
    /// <exception cref="FormatException">The value has the wrong shape or is out of range.</exception>
    public abstract object Convert(object? raw);
}

/// <summary>A rule parameter of type <typeparamref name="T"/>: int, int[], bool, string or string[].</summary>
public sealed class RuleParameter<T> : RuleParameter
    where T : notnull
{
    public RuleParameter(string name, T defaultValue, string description)
        : base(name, description)
    {
        if (!ParameterValues.IsSupported(typeof(T)))
        {
            throw new ArgumentException(
                $"Rule parameter type {typeof(T).Name} is not supported.", nameof(defaultValue));
        }

        Default = defaultValue;
    }

    public T Default { get; }

    public override Type ValueType => typeof(T);

    public override object DefaultValue => Default;

    public override object Convert(object? raw) => ParameterValues.Convert(raw, typeof(T), Name);
}

/// <summary>The conversions between data-file values and parameter types.</summary>
internal static class ParameterValues
{
    private static readonly Type[] s_supported =
        { typeof(int), typeof(int[]), typeof(bool), typeof(string), typeof(string[]) };

    public static bool IsSupported(Type type) => s_supported.Contains(type);

    public static string TypeNameOf(Type type) => type == typeof(int) ? "int"
        : type == typeof(int[]) ? "int[]"
        : type == typeof(bool) ? "bool"
        : type == typeof(string) ? "string"
        : "string[]";

    public static object Convert(object? raw, Type type, string name)
    {
        if (raw is null)
        {
            throw new FormatException($"Parameter '{name}' has no value; give a {TypeNameOf(type)}.");
        }

        if (type == typeof(int[]))
        {
            return Items(raw).Select(item => ToInt(item, name)).ToArray();
        }

        if (type == typeof(string[]))
        {
            return Items(raw).Select(item => ToText(item, name)).ToArray();
        }

        var single = Single(raw, type, name);
        return type == typeof(int) ? ToInt(single, name)
            : type == typeof(bool) ? ToBool(single, name)
            : ToText(single, name);
    }

    /// <summary>A value in PowerShell data-file notation: 22, 'text', $true, @(22, 2222).</summary>
    public static string Format(object value) => value switch
    {
        bool flag => flag ? "$true" : "$false",
        int number => number.ToString(CultureInfo.InvariantCulture),
        string text => Quote(text),
        IEnumerable items => "@(" + string.Join(", ", items.Cast<object>().Select(Format)) + ")",
        _ => Quote(System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty),
    };

    private static string Quote(string text) => "'" + text.Replace("'", "''") + "'";

    private static IEnumerable<object?> Items(object raw) =>
        raw is IEnumerable items && raw is not string ? items.Cast<object?>() : new[] { raw };

    private static object Single(object raw, Type type, string name)
    {
        if (raw is IEnumerable items && raw is not string)
        {
            var list = items.Cast<object?>().ToList();
            if (list.Count != 1 || list[0] is null)
            {
                throw new FormatException($"Parameter '{name}' takes one {TypeNameOf(type)}, not a list.");
            }

            return list[0]!;
        }

        return raw;
    }

    private static int ToInt(object? item, string name)
    {
        switch (item)
        {
            case int number:
                return number;
            case long or short or byte or uint or ushort or ulong or sbyte:
                var wide = System.Convert.ToDecimal(item, CultureInfo.InvariantCulture);
                if (wide >= int.MinValue && wide <= int.MaxValue)
                {
                    return (int)wide;
                }

                break;
            case string text when int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture,
                out var parsed):
                return parsed;
        }

        throw new FormatException($"Parameter '{name}' takes whole numbers; '{item}' is not one.");
    }

    private static bool ToBool(object item, string name)
    {
        if (item is bool flag)
        {
            return flag;
        }

        if (item is string text && bool.TryParse(text.Trim(), out var parsed))
        {
            return parsed;
        }

        throw new FormatException($"Parameter '{name}' takes $true or $false; '{item}' is neither.");
    }

    private static string ToText(object? item, string name)
    {
        // A version written without quotes (MinimumTlsVersion = 1.2) arrives as a number; keep its text.
        return item switch
        {
            string text => text,
            int or long or double or decimal => System.Convert.ToString(item, CultureInfo.InvariantCulture)!,
            _ => throw new FormatException($"Parameter '{name}' takes text; '{item}' is not text."),
        };
    }
}
