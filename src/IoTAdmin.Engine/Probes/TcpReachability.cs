using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Probes;

/// <summary>Whether a TCP port accepts a connection at all, before anything is sent to it.</summary>
internal static class TcpReachability
{
    /// <summary>
    /// Null when the port accepted a connection; else why not, and whether the host refused it (the port is
    /// closed: nothing listens) rather than leaving it unknown (no answer, no route: down or filtered).
    /// </summary>
    public static async Task<(string Reason, bool Refused)?> CheckAsync(string host, int port, TimeSpan timeout,
        CancellationToken ct)
    {
        using var deadline = new ProbeDeadline(timeout, ct);
        try
        {
            using var connection = await NetConnection.OpenAsync(host, port, deadline.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException)
        {
            deadline.ThrowIfCallerCancelled();
            return ($"no answer to a connection within {timeout.TotalSeconds:0.#} s: host down or port filtered",
                false);
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode == SocketError.ConnectionRefused
                ? ("connection refused: port closed", true)
                : (ex.Message, false);
        }
    }
}
