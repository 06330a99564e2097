using System;
using System.Text;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>Lower-case hex and constant-time comparison of digests.</summary>
internal static class Hex
{
    public static string Encode(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            text.Append(b.ToString("x2"));
        }

        return text.ToString();
    }

    public static bool IsDigest(string? text)
    {
        if (text is null || text.Length != 64)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Compares two hex digests without leaking how much of them matched.</summary>
    public static bool FixedTimeEquals(string a, string b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        var difference = 0;
        for (var i = 0; i < a.Length; i++)
        {
            difference |= a[i] ^ b[i];
        }

        return difference == 0;
    }
}
