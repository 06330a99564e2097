using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Probes;

/// <summary>What a TCP connect attempt found.</summary>
public enum PortState
{
    /// <summary>The connection was accepted.</summary>
    Open,

    /// <summary>The host answered with a reset: nothing listens there.</summary>
    Closed,

    /// <summary>No answer before the deadline: the port is filtered or the host is down.</summary>
    Timeout,

    /// <summary>The network or host is unreachable, or the name does not resolve.</summary>
    Unreachable,
}

/// <summary>Tells whether a TCP port accepts connections, distinguishing refused from silent.</summary>
public static class TcpPortProbe
{
    /// <summary>Connects once and closes again at once.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<PortState> ProbeAsync(
        string host,
        int port,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = new ProbeDeadline(timeout, cancellationToken);
        try
        {
            using var connection = await NetConnection.OpenAsync(host, port, deadline.Token).ConfigureAwait(false);
            return PortState.Open;
        }
        catch (OperationCanceledException)
        {
            deadline.ThrowIfCallerCancelled();
            return PortState.Timeout;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode == SocketError.ConnectionRefused ? PortState.Closed : PortState.Unreachable;
        }
    }
}
