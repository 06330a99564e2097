using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace IoTAdmin.Engine.Baseline.DataFiles;

/// <summary>
/// Reads the data-only subset of the PowerShell language that .psd1 files use, without running
/// anything: hashtables <c>@{ }</c>, arrays <c>@( )</c> and comma lists, single- and double-quoted
/// strings (no variables or subexpressions), here-strings, whole and decimal numbers,
/// <c>$true</c>, <c>$false</c>, <c>$null</c> and comments. Anything else (a command, a variable, a
/// type cast) is an error naming line and column, so a baseline file can never execute code.
/// Hashtables become case-insensitive <see cref="DataTable"/>s, arrays <see cref="List{T}"/>s.
/// </summary>
public sealed class DataFileReader
{
    /// <summary>Largest accepted file, in characters; baselines are a few kilobytes.</summary>
    public const int MaxLength = 4 * 1024 * 1024;

    /// <summary>Deepest nesting of hashtables and arrays.</summary>
    public const int MaxDepth = 32;

    private readonly string _text;
    private readonly string _source;
    private int _position;
    private int _depth;

    private DataFileReader(string text, string source)
    {
        _text = text;
        _source = source;
    }

    /// <summary>Parses a whole file whose top level is one hashtable.</summary>
    /// <exception cref="DataFileException">The text is not a data-only hashtable.</exception>
    public static DataTable ReadHashtable(string text, string source)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        var reader = new DataFileReader(text.Length > 0 && text[0] == '\uFEFF' ? text.Substring(1) : text, source);
        if (reader._text.Length > MaxLength)
        {
            throw new DataFileException($"{source}: the file is larger than {MaxLength} characters.");
        }

        reader.SkipBlank(true);
        if (!reader.LookingAt("@{"))
        {
            throw reader.Error("the file must hold one hashtable, starting with @{");
        }

        var table = reader.ReadTable();
        reader.SkipBlank(true);
        if (reader._position < reader._text.Length)
        {
            throw reader.Error("nothing may follow the hashtable");
        }

        return table;
    }

    private object? ReadValue()
    {
        var first = ReadSingle();
        SkipBlank(false);
        if (Peek() != ',')
        {
            return first;
        }

        // A comma list: 22, 2222 is an array just like @(22, 2222).
        var items = new List<object?> { first };
        while (Peek() == ',')
        {
            _position++;
            SkipBlank(true);
            items.Add(ReadSingle());
            SkipBlank(false);
        }

        return items;
    }

    private object? ReadSingle()
    {
        var c = Peek();
        if (LookingAt("@{"))
        {
            return ReadTable();
        }

        if (LookingAt("@("))
        {
            return ReadArray();
        }

        if (LookingAt("@'") || LookingAt("@\""))
        {
            return ReadHereString();
        }

        return c switch
        {
            '\'' => ReadSingleQuoted(),
            '"' => ReadDoubleQuoted(),
            '$' => ReadConstant(),
            _ when char.IsDigit(c) || c == '-' || c == '+' || c == '.' => ReadNumber(),
            _ => throw Error(c == '\0' ? "a value is missing at the end" : $"'{c}' cannot start a value "
                + "(data files hold only strings, numbers, $true, $false, $null, @() and @{})"),
        };
    }

    private DataTable ReadTable()
    {
        Enter();
        _position += 2;
        var table = new DataTable();
        while (true)
        {
            SkipSeparators();
            if (Peek() == '}')
            {
                _position++;
                _depth--;
                return table;
            }

            var line = LineOf(_position);
            var key = ReadKey();
            SkipBlank(false);
            Expect('=', $"'=' after the key '{key}'");
            SkipBlank(true);
            if (table.ContainsKey(key))
            {
                throw Error($"the key '{key}' appears twice (line {line})");
            }

            table.Add(key, ReadValue());
            SkipBlank(false);
            if (Peek() == '\0')
            {
                throw Error("the hashtable is not closed with }");
            }

            if (Peek() != ';' && Peek() != '\n' && Peek() != '\r' && Peek() != '}')
            {
                throw Error($"expected a new line, ';' or '}}' after the value of '{key}'");
            }
        }
    }

    private List<object?> ReadArray()
    {
        Enter();
        _position += 2;
        var items = new List<object?>();
        while (true)
        {
            SkipSeparators();
            if (Peek() == ')')
            {
                _position++;
                _depth--;
                return items;
            }

            // PowerShell flattens @(1, 2) and @(@(1, 2)) alike; so does this reader.
            var value = ReadValue();
            if (value is List<object?> list)
            {
                items.AddRange(list);
            }
            else
            {
                items.Add(value);
            }
        }
    }

    private string ReadKey()
    {
        var c = Peek();
        if (c == '\'')
        {
            return ReadSingleQuoted();
        }

        if (c == '"')
        {
            return ReadDoubleQuoted();
        }

        var start = _position;
        while (_position < _text.Length && IsKeyChar(_text[_position]))
        {
            _position++;
        }

        if (_position == start)
        {
            throw Error(c == '\0' ? "the hashtable is not closed with }" : $"'{c}' cannot start a key");
        }

        return _text.Substring(start, _position - start);
    }

    private string ReadSingleQuoted()
    {
        _position++;
        var value = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error("a quoted string is not closed");
            }

            var c = _text[_position++];
            if (IsSingleQuote(c))
            {
                if (_position < _text.Length && IsSingleQuote(_text[_position]))
                {
                    value.Append('\'');
                    _position++;
                    continue;
                }

                return value.ToString();
            }

            value.Append(c);
        }
    }

    private string ReadDoubleQuoted()
    {
        _position++;
        var value = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error("a quoted string is not closed");
            }

            var c = _text[_position++];
            if (c == '"')
            {
                if (Peek() == '"')
                {
                    value.Append('"');
                    _position++;
                    continue;
                }

                return value.ToString();
            }

            if (c == '$' && _position < _text.Length && (char.IsLetter(Peek()) || "{(_:".IndexOf(Peek()) >= 0))
            {
                // Expansion would run code or read variables; a data file must not do either.
                _position--;
                throw Error("double-quoted strings may not expand variables or subexpressions; use single quotes");
            }

            value.Append(c == '`' ? Escape() : c);
        }
    }

    private char Escape()
    {
        if (_position >= _text.Length)
        {
            throw Error("a quoted string is not closed");
        }

        var c = _text[_position++];
        return c switch
        {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '0' => '\0',
            _ => c,
        };
    }

    private string ReadHereString()
    {
        var quote = _text[_position + 1];
        var open = _text.IndexOf('\n', _position);
        if (open < 0 || _text.Substring(_position + 2, open - _position - 2).Trim().Length > 0)
        {
            throw Error("a here-string must start with @' or @\" at the end of a line");
        }

        var terminator = "\n" + quote + "@";
        var close = _text.IndexOf(terminator, open, StringComparison.Ordinal);
        if (close < 0)
        {
            throw Error("a here-string is not closed with " + quote + "@ at the start of a line");
        }

        var body = _text.Substring(open + 1, close - open - 1).TrimEnd('\r');
        if (quote == '"' && body.IndexOf('$') >= 0)
        {
            throw Error("double-quoted here-strings may not contain $; use @' '@");
        }

        _position = close + terminator.Length;
        return body.Replace("\r\n", "\n");
    }

    private object? ReadConstant()
    {
        var start = _position;
        _position++;
        while (_position < _text.Length && char.IsLetterOrDigit(_text[_position]))
        {
            _position++;
        }

        var word = _text.Substring(start, _position - start);
        switch (word.ToLowerInvariant())
        {
            case "$true":
                return true;
            case "$false":
                return false;
            case "$null":
                return null;
            default:
                _position = start;
                throw Error($"'{word}' is a variable; data files allow only $true, $false and $null");
        }
    }

    private object ReadNumber()
    {
        var start = _position;
        _position++;
        while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '.'))
        {
            _position++;
        }

        var token = _text.Substring(start, _position - start);
        if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var small))
        {
            return small;
        }

        if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var large))
        {
            return large;
        }

        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return real;
        }

        _position = start;
        throw Error($"'{token}' is not a number");
    }

    private void SkipSeparators()
    {
        SkipBlank(true);
        while (Peek() == ';')
        {
            _position++;
            SkipBlank(true);
        }
    }

    /// <summary>Skips spaces and comments, and line breaks too when <paramref name="newLines"/> is set.</summary>
    private void SkipBlank(bool newLines)
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c == ' ' || c == '\t' || ((c == '\r' || c == '\n') && newLines))
            {
                _position++;
            }
            else if (c == '`' && IsLineBreak(_position + 1))
            {
                // A backtick at the end of a line continues the statement on the next one.
                _position += 2;
            }
            else if (LookingAt("<#"))
            {
                var end = _text.IndexOf("#>", _position + 2, StringComparison.Ordinal);
                _position = end < 0 ? throw Error("a <# comment is not closed with #>") : end + 2;
            }
            else if (c == '#')
            {
                while (_position < _text.Length && _text[_position] != '\n' && _text[_position] != '\r')
                {
                    _position++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"hashtables and arrays are nested deeper than {MaxDepth}");
        }
    }

    private void Expect(char c, string what)
    {
        if (Peek() != c)
        {
            throw Error($"expected {what}");
        }

        _position++;
    }

    private bool IsLineBreak(int position) =>
        position < _text.Length && (_text[position] == '\n' || _text[position] == '\r');

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private bool LookingAt(string token) => string.CompareOrdinal(_text, _position, token, 0, token.Length) == 0;

    private static bool IsKeyChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.';

    private static bool IsSingleQuote(char c) => c == '\'' || c == '\u2018' || c == '\u2019';

    private int LineOf(int position)
    {
        var line = 1;
        for (var i = 0; i < position && i < _text.Length; i++)
        {
            line += _text[i] == '\n' ? 1 : 0;
        }

        return line;
    }

    private DataFileException Error(string message)
    {
        var line = LineOf(_position);
        var lineStart = _position == 0 ? 0 : _text.LastIndexOf('\n', Math.Min(_position, _text.Length) - 1) + 1;
        var column = _position - lineStart + 1;
        return new DataFileException($"{_source} line {line}, column {column}: {message}.");
    }
}

/// <summary>A data file that is not valid data-only PowerShell, or not a valid baseline.</summary>
public sealed class DataFileException : Exception
{
    public DataFileException(string message)
        : base(message)
    {
    }

    public DataFileException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>A hashtable read from a data file: keys compared case-insensitively, in file order.</summary>
public sealed class DataTable : Dictionary<string, object?>
{
    private readonly List<string> _order = new List<string>();

    public DataTable()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }

    /// <summary>The keys in the order the file wrote them.</summary>
    public IReadOnlyList<string> KeysInOrder => _order;

    public new void Add(string key, object? value)
    {
        base.Add(key, value);
        _order.Add(key);
    }
}
