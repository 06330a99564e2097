using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace IoTAdmin.Engine.Snmp;

/// <summary>An immutable OBJECT IDENTIFIER such as 1.3.6.1.2.1.1.1.0, ordered as SNMP orders them.</summary>
public sealed class ObjectIdentifier : IEquatable<ObjectIdentifier>, IComparable<ObjectIdentifier>
{
    /// <summary>The most sub-identifiers accepted (RFC 2578 allows 128).</summary>
    public const int MaxLength = 128;

    private readonly uint[] _components;

    public ObjectIdentifier(IEnumerable<uint> components)
    {
        _components = components.ToArray();
        Validate(_components);
    }

    /// <summary>Takes ownership of arcs a decoder has just made, sparing the copy the public constructor makes.</summary>
    internal static ObjectIdentifier FromDecoded(uint[] components) => new ObjectIdentifier(components, owned: true);

    private ObjectIdentifier(uint[] components, bool owned)
    {
        _components = owned ? components : (uint[])components.Clone();
        Validate(_components);
    }

    public IReadOnlyList<uint> Components => _components;

    public int Length => _components.Length;

    /// <summary>Parses dotted text; a leading dot is allowed.</summary>
    /// <exception cref="FormatException">The text is not a valid OID.</exception>
    public static ObjectIdentifier Parse(string text)
    {
        if (!TryParse(text, out var oid))
        {
            throw new FormatException($"'{text}' is not an object identifier such as 1.3.6.1.2.1.1.1.0.");
        }

        return oid!;
    }

    public static bool TryParse(string? text, out ObjectIdentifier? oid)
    {
        oid = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text!.Trim().TrimStart('.').Split('.');
        if (parts.Length < 2 || parts.Length > MaxLength)
        {
            return false;
        }

        var components = new uint[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!uint.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out components[i]))
            {
                return false;
            }
        }

        if (!IsValid(components))
        {
            return false;
        }

        oid = new ObjectIdentifier(components);
        return true;
    }

    /// <summary>True when this OID equals <paramref name="other"/> or is one of its ancestors.</summary>
    public bool IsPrefixOf(ObjectIdentifier other)
    {
        if (other.Length < Length)
        {
            return false;
        }

        for (var i = 0; i < Length; i++)
        {
            if (_components[i] != other._components[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="prefix"/> equals this OID or is one of its ancestors.</summary>
    public bool StartsWith(ObjectIdentifier prefix) => prefix.IsPrefixOf(this);

    /// <summary>True when this OID lies strictly below <paramref name="root"/>.</summary>
    public bool IsDescendantOf(ObjectIdentifier root) => Length > root.Length && root.IsPrefixOf(this);

    /// <summary>This OID with more sub-identifiers appended, e.g. an instance suffix.</summary>
    public ObjectIdentifier Append(params uint[] suffix) => new ObjectIdentifier(_components.Concat(suffix));

    public int CompareTo(ObjectIdentifier? other)
    {
        if (other is null)
        {
            return 1;
        }

        var common = Math.Min(Length, other.Length);
        for (var i = 0; i < common; i++)
        {
            var order = _components[i].CompareTo(other._components[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return Length.CompareTo(other.Length);
    }

    public bool Equals(ObjectIdentifier? other) => other is not null && _components.SequenceEqual(other._components);

    public override bool Equals(object? obj) => Equals(obj as ObjectIdentifier);

    public override int GetHashCode()
    {
        unchecked
        {
            var hash = 17;
            foreach (var component in _components)
            {
                hash = (hash * 31) + (int)component;
            }

            return hash;
        }
    }

    public override string ToString() =>
        string.Join(".", _components.Select(c => c.ToString(CultureInfo.InvariantCulture)));

    public static bool operator ==(ObjectIdentifier? left, ObjectIdentifier? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(ObjectIdentifier? left, ObjectIdentifier? right) => !(left == right);

    private static bool IsValid(uint[] components)
    {
        // BER packs the first two arcs into one number: the first is 0..2, the second < 40 below 2.
        return components.Length >= 2
            && components.Length <= MaxLength
            && components[0] <= 2
            && (components[0] == 2 || components[1] < 40)
            && (components[0] < 2 || components[1] <= uint.MaxValue - 80);
    }

    private static void Validate(uint[] components)
    {
        if (!IsValid(components))
        {
            throw new ArgumentException(
                "An object identifier needs 2 to 128 arcs, a first arc of 0..2 and a second arc below 40.",
                nameof(components));
        }
    }
}
