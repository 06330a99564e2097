using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Probes;

/// <summary>A Telnet connection that negotiates options and collects the text a device prints.</summary>
internal sealed class TelnetSession : IDisposable
{
    private const int MaxTextLength = 16384;

    private readonly NetConnection _connection;
    private readonly TelnetNegotiator _negotiator = new TelnetNegotiator();
    private readonly StringBuilder _text = new StringBuilder();

    private TelnetSession(NetConnection connection)
    {
        _connection = connection;
    }

    public int NegotiationReplies => _negotiator.RepliesSent;

    /// <summary>Text received since the last <see cref="ClearText"/>, escape sequences removed.</summary>
    public string Text => AnsiText.Strip(_text.ToString());

    public bool Closed { get; private set; }

    public static async Task<TelnetSession> OpenAsync(string host, int port, CancellationToken cancellationToken)
    {
        var connection = await NetConnection.OpenAsync(host, port, cancellationToken).ConfigureAwait(false);
        return new TelnetSession(connection);
    }

    public void ClearText() => _text.Clear();

    /// <summary>
    /// Reads until one of the patterns matches the end of the text (prompts carry no newline) or
    /// the connection closes. Returns the index of the matching pattern, or -1 when closed.
    /// </summary>
    public async Task<int> WaitForAsync(IReadOnlyList<Regex> patterns, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        while (true)
        {
            var match = FindMatch(patterns);
            if (match >= 0)
            {
                return match;
            }

            var read = await _connection.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                Closed = true;
                return FindMatch(patterns);
            }

            await ConsumeAsync(buffer, read, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends one line with the NVT line end CR LF.</summary>
    public Task SendLineAsync(string line, CancellationToken cancellationToken) =>
        _connection.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), cancellationToken);

    public void Dispose() => _connection.Dispose();

    private int FindMatch(IReadOnlyList<Regex> patterns)
    {
        var text = Text;
        for (var index = 0; index < patterns.Count; index++)
        {
            if (patterns[index].IsMatch(text))
            {
                return index;
            }
        }

        return -1;
    }

    private async Task ConsumeAsync(byte[] buffer, int count, CancellationToken cancellationToken)
    {
        var data = new List<byte>(count);
        var replies = new List<byte>();
        _negotiator.Process(buffer, count, data, replies);
        if (replies.Count > 0)
        {
            await _connection.WriteAsync(replies.ToArray(), cancellationToken).ConfigureAwait(false);
        }

        // Latin-1 keeps one character per byte, whatever the device's code page.
        _text.Append(Encoding.GetEncoding("ISO-8859-1").GetString(data.ToArray()));
        if (_text.Length > MaxTextLength)
        {
            _text.Remove(0, _text.Length - MaxTextLength);
        }
    }
}
