using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace IoTAdmin.Engine.Exposure;

/// <summary>
/// The names a certificate is valid for: dNSName and iPAddress entries of subjectAltName, read from
/// the DER directly because the platforms format the extension differently; the subject CN when
/// there is no subjectAltName (as old clients did).
/// </summary>
internal static class CertificateNames
{
    private const string SubjectAltNameOid = "2.5.29.17";

    public static IReadOnlyList<string> Read(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions.Cast<X509Extension>()
            .FirstOrDefault(e => e.Oid?.Value == SubjectAltNameOid);
        if (extension is null)
        {
            var common = certificate.GetNameInfo(X509NameType.SimpleName, false);
            return string.IsNullOrEmpty(common) ? Array.Empty<string>() : new[] { common };
        }

        return ParseGeneralNames(extension.RawData);
    }

    public static bool Matches(IReadOnlyList<string> names, string expected)
    {
        if (IPAddress.TryParse(expected, out var address))
        {
            return names.Any(n => IPAddress.TryParse(n, out var other) && other.Equals(address));
        }

        return names.Any(n => NameMatches(n, expected));
    }

    /// <summary>
    /// dNSName ([2]) and iPAddress ([7]) entries of a GeneralNames SEQUENCE; anything malformed ends the list.
    /// </summary>
    internal static IReadOnlyList<string> ParseGeneralNames(byte[] der)
    {
        var names = new List<string>();
        if (der.Length < 2 || der[0] != 0x30 || !TryLength(der, 1, out var length, out var position))
        {
            return names;
        }

        var end = Math.Min(der.Length, position + length);
        while (position < end && names.Count < 200)
        {
            var tag = der[position];
            if (!TryLength(der, position + 1, out var itemLength, out var content) || content + itemLength > end)
            {
                break;
            }

            if (tag == 0x82)
            {
                names.Add(Encoding.ASCII.GetString(der, content, itemLength));
            }
            else if (tag == 0x87 && (itemLength == 4 || itemLength == 16))
            {
                var bytes = new byte[itemLength];
                Buffer.BlockCopy(der, content, bytes, 0, itemLength);
                names.Add(new IPAddress(bytes).ToString());
            }

            position = content + itemLength;
        }

        return names;
    }

    private static bool TryLength(byte[] der, int offset, out int length, out int contentStart)
    {
        length = 0;
        contentStart = 0;
        if (offset >= der.Length)
        {
            return false;
        }

        var first = der[offset];
        if (first < 0x80)
        {
            length = first;
            contentStart = offset + 1;
            return true;
        }

        var octets = first & 0x7F;
        if (octets == 0 || octets > 3 || offset + octets >= der.Length)
        {
            return false;
        }

        for (var index = 1; index <= octets; index++)
        {
            length = (length << 8) | der[offset + index];
        }

        contentStart = offset + 1 + octets;
        return true;
    }

    // Exact match, or a left-most "*." wildcard standing for exactly one label.
    private static bool NameMatches(string pattern, string host)
    {
        if (string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return false;
        }

        var dot = host.IndexOf('.');
        return dot > 0 && string.Equals(pattern.Substring(1), host.Substring(dot), StringComparison.OrdinalIgnoreCase);
    }
}
