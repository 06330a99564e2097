using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Discovery;

/// <summary>
/// Receives datagrams with a deadline. A receive that outlives its wait is kept and handed to the
/// next call, so no datagram is swallowed by an abandoned receive.
/// </summary>
internal sealed class UdpReceiver
{
    private readonly UdpClient _client;
    private Task<UdpReceiveResult>? _pending;

    public UdpReceiver(UdpClient client)
    {
        _client = client;
    }

    /// <summary>One datagram, or null when the wait ends first or the socket reports an error.</summary>
    public async Task<UdpReceiveResult?> ReceiveAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var receive = _pending ??= _client.ReceiveAsync();
        if (!receive.IsCompleted)
        {
            var delay = Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, cancellationToken);
            await Task.WhenAny(receive, delay).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (!receive.IsCompleted)
            {
                return null;
            }
        }

        _pending = null;
        try
        {
            return await receive.ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // ICMP errors surface here on some platforms; they say nothing about other senders.
            return null;
        }
    }

    /// <summary>Observes a receive still pending when the socket is closed, so its fault goes unnoticed.</summary>
    public void Abandon()
    {
        _pending?.ContinueWith(t => t.Exception, TaskScheduler.Default);
        _pending = null;
    }
}
