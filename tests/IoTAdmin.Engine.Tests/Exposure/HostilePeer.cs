using System.Net;
using System.Net.Sockets;

namespace IoTAdmin.Engine.Tests.Exposure;

/// <summary>
/// A scripted TCP peer on 127.0.0.1 playing a fault no packaged daemon shows on demand: a tarpit
/// that accepts and never speaks, an endless banner, garbage in answer to anything, an HTTP head
/// cut short, a TLS server refusing every hello.
/// </summary>
internal sealed class HostilePeer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private HostilePeer(Func<NetworkStream, CancellationToken, Task> behaviour)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _loop = AcceptLoopAsync(behaviour);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Accepts and holds the connection without a byte.</summary>
    public static HostilePeer Tarpit() => new(async (_, token) => await Task.Delay(Timeout.Infinite, token));

    /// <summary>Says it is an SSH server, then never sends its key exchange offer.</summary>
    public static HostilePeer SshHelloThenSilence() => new(async (stream, token) =>
    {
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes("SSH-2.0-Mute_1.0\r\n"), token);
        await Task.Delay(Timeout.Infinite, token);
    });

    /// <summary>Sends a banner line without end, 1 KiB at a time.</summary>
    public static HostilePeer EndlessBanner() => new(async (stream, token) =>
    {
        var chunk = Enumerable.Repeat((byte)'A', 1024).ToArray();
        while (!token.IsCancellationRequested)
        {
            await stream.WriteAsync(chunk, token);
        }
    });

    /// <summary>Waits for the client to speak, then answers with pseudo-random bytes and hangs on.</summary>
    public static HostilePeer Garbage() => new(async (stream, token) =>
    {
        var buffer = new byte[4096];
        await stream.ReadAtLeastAsync(buffer, 1, throwOnEndOfStream: false, token);
        var garbage = Enumerable.Range(0, 3000).Select(i => (byte)(i * 31 % 253 + 1)).ToArray();
        await stream.WriteAsync(garbage, token);
        await Task.Delay(Timeout.Infinite, token);
    });

    /// <summary>An HTTP status line followed by endless header lines.</summary>
    public static HostilePeer EndlessHeaders() => new(async (stream, token) =>
    {
        await stream.WriteAsync("HTTP/1.1 200 OK\r\n"u8.ToArray(), token);
        var header = System.Text.Encoding.ASCII.GetBytes("X-Filler: " + new string('a', 70) + "\r\n");
        while (!token.IsCancellationRequested)
        {
            await stream.WriteAsync(header, token);
        }
    });

    /// <summary>Waits for the request, sends the start of an HTTP head and stalls before its blank line.</summary>
    public static HostilePeer PartialHttpHead() => new(async (stream, token) =>
    {
        await ReadRequestAsync(stream, token);
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nServer: lighttpd/1.4.69\r\nContent-Ty"u8.ToArray(), token);
        await Task.Delay(Timeout.Infinite, token);
    });

    /// <summary>Waits for the request, sends the start of an HTTP head and hangs up inside it.</summary>
    public static HostilePeer PartialHttpHeadThenClose() => new(async (stream, token) =>
    {
        await ReadRequestAsync(stream, token);
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nServer: lighttpd/1.4.69\r\n"u8.ToArray(), token);
    });

    /// <summary>Answers every ClientHello with a fatal protocol_version alert and hangs up.</summary>
    public static HostilePeer AlertEveryHello() => new(async (stream, token) =>
    {
        await ReadRequestAsync(stream, token);
        await stream.WriteAsync(new byte[] { 0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46 }, token);
    });

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private static async Task ReadRequestAsync(NetworkStream stream, CancellationToken token) =>
        await stream.ReadAtLeastAsync(new byte[4096], 1, throwOnEndOfStream: false, token);

    private async Task AcceptLoopAsync(Func<NetworkStream, CancellationToken, Task> behaviour)
    {
        var sessions = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                sessions.Add(ServeAsync(client, behaviour));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException
            || ex is ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(sessions);
    }

    private async Task ServeAsync(TcpClient client, Func<NetworkStream, CancellationToken, Task> behaviour)
    {
        using (client)
        {
            try
            {
                await behaviour(client.GetStream(), _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is IOException
                || ex is SocketException || ex is ObjectDisposedException)
            {
                // The scanner hung up or the test ended.
            }
        }
    }
}
