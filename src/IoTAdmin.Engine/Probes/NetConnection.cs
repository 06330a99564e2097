using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Probes;

/// <summary>
/// A TCP connection whose connect, read and write honour a cancellation token on every runtime:
/// netstandard2.0 socket calls ignore tokens, so cancellation disposes the socket.
/// </summary>
internal sealed class NetConnection : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private NetConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="SocketException">The connection was refused or the host is unreachable.</exception>
    public static async Task<NetConnection> OpenAsync(string host, int port, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await RunCancellable(client, client.ConnectAsync(host, port), cancellationToken).ConfigureAwait(false);
            return new NetConnection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Reads what is available; 0 means the peer closed the connection.</summary>
    public Task<int> ReadAsync(byte[] buffer, CancellationToken cancellationToken) =>
        RunCancellable(_client, _stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken), cancellationToken);

    public Task WriteAsync(byte[] data, CancellationToken cancellationToken) =>
        RunCancellable(
            _client,
            WriteAndReturn(data, cancellationToken),
            cancellationToken);

    public void Dispose() => _client.Dispose();

    private async Task<int> WriteAndReturn(byte[] data, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(data, 0, data.Length, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        return data.Length;
    }

    private static async Task RunCancellable(TcpClient client, Task operation, CancellationToken cancellationToken)
    {
        await RunCancellable(client, AsInt(operation), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> AsInt(Task operation)
    {
        await operation.ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> RunCancellable(
        TcpClient client,
        Task<int> operation,
        CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(client.Dispose))
        {
            int result;
            try
            {
                result = await operation.ConfigureAwait(false);
            }
            catch (Exception ex) when (IsCancellation(ex, cancellationToken))
            {
                throw new OperationCanceledException(cancellationToken);
            }

            // Disposing a socket under a pending read can end the read with 0 bytes instead of an
            // exception; that is the deadline, not the peer closing.
            cancellationToken.ThrowIfCancellationRequested();
            return result;
        }
    }

    private static bool IsCancellation(Exception ex, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested
        && (ex is ObjectDisposedException || ex is SocketException || ex is IOException
            || ex is OperationCanceledException || ex is NullReferenceException);
}
