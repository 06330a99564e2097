using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IoTAdmin.Engine.Tests.Discovery;

/// <summary>
/// A device emulated on a loopback address: answers every datagram it receives with the given
/// SSDP datagrams, sent from its own address as a real device would.
/// </summary>
internal sealed class SsdpResponderPeer : IDisposable
{
    private readonly UdpClient _socket;
    private readonly CancellationTokenSource _stop = new();

    public SsdpResponderPeer(IPAddress address, params string[] answers)
    {
        _socket = new UdpClient(new IPEndPoint(address, 0));
        Endpoint = (IPEndPoint)_socket.Client.LocalEndPoint!;
        _ = AnswerAsync(answers.Select(Encoding.ASCII.GetBytes).ToList());
    }

    public IPEndPoint Endpoint { get; }

    public int SearchesReceived { get; private set; }

    public static string Answer(string location, string server = "Linux/5.10 UPnP/1.0 TestDevice/1.0") =>
        "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nEXT:\r\n"
        + $"LOCATION: {location}\r\nSERVER: {server}\r\nST: upnp:rootdevice\r\n"
        + "USN: uuid:00000000-0000-0000-0000-000000000001::upnp:rootdevice\r\n\r\n";

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
    }

    private async Task AnswerAsync(IReadOnlyList<byte[]> answers)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var search = await _socket.ReceiveAsync(_stop.Token);
                SearchesReceived++;
                foreach (var answer in answers)
                {
                    await _socket.SendAsync(answer, search.RemoteEndPoint, _stop.Token);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}

/// <summary>
/// A misbehaving HTTP server: writes fixed raw bytes to every connection, or holds the connection
/// open without a word. Counts the connections it gets.
/// </summary>
internal sealed class RawHttpPeer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();

    public RawHttpPeer(IPAddress address, byte[]? response)
    {
        _listener = new TcpListener(address, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = ServeAsync(response);
    }

    public int Port { get; }

    public int Connections { get; private set; }

    public static byte[] Ok(string body, string extraHeaders = "") =>
        Encoding.UTF8.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n{extraHeaders}Connection: close\r\n\r\n{body}");

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task ServeAsync(byte[]? response)
    {
        var held = new List<TcpClient>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Connections++;
                if (response is null)
                {
                    held.Add(client);
                    continue;
                }

                using (client)
                {
                    await client.GetStream().WriteAsync(response, _stop.Token);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException
            or IOException)
        {
        }
        finally
        {
            held.ForEach(c => c.Dispose());
        }
    }
}
