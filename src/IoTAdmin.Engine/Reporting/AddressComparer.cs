using System;
using System.Collections.Generic;
using System.Globalization;

namespace IoTAdmin.Engine.Reporting;

/// <summary>
/// Orders IPv4 addresses numerically (10.0.0.9 before 10.0.0.10); anything else sorts after
/// them, by ordinal text.
/// </summary>
internal sealed class AddressComparer : IComparer<string>
{
    public static readonly AddressComparer Instance = new AddressComparer();

    public int Compare(string? x, string? y)
    {
        var left = ToNumber(x);
        var right = ToNumber(y);
        if (left.HasValue && right.HasValue)
        {
            return left.Value.CompareTo(right.Value);
        }

        if (left.HasValue != right.HasValue)
        {
            return left.HasValue ? -1 : 1;
        }

        return string.CompareOrdinal(x, y);
    }

    private static long? ToNumber(string? address)
    {
        var parts = address?.Split('.');
        if (parts is null || parts.Length != 4)
        {
            return null;
        }

        long value = 0;
        foreach (var part in parts)
        {
            if (!byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var octet))
            {
                return null;
            }

            value = (value << 8) | octet;
        }

        return value;
    }
}
