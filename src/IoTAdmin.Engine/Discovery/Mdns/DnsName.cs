using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace IoTAdmin.Engine.Discovery.Mdns;

/// <summary>
/// A DNS name kept as its labels, so an mDNS instance name that contains dots ("Cam 1.2") stays one
/// label. Comparison is case-insensitive like DNS itself.
/// </summary>
internal sealed class DnsName : IEquatable<DnsName>
{
    public DnsName(IReadOnlyList<string> labels)
    {
        Labels = labels;
        Key = string.Join(".", labels.Select(Escape)).ToLowerInvariant();
    }

    public IReadOnlyList<string> Labels { get; }

    /// <summary>Lower-case dotted text with dots inside labels escaped; used for lookups.</summary>
    public string Key { get; }

    public string FirstLabel => Labels.Count == 0 ? string.Empty : Labels[0];

    public static DnsName Parse(string dotted)
    {
        var labels = dotted.TrimEnd('.').Split(new[] { '.' }, StringSplitOptions.RemoveEmptyEntries);
        return new DnsName(labels);
    }

    /// <summary>The name without its first label, e.g. the service type of an instance name.</summary>
    public DnsName Parent() => new DnsName(Labels.Skip(1).ToList());

    public bool Equals(DnsName? other) => other is not null && other.Key == Key;

    public override bool Equals(object? obj) => Equals(obj as DnsName);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    public override string ToString() => string.Join(".", Labels.Select(Escape));

    private static string Escape(string label)
    {
        if (label.IndexOf('.') < 0 && label.IndexOf('\\') < 0)
        {
            return label;
        }

        var text = new StringBuilder(label.Length + 4);
        foreach (var c in label)
        {
            if (c == '.' || c == '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }
}
