using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Discovery.Ssdp;

/// <summary>
/// Asks one device directly what UPnP devices and services it offers: an M-SEARCH sent to its own
/// address (UPnP Device Architecture 1.1 requires devices to answer unicast searches). Used when a
/// device is audited by address without multicast discovery.
/// </summary>
public static class SsdpUnicastSearch
{
    private const int SsdpPort = 1900;

    // Bounds what one device can make us read, whatever it sends.
    private const int MaxAnswers = 64;

    /// <summary>Returns the parsed answers that arrived from the device within the timeout.</summary>
    public static async Task<IReadOnlyList<SsdpResponse>> SearchAsync(
        IPAddress device,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Any, 0));
        var request = Encoding.ASCII.GetBytes(
            $"M-SEARCH * HTTP/1.1\r\nHOST: {device}:{SsdpPort}\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
            + "ST: ssdp:all\r\n\r\n");
        await socket.SendAsync(request, request.Length, new IPEndPoint(device, SsdpPort)).ConfigureAwait(false);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var answers = new List<SsdpResponse>();
        while (answers.Count < MaxAnswers)
        {
            var datagram = await ReceiveAsync(socket, deadline.Token).ConfigureAwait(false);
            if (datagram is null)
            {
                break;
            }

            AddIfFromDevice(answers, datagram.Value, device);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return answers;
    }

    private static async Task<UdpReceiveResult?> ReceiveAsync(UdpClient socket, CancellationToken deadline)
    {
        var receive = socket.ReceiveAsync();
        var expired = Task.Delay(Timeout.Infinite, deadline);
        if (await Task.WhenAny(receive, expired).ConfigureAwait(false) == expired)
        {
            // Disposing the socket ends the pending receive.
            return null;
        }

        try
        {
            return await receive.ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // An ICMP port unreachable arrives as an error: the device has no SSDP listener.
            return null;
        }
    }

    private static void AddIfFromDevice(List<SsdpResponse> answers, UdpReceiveResult datagram, IPAddress device)
    {
        if (!datagram.RemoteEndPoint.Address.Equals(device))
        {
            return;
        }

        try
        {
            answers.Add(SsdpResponseParser.Parse(datagram.Buffer));
        }
        catch (SsdpFormatException)
        {
            // A malformed answer is ignored like any other stray datagram.
        }
    }
}
