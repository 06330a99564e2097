using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace IoTAdmin.Engine.Vulnerabilities;

/// <summary>
/// A CPE 2.3 name in formatted-string form (NISTIR 7695):
/// cpe:2.3:part:vendor:product:version:update:edition:language:sw_edition:target_sw:target_hw:other.
/// Attribute values keep their quoting (a backslash before a special character); "*" is ANY and
/// "-" is NA. Matching follows the name-matching rules of NISTIR 7696 for the cases that occur in
/// vulnerability data: ANY matches everything, NA matches only NA, unquoted "*" and "?" inside a
/// source value are wildcards, everything else compares case-insensitively.
/// </summary>
public sealed class CpeName
{
    /// <summary>The attribute names in their formatted-string order.</summary>
    public static readonly IReadOnlyList<string> AttributeNames = new[]
    {
        "part", "vendor", "product", "version", "update", "edition", "language", "sw_edition", "target_sw",
        "target_hw", "other",
    };

    public const string Any = "*";
    public const string NotApplicable = "-";
    private const string Prefix = "cpe:2.3:";
    private const int MaxLength = 1024;

    private readonly string[] _values;

    private CpeName(string[] values)
    {
        _values = values;
    }

    /// <summary>a (application), o (operating system, firmware) or h (hardware).</summary>
    public string Part => _values[0];

    public string Vendor => _values[1];

    public string Product => _values[2];

    public string Version => _values[3];

    public string Update => _values[4];

    /// <summary>The attribute at <paramref name="index"/> in AttributeNames order, still quoted.</summary>
    public string this[int index] => _values[index];

    /// <summary>The version with its quoting removed ("1.1\.4" reads "1.1.4").</summary>
    public string VersionText => Unquote(Version);

    /// <summary>Parses a formatted string; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static CpeName Parse(string text)
    {
        if (TryParse(text, out var name, out var problem))
        {
            return name!;
        }

        throw new FormatException(problem);
    }

    public static bool TryParse(string? text, out CpeName? name, out string? problem)
    {
        name = null;
        problem = Validate(text);
        if (problem is not null)
        {
            return false;
        }

        var values = SplitAttributes(text!.Substring(Prefix.Length));
        if (values.Count != AttributeNames.Count)
        {
            problem = $"'{text}' has {values.Count} attributes after cpe:2.3, expected {AttributeNames.Count}";
            return false;
        }

        if (!new[] { "a", "o", "h", Any }.Contains(values[0], StringComparer.OrdinalIgnoreCase))
        {
            problem = $"'{text}' has part '{values[0]}'; expected a, o, h or *";
            return false;
        }

        name = new CpeName(values.Select(v => v.Length == 0 ? Any : v).ToArray());
        return true;
    }

    /// <summary>
    /// A name built from free text such as a vendor and model read from a device: lower case,
    /// spaces become underscores, special characters are quoted; null or empty values become ANY.
    /// </summary>
    public static CpeName Create(string part, string? vendor, string? product, string? version)
    {
        var values = Enumerable.Repeat(Any, AttributeNames.Count).ToArray();
        values[0] = part;
        values[1] = Quote(vendor);
        values[2] = Quote(product);
        values[3] = Quote(version);
        return new CpeName(values);
    }

    /// <summary>This name with another version (quoted from free text).</summary>
    public CpeName WithVersion(string? version)
    {
        var values = (string[])_values.Clone();
        values[3] = Quote(version);
        return new CpeName(values);
    }

    /// <summary>
    /// True when this name, used as a pattern (source), matches <paramref name="target"/>
    /// attribute by attribute.
    /// </summary>
    public bool Matches(CpeName target) =>
        Enumerable.Range(0, AttributeNames.Count).All(i => AttributeMatches(_values[i], target._values[i]));

    /// <summary>True when every attribute except version (and update) matches: the product is the same.</summary>
    public bool MatchesProduct(CpeName target) =>
        Enumerable.Range(0, AttributeNames.Count)
            .Where(i => i != 3 && i != 4)
            .All(i => AttributeMatches(_values[i], target._values[i]));

    public override string ToString() => Prefix + string.Join(":", _values);

    public override bool Equals(object? obj) => obj is CpeName other
        && string.Equals(ToString(), other.ToString(), StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(ToString());

    /// <summary>Removes the formatted-string quoting: "\." becomes ".".</summary>
    public static string Unquote(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            builder.Append(value[i]);
        }

        return builder.ToString();
    }

    private static string? Validate(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "the CPE name is empty";
        }

        if (text!.Length > MaxLength)
        {
            return $"the CPE name is longer than {MaxLength} characters";
        }

        if (!text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return $"'{text}' is not a CPE 2.3 formatted string (it must begin with cpe:2.3:)";
        }

        return text.Any(c => c < 0x21 || c > 0x7e) ? $"'{text}' contains spaces or non-printable characters" : null;
    }

    private static List<string> SplitAttributes(string body)
    {
        var values = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '\\' && i + 1 < body.Length)
            {
                current.Append(c).Append(body[++i]);
                continue;
            }

            if (c == ':')
            {
                values.Add(current.ToString());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        values.Add(current.ToString());
        return values;
    }

    private static string Quote(string? value)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed == Any)
        {
            return Any;
        }

        if (trimmed == NotApplicable)
        {
            return NotApplicable;
        }

        var builder = new StringBuilder();
        foreach (var c in trimmed!.ToLowerInvariant())
        {
            if (char.IsWhiteSpace(c))
            {
                builder.Append('_');
            }
            else if (char.IsLetterOrDigit(c) && c < 0x80 || c == '_')
            {
                builder.Append(c);
            }
            else if (c > 0x20 && c < 0x7f)
            {
                builder.Append('\\').Append(c);
            }
        }

        return builder.Length == 0 ? Any : builder.ToString();
    }

    private static bool AttributeMatches(string source, string target)
    {
        if (source == Any)
        {
            return true;
        }

        if (source == NotApplicable || target == NotApplicable)
        {
            return source == target;
        }

        if (target == Any)
        {
            // A known value in the pattern cannot be confirmed against an unknown one.
            return false;
        }

        return HasWildcard(source)
            ? WildcardRegex(source).IsMatch(Unquote(target))
            : string.Equals(Unquote(source), Unquote(target), StringComparison.OrdinalIgnoreCase);
    }

    private static bool HasWildcard(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                i++;
            }
            else if (value[i] == '*' || value[i] == '?')
            {
                return true;
            }
        }

        return false;
    }

    private static Regex WildcardRegex(string value)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length)
            {
                pattern.Append(Regex.Escape(value[++i].ToString()));
            }
            else
            {
                pattern.Append(c == '*' ? ".*" : c == '?' ? "." : Regex.Escape(c.ToString()));
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
            TimeSpan.FromMilliseconds(100));
    }
}
