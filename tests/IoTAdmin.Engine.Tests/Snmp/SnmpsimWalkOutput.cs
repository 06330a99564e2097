using System.Diagnostics;
using System.Globalization;
using System.Text;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>How a net-snmp walk ended.</summary>
public enum SnmpsimWalkEnd
{
    /// <summary>The output simply stopped: the next OID left the subtree (or v1 "End of MIB").</summary>
    EndOfSubtree,

    /// <summary>"No more variables left in this MIB View": the agent answered endOfMibView.</summary>
    EndOfMibView,

    /// <summary>"Timeout: No Response from ...": the agent dropped a request.</summary>
    Timeout,
}

/// <summary>
/// Runs snmpwalk or snmpbulkwalk with -m "" -On -Oe -Ot and parses what it prints into (OID, type, bytes).
/// Without MIBs no DISPLAY-HINT applies, so every OCTET STRING is a quoted STRING (printable) or a
/// Hex-STRING; with -Ot a TimeTicks value is a bare number; "" alone is an empty string.
/// </summary>
public sealed class SnmpsimWalkOutput
{
    private static readonly (string Prefix, SnmpType Type)[] s_prefixes =
    {
        ("STRING: ", SnmpType.OctetString),
        ("Hex-STRING: ", SnmpType.OctetString),
        ("INTEGER: ", SnmpType.Integer),
        ("OID: ", SnmpType.ObjectIdentifier),
        ("IpAddress: ", SnmpType.IpAddress),
        ("Counter32: ", SnmpType.Counter32),
        ("Counter64: ", SnmpType.Counter64),
        ("Gauge32: ", SnmpType.Gauge32),
        ("Timeticks: ", SnmpType.TimeTicks),
        ("OPAQUE: ", SnmpType.Opaque),
    };

    private readonly string _text;
    private int _position;

    private SnmpsimWalkOutput(string text)
    {
        _text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>The variables in the order printed, each value in its <see cref="Canonical"/> form.</summary>
    public List<(ObjectIdentifier Oid, string Value)> Variables { get; } = new();

    public SnmpsimWalkEnd End { get; private set; } = SnmpsimWalkEnd.EndOfSubtree;

    /// <summary>Runs a net-snmp walk tool; a timeout is an outcome, not a failure.</summary>
    public static SnmpsimWalkOutput Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["LC_ALL"] = "C";
        foreach (var argument in new[] { "-m", string.Empty, "-On", "-Oe", "-Ot" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60000))
        {
            process.Kill(true);
            throw new TimeoutException($"{tool} did not finish within 60 s.");
        }

        var parsed = Parse(output.Result);
        if (error.Result.Contains("Timeout: No Response", StringComparison.Ordinal))
        {
            parsed.End = SnmpsimWalkEnd.Timeout;
        }
        else if (process.ExitCode != 0 || error.Result.Trim().Length > 0)
        {
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {error.Result}");
        }

        return parsed;
    }

    /// <summary>Parses the whole output of one walk.</summary>
    public static SnmpsimWalkOutput Parse(string text)
    {
        var output = new SnmpsimWalkOutput(text);
        output.ParseAll();
        return output;
    }

    /// <summary>
    /// One comparable form for a value, whichever way it was printed or sent: the type, then the number,
    /// dotted OID or the bytes in hex (so text-versus-hex choices cannot matter).
    /// </summary>
    public static string Canonical(SnmpValue value) => value.Type switch
    {
        SnmpType.Integer => Format(value.Type, value.ToInt64().ToString(CultureInfo.InvariantCulture)),
        SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks or SnmpType.Counter64 =>
            Format(value.Type, value.ToUInt64().ToString(CultureInfo.InvariantCulture)),
        SnmpType.ObjectIdentifier => Format(value.Type, value.ToOid().ToString()),
        _ => Format(value.Type, Convert.ToHexString(value.Data)),
    };

    private static string Format(SnmpType type, string value) => $"{type}:{value}";

    private void ParseAll()
    {
        while (_position < _text.Length)
        {
            var line = PeekLine();
            if (line.Length == 0)
            {
                _position++;
            }
            else if (line.StartsWith(".", StringComparison.Ordinal))
            {
                ParseVariable();
            }
            else if (line.StartsWith("End of MIB", StringComparison.Ordinal))
            {
                SkipLine();
            }
            else
            {
                throw Error($"an unexpected line '{line}'");
            }
        }
    }

    private void ParseVariable()
    {
        var separator = _text.IndexOf(" = ", _position, StringComparison.Ordinal);
        var lineEnd = LineEnd(_position);
        if (separator < 0 || separator > lineEnd)
        {
            throw Error("a variable line without ' = '");
        }

        var oid = ObjectIdentifier.Parse(_text[_position..separator]);
        _position = separator + 3;
        var value = ParseValue();
        if (value is not null)
        {
            Variables.Add((oid, value));
        }
    }

    private string? ParseValue()
    {
        var rest = PeekLine();
        if (rest.StartsWith("No more variables left in this MIB View", StringComparison.Ordinal))
        {
            End = SnmpsimWalkEnd.EndOfMibView;
            SkipLine();
            return null;
        }

        if (rest.StartsWith("No Such ", StringComparison.Ordinal)
            || rest.StartsWith("Opaque: ", StringComparison.Ordinal))
        {
            throw Error($"a value this parser does not compare: '{rest}'");
        }

        if (rest == "NULL")
        {
            SkipLine();
            return Format(SnmpType.Null, string.Empty);
        }

        if (rest.StartsWith("\"", StringComparison.Ordinal))
        {
            return Format(SnmpType.OctetString, Convert.ToHexString(ReadQuoted()));
        }

        foreach (var (prefix, type) in s_prefixes)
        {
            if (rest.StartsWith(prefix, StringComparison.Ordinal))
            {
                _position += prefix.Length;
                return prefix == "STRING: " ? Format(type, Convert.ToHexString(ReadQuoted())) : ReadTyped(type);
            }
        }

        // -Ot prints TimeTicks as a bare number.
        return ReadTyped(SnmpType.TimeTicks);
    }

    private string ReadTyped(SnmpType type)
    {
        var text = type is SnmpType.OctetString or SnmpType.Opaque ? ReadHexLines() : ReadLine();
        switch (type)
        {
            case SnmpType.OctetString:
            case SnmpType.Opaque:
                return Format(type, text);
            case SnmpType.ObjectIdentifier:
                return Format(type, ObjectIdentifier.Parse(text).ToString());
            case SnmpType.IpAddress:
                return Format(type, Convert.ToHexString(System.Net.IPAddress.Parse(text).GetAddressBytes()));
            case SnmpType.Integer:
                return Format(type, long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
                    .ToString(CultureInfo.InvariantCulture));
            default:
                return Format(type, ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)
                    .ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A quoted STRING, which may span lines; net-snmp escapes only backslash and double quote.</summary>
    private byte[] ReadQuoted()
    {
        if (_text[_position] != '"')
        {
            throw Error("a STRING without its opening quote");
        }

        var bytes = new List<byte>();
        for (_position++; _position < _text.Length; _position++)
        {
            var c = _text[_position];
            if (c == '"')
            {
                _position++;
                RequireLineEnd();
                return bytes.ToArray();
            }

            if (c == '\\' && _position + 1 < _text.Length)
            {
                c = _text[++_position];
            }

            bytes.AddRange(Encoding.Latin1.GetBytes(new[] { c }));
        }

        throw Error("a STRING without its closing quote");
    }

    /// <summary>Hex pairs that net-snmp wraps onto following lines (16 bytes a line).</summary>
    private string ReadHexLines()
    {
        var hex = new StringBuilder(ReadLine());
        while (_position < _text.Length && IsHexContinuation(PeekLine()))
        {
            hex.Append(ReadLine());
        }

        var digits = hex.ToString().Replace(" ", string.Empty, StringComparison.Ordinal);
        Convert.FromHexString(digits);
        return digits.ToUpperInvariant();
    }

    private static bool IsHexContinuation(string line) =>
        line.Length > 0 && line.All(c => c == ' ' || Uri.IsHexDigit(c));

    private string PeekLine() => _text[_position..LineEnd(_position)];

    private string ReadLine()
    {
        var line = PeekLine();
        SkipLine();
        return line.Trim();
    }

    private void SkipLine() => _position = Math.Min(_text.Length, LineEnd(_position) + 1);

    private void RequireLineEnd()
    {
        if (_position < _text.Length && _text[_position] != '\n')
        {
            throw Error("text after a closing quote");
        }

        _position = Math.Min(_text.Length, _position + 1);
    }

    private int LineEnd(int from)
    {
        var end = _text.IndexOf('\n', from);
        return end < 0 ? _text.Length : end;
    }

    private FormatException Error(string what) =>
        new($"snmpwalk output has {what} at character {_position}: "
            + $"'{_text.Substring(_position, Math.Min(80, _text.Length - _position))}'");
}
