using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace IoTAdmin.Engine.Inventory.Lifecycle;

/// <summary>
/// Reads the regular files of a tar archive (ustar, with GNU long names and PAX path records, as
/// busybox and GNU tar write them) and hashes each, so a backup can be checked file by file against the
/// hashes the device computed. Links, directories and devices are listed by name only.
/// </summary>
public static class TarArchive
{
    private const int BlockSize = 512;

    /// <summary>SHA-256 (lower-case hex) of every regular file, by its path inside the archive.</summary>
    /// <exception cref="InvalidDataException">The archive is truncated or a header is damaged.</exception>
    public static IReadOnlyDictionary<string, string> HashFiles(Stream archive)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var header = new byte[BlockSize];
        string? longName = null;
        while (ReadBlock(archive, header))
        {
            if (header.All(b => b == 0))
            {
                return hashes;
            }

            VerifyChecksum(header);
            var size = ParseOctal(header, 124, 12);
            var type = (char)header[156];
            var content = ReadContent(archive, size);
            switch (type)
            {
                case 'L':
                    longName = Encoding.UTF8.GetString(content).TrimEnd('\0');
                    continue;
                case 'x':
                    longName = PaxPath(content) ?? longName;
                    continue;
                case '0':
                case '\0':
                case '7':
                    hashes[Normalize(longName ?? HeaderName(header))] = Hex(content);
                    break;
            }

            longName = null;
        }

        throw new InvalidDataException("The archive ends without its end-of-archive blocks; it is truncated.");
    }

    /// <summary>Lower-case hex SHA-256 of a byte array.</summary>
    public static string Hex(byte[] bytes)
    {
        using var sha = SHA256.Create();
        return string.Concat(sha.ComputeHash(bytes).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    /// <summary>Lower-case hex SHA-256 of a file, read as a stream.</summary>
    public static string HexOfFile(string path)
    {
        using var sha = SHA256.Create();
        using var stream = File.OpenRead(path);
        return string.Concat(sha.ComputeHash(stream).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    /// <summary>Archive paths as the device's sha256sum names them: no leading './' or '/'.</summary>
    public static string Normalize(string path)
    {
        var trimmed = path.StartsWith("./", StringComparison.Ordinal) ? path.Substring(2) : path;
        return trimmed.TrimStart('/');
    }

    private static bool ReadBlock(Stream stream, byte[] block)
    {
        var read = ReadFully(stream, block, block.Length);
        if (read == 0)
        {
            return false;
        }

        if (read < block.Length)
        {
            throw new InvalidDataException("The archive ends inside a header block; it is truncated.");
        }

        return true;
    }

    private static byte[] ReadContent(Stream stream, long size)
    {
        if (size < 0 || size > int.MaxValue)
        {
            throw new InvalidDataException($"An archive entry declares an impossible size ({size} bytes).");
        }

        var content = new byte[size];
        if (ReadFully(stream, content, (int)size) < size)
        {
            throw new InvalidDataException("The archive ends inside a file; it is truncated.");
        }

        var padding = (int)((BlockSize - (size % BlockSize)) % BlockSize);
        if (padding > 0 && ReadFully(stream, new byte[padding], padding) < padding)
        {
            throw new InvalidDataException("The archive ends inside a file's padding; it is truncated.");
        }

        return content;
    }

    private static int ReadFully(Stream stream, byte[] buffer, int count)
    {
        var total = 0;
        while (total < count)
        {
            var read = stream.Read(buffer, total, count - total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static void VerifyChecksum(byte[] header)
    {
        var expected = ParseOctal(header, 148, 8);
        long sum = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            sum += i >= 148 && i < 156 ? (byte)' ' : header[i];
        }

        if (sum != expected)
        {
            throw new InvalidDataException("An archive header fails its checksum; the archive is damaged.");
        }
    }

    private static long ParseOctal(byte[] header, int offset, int length)
    {
        var text = Encoding.ASCII.GetString(header, offset, length).Trim('\0', ' ');
        if (text.Length == 0)
        {
            return 0;
        }

        try
        {
            return Convert.ToInt64(text, 8);
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"An archive header holds '{text}' where an octal number belongs.");
        }
    }

    private static string HeaderName(byte[] header)
    {
        var name = Encoding.UTF8.GetString(header, 0, 100).TrimEnd('\0');
        var isUstar = Encoding.ASCII.GetString(header, 257, 5) == "ustar";
        var prefix = isUstar ? Encoding.UTF8.GetString(header, 345, 155).TrimEnd('\0') : string.Empty;
        return prefix.Length > 0 ? prefix + "/" + name : name;
    }

    private static string? PaxPath(byte[] content)
    {
        // PAX records are "<length> <key>=<value>\n".
        foreach (var record in Encoding.UTF8.GetString(content).Split('\n'))
        {
            var space = record.IndexOf(' ');
            if (space > 0 && record.Substring(space + 1).StartsWith("path=", StringComparison.Ordinal))
            {
                return record.Substring(space + 6);
            }
        }

        return null;
    }
}
