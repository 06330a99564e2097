using System;
using System.Collections.Generic;
using System.Text;

namespace IoTAdmin.Engine.Probes;

/// <summary>One challenge of a WWW-Authenticate header (RFC 7235), e.g. Basic or Digest.</summary>
public sealed class HttpAuthChallenge
{
    public HttpAuthChallenge(string scheme, IReadOnlyDictionary<string, string> parameters)
    {
        Scheme = scheme;
        Parameters = parameters;
    }

    /// <summary>The scheme as sent, e.g. "Basic", "Digest".</summary>
    public string Scheme { get; }

    /// <summary>Parameters with case-insensitive names and unquoted values.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    public string? Realm => Get("realm");

    public bool IsBasic => string.Equals(Scheme, "Basic", StringComparison.OrdinalIgnoreCase);

    public bool IsDigest => string.Equals(Scheme, "Digest", StringComparison.OrdinalIgnoreCase);

    public string? Get(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => Realm is null ? Scheme : $"{Scheme} realm=\"{Realm}\"";

    /// <summary>
    /// Parses one header value; a value can hold several challenges separated by commas, so a
    /// token followed by a space (not by '=') starts a new challenge.
    /// </summary>
    public static IReadOnlyList<HttpAuthChallenge> Parse(string headerValue)
    {
        var challenges = new List<HttpAuthChallenge>();
        var reader = new Reader(headerValue);
        string? scheme = null;
        var parameters = NewParameters();
        while (reader.SkipSeparators())
        {
            var token = reader.ReadToken();
            if (token.Length == 0)
            {
                reader.Skip();
                continue;
            }

            if (reader.TryConsume('='))
            {
                parameters[token] = reader.ReadValue();
                continue;
            }

            if (scheme is not null)
            {
                challenges.Add(new HttpAuthChallenge(scheme, parameters));
            }

            scheme = token;
            parameters = NewParameters();
            reader.SkipToken68();
        }

        if (scheme is not null)
        {
            challenges.Add(new HttpAuthChallenge(scheme, parameters));
        }

        return challenges;
    }

    private static Dictionary<string, string> NewParameters() =>
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    private sealed class Reader
    {
        private readonly string _text;
        private int _position;

        public Reader(string text)
        {
            _text = text;
        }

        public bool SkipSeparators()
        {
            while (_position < _text.Length && (_text[_position] == ',' || char.IsWhiteSpace(_text[_position])))
            {
                _position++;
            }

            return _position < _text.Length;
        }

        public void Skip() => _position++;

        public string ReadToken()
        {
            var start = _position;
            while (_position < _text.Length && IsTokenChar(_text[_position]))
            {
                _position++;
            }

            return _text.Substring(start, _position - start);
        }

        public bool TryConsume(char expected)
        {
            var probe = _position;
            while (probe < _text.Length && _text[probe] == ' ')
            {
                probe++;
            }

            if (probe < _text.Length && _text[probe] == expected)
            {
                _position = probe + 1;
                return true;
            }

            return false;
        }

        public string ReadValue()
        {
            while (_position < _text.Length && _text[_position] == ' ')
            {
                _position++;
            }

            return _position < _text.Length && _text[_position] == '"' ? ReadQuoted() : ReadToken();
        }

        /// <summary>Skips a token68 credential blob (e.g. "Negotiate abc=="), which has no name.</summary>
        public void SkipToken68()
        {
            var probe = _position;
            while (probe < _text.Length && _text[probe] == ' ')
            {
                probe++;
            }

            var start = probe;
            while (probe < _text.Length && (IsTokenChar(_text[probe]) || _text[probe] == '/'))
            {
                probe++;
            }

            var isParameterName = probe < _text.Length && _text[probe] == '=' && probe + 1 < _text.Length
                && _text[probe + 1] != '=' && _text[probe + 1] != ',';
            if (probe > start && !isParameterName)
            {
                while (probe < _text.Length && _text[probe] == '=')
                {
                    probe++;
                }

                _position = probe;
            }
        }

        private string ReadQuoted()
        {
            var value = new StringBuilder();
            _position++;
            while (_position < _text.Length && _text[_position] != '"')
            {
                if (_text[_position] == '\\' && _position + 1 < _text.Length)
                {
                    _position++;
                }

                value.Append(_text[_position]);
                _position++;
            }

            _position++;
            return value.ToString();
        }

        private static bool IsTokenChar(char c) =>
            char.IsLetterOrDigit(c) || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0;
    }
}
