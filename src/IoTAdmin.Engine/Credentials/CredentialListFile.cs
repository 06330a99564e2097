using System;
using System.Collections.Generic;
using System.IO;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Engine.Credentials;

/// <summary>
/// Reads an admin's credential list: CSV lines "user,password", an optional header "user,password"
/// (or username), # comments, double quotes for values with commas. Bad lines are errors naming the line,
/// never its content (it may hold a password).
/// </summary>
public static class CredentialListFile
{
    private const long MaxBytes = 4 * 1024 * 1024;

    /// <exception cref="InvalidDataException">A line is not user,password or the file is too large.</exception>
    public static IReadOnlyList<CredentialPair> Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"The credential list {path} does not exist.", path);
        }

        if (info.Length > MaxBytes)
        {
            throw new InvalidDataException($"{path} is larger than {MaxBytes} bytes; split it.");
        }

        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    public static IReadOnlyList<CredentialPair> Parse(TextReader reader, string name)
    {
        var pairs = new List<CredentialPair>();
        var number = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            var text = line.TrimEnd('\r');
            if (text.Trim().Length == 0 || text.TrimStart().StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = SplitCsv(text);
            if (fields is null || fields.Count != 2 || fields[0].Trim().Length == 0)
            {
                throw new InvalidDataException($"{name} line {number} is not 'user,password'.");
            }

            if (number == 1 && IsHeader(fields))
            {
                continue;
            }

            pairs.Add(new CredentialPair(fields[0].Trim(), fields[1]));
        }

        return pairs;
    }

    private static bool IsHeader(IReadOnlyList<string> fields) =>
        (fields[0].Equals("user", StringComparison.OrdinalIgnoreCase)
            || fields[0].Equals("username", StringComparison.OrdinalIgnoreCase))
        && fields[1].Equals("password", StringComparison.OrdinalIgnoreCase);

    /// <summary>RFC 4180 fields of one line, or null when a quote is not closed.</summary>
    private static List<string>? SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                current.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return quoted ? null : fields;
    }
}
