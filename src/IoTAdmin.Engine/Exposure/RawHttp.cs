using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Exposure;

/// <summary>Why a request got no usable answer.</summary>
public enum RawHttpFailure
{
    /// <summary>An answer was read.</summary>
    None,

    /// <summary>The deadline passed before the answer was complete (silent or stalled server).</summary>
    TimedOut,

    /// <summary>The server closed the connection without sending a byte.</summary>
    ClosedWithoutAnswer,

    /// <summary>The connection ended inside the head, before its closing blank line.</summary>
    EndedInsideHead,

    /// <summary>The bytes were not HTTP (no status line).</summary>
    NotHttp,

    /// <summary>Refused, reset or a failed TLS handshake.</summary>
    NetworkError,
}

/// <summary>An HTTP answer as read from the wire, cut to the engine's limits.</summary>
public sealed class RawHttpResponse
{
    public RawHttpResponse(string? error)
        : this(error is null ? RawHttpFailure.None : RawHttpFailure.NetworkError, error)
    {
    }

    public RawHttpResponse(RawHttpFailure failure, string? error)
    {
        Failure = failure;
        Error = error;
    }

    /// <summary>Why no answer was read (timeout, refused, not HTTP); null when one was.</summary>
    public string? Error { get; }

    public RawHttpFailure Failure { get; }

    public int StatusCode { get; set; }

    public string StatusLine { get; set; } = string.Empty;

    /// <summary>Header lines in order, names as sent; at most <see cref="RawHttp.MaxHeaders"/>.</summary>
    public List<KeyValuePair<string, string>> Headers { get; } = new List<KeyValuePair<string, string>>();

    /// <summary>The body as text, at most <see cref="RawHttp.MaxBodyBytes"/> bytes of it.</summary>
    public string Body { get; set; } = string.Empty;

    /// <summary>True when the head or the body was longer than the limits and was cut.</summary>
    public bool Truncated { get; set; }

    public bool Answered => Error is null;

    public string? Header(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }
}

/// <summary>
/// One HTTP/1.0 request over a fresh TCP (or TLS) connection, reading at most 16 KiB of head and
/// 64 KiB of body before a fixed deadline. Certificates are not checked: the TLS audit judges
/// them; here only the web server's behaviour matters.
/// </summary>
public static class RawHttp
{
    public const int MaxHeadBytes = 16384;
    public const int MaxBodyBytes = 65536;
    public const int MaxHeaders = 100;

    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static Task<RawHttpResponse> SendAsync(
        string host,
        int port,
        bool tls,
        string method,
        string path,
        TimeSpan timeout,
        CancellationToken cancellationToken) =>
        SendAsync(host, port, tls, method, path, null, null, timeout, cancellationToken);

    /// <summary>A request with extra header lines ("Name: value") and a UTF-8 body.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<RawHttpResponse> SendAsync(
        string host,
        int port,
        bool tls,
        string method,
        string path,
        IEnumerable<string>? headerLines,
        string? body,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = new ProbeDeadline(timeout, cancellationToken);
        using var client = new TcpClient { NoDelay = true };
        using var registration = deadline.Token.Register(client.Dispose);
        try
        {
            await client.ConnectAsync(host, port).ConfigureAwait(false);
            Stream stream = client.GetStream();
            if (tls)
            {
                stream = await StartTlsAsync(stream, host).ConfigureAwait(false);
            }

            var bytes = Request(host, port, method, path, headerLines, body);
            await stream.WriteAsync(bytes, 0, bytes.Length, deadline.Token).ConfigureAwait(false);
            var raw = await ReadAllAsync(stream, deadline.Token).ConfigureAwait(false);
            return Parse(raw.Data, raw.Count, raw.Truncated);
        }
        catch (Exception) when (deadline.HasExpired)
        {
            return new RawHttpResponse(RawHttpFailure.TimedOut,
                $"no complete HTTP answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsNetworkFault(ex))
        {
            return new RawHttpResponse(RawHttpFailure.NetworkError, ex.InnerException?.Message ?? ex.Message);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>
    /// Parses a raw answer; no bytes, anything that is not an HTTP status line, or a head the
    /// connection ended before its blank line (and before the head limit) gives an error response.
    /// </summary>
    public static RawHttpResponse Parse(byte[] data, int count, bool truncated)
    {
        if (count == 0)
        {
            return new RawHttpResponse(RawHttpFailure.ClosedWithoutAnswer, "the server closed without an answer");
        }

        var headEnd = IndexOfHeadEnd(data, count);
        var headLength = headEnd < 0 ? Math.Min(count, MaxHeadBytes) : headEnd;
        var head = Encoding.ASCII.GetString(data, 0, headLength);
        var lines = head.Split(new[] { "\r\n", "\n" }, StringSplitOptions.None);
        var status = lines[0].Split(' ');
        if (!lines[0].StartsWith("HTTP/", StringComparison.Ordinal) || status.Length < 2
            || !int.TryParse(status[1], out var code))
        {
            return new RawHttpResponse(RawHttpFailure.NotHttp, "the answer is not HTTP");
        }

        // A head cut by the size limit is still an answer; one the server stopped sending is not.
        if (headEnd < 0 && !truncated)
        {
            return new RawHttpResponse(RawHttpFailure.EndedInsideHead,
                $"the answer ended inside the HTTP head after {count} bytes");
        }

        var response = new RawHttpResponse(null) { StatusCode = code, StatusLine = Cut(lines[0], 200) };
        for (var index = 1; index < lines.Length && response.Headers.Count < MaxHeaders; index++)
        {
            var colon = lines[index].IndexOf(':');
            if (colon > 0)
            {
                var value = Cut(lines[index].Substring(colon + 1).Trim(), 1024);
                response.Headers.Add(new KeyValuePair<string, string>(lines[index].Substring(0, colon).Trim(), value));
            }
        }

        var bodyStart = headEnd < 0 ? count : headEnd + 4;
        response.Body = Encoding.UTF8.GetString(data, bodyStart, Math.Max(0, count - bodyStart));
        response.Truncated = truncated || headEnd < 0 || lines.Length > MaxHeaders + 1;
        return response;
    }

    private static byte[] Request(
        string host,
        int port,
        string method,
        string path,
        IEnumerable<string>? headerLines,
        string? body)
    {
        var content = body is null ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder($"{method} {path} HTTP/1.0\r\nHost: {host}:{port}\r\n");
        head.Append("User-Agent: IoTAdmin-Audit/1.0\r\nAccept: */*\r\nConnection: close\r\n");
        foreach (var line in headerLines ?? Array.Empty<string>())
        {
            head.Append(line).Append("\r\n");
        }

        if (body is not null)
        {
            head.Append("Content-Length: ").Append(content.Length).Append("\r\n");
        }

        var headBytes = Encoding.ASCII.GetBytes(head.Append("\r\n").ToString());
        var all = new byte[headBytes.Length + content.Length];
        Buffer.BlockCopy(headBytes, 0, all, 0, headBytes.Length);
        Buffer.BlockCopy(content, 0, all, headBytes.Length, content.Length);
        return all;
    }

    private static async Task<Stream> StartTlsAsync(Stream stream, string host)
    {
        var ssl = new SslStream(stream, false, (sender, certificate, chain, errors) => true);
        await ssl.AuthenticateAsClientAsync(host).ConfigureAwait(false);
        return ssl;
    }

    private static async Task<(byte[] Data, int Count, bool Truncated)> ReadAllAsync(
        Stream stream,
        CancellationToken token)
    {
        var limit = MaxHeadBytes + MaxBodyBytes;
        var buffer = new byte[limit];
        var count = 0;
        while (count < limit)
        {
            var read = await stream.ReadAsync(buffer, count, limit - count, token).ConfigureAwait(false);
            if (read <= 0)
            {
                return (buffer, count, false);
            }

            count += read;
            var headEnd = IndexOfHeadEnd(buffer, count);
            if (headEnd < 0 && count >= MaxHeadBytes)
            {
                return (buffer, count, true);
            }

            if (headEnd >= 0 && count - headEnd - 4 >= MaxBodyBytes)
            {
                return (buffer, count, true);
            }
        }

        return (buffer, count, true);
    }

    private static int IndexOfHeadEnd(byte[] data, int count)
    {
        for (var index = 0; index + 3 < count; index++)
        {
            if (data[index] == '\r' && data[index + 1] == '\n' && data[index + 2] == '\r' && data[index + 3] == '\n')
            {
                return index;
            }
        }

        return -1;
    }

    private static bool IsNetworkFault(Exception ex) =>
        ex is SocketException || ex is IOException || ex is ObjectDisposedException
        || ex is System.Security.Authentication.AuthenticationException;

    private static string Cut(string text, int length) => text.Length > length ? text.Substring(0, length) : text;
}
