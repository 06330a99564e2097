using System;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Exposure;

/// <summary>
/// Reads what a service sends, bounded three ways: at most <see cref="MaxBytes"/>, never past a fixed
/// deadline, and it stops once the service has been quiet for a moment after speaking. A tarpit
/// that never speaks costs the deadline; an endless banner costs <see cref="MaxBytes"/>.
/// </summary>
internal static class BannerReader
{
    public const int MaxBytes = 4096;

    private static readonly TimeSpan s_quietAfterData = TimeSpan.FromMilliseconds(250);

    /// <summary>The bytes read (possibly none); the caller's cancellation escapes, the deadline does not.</summary>
    public static async Task<byte[]> ReadAsync(
        NetConnection connection,
        TimeSpan wait,
        Func<byte[], int, bool>? isComplete,
        CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBytes];
        var count = 0;
        using var deadline = new ProbeDeadline(wait, cancellationToken);
        try
        {
            while (count < buffer.Length)
            {
                var read = await ReadChunkAsync(connection, buffer, count, count > 0, deadline.Token)
                    .ConfigureAwait(false);
                if (read <= 0)
                {
                    break;
                }

                count += read;
                if (isComplete is not null && isComplete(buffer, count))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            deadline.ThrowIfCallerCancelled();
        }
        catch (Exception ex) when (ex is System.IO.IOException || ex is System.Net.Sockets.SocketException)
        {
            // A reset after the banner keeps what was read.
        }

        var result = new byte[count];
        Buffer.BlockCopy(buffer, 0, result, 0, count);
        return result;
    }

    private static async Task<int> ReadChunkAsync(
        NetConnection connection,
        byte[] buffer,
        int count,
        bool quietEnds,
        CancellationToken token)
    {
        var chunk = new byte[buffer.Length - count];
        if (!quietEnds)
        {
            var first = await connection.ReadAsync(chunk, token).ConfigureAwait(false);
            Buffer.BlockCopy(chunk, 0, buffer, count, Math.Max(first, 0));
            return first;
        }

        // After the first bytes a short silence means the service said what it had to say; the
        // read in flight is abandoned by disposing the connection's socket only on the deadline.
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(token);
        quiet.CancelAfter(s_quietAfterData);
        var read = connection.ReadAsync(chunk, quiet.Token);
        try
        {
            var got = await read.ConfigureAwait(false);
            Buffer.BlockCopy(chunk, 0, buffer, count, Math.Max(got, 0));
            return got;
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            return -1;
        }
    }
}
