using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>One datagram a scripted agent sends back, optionally from a second socket (a wrong sender).</summary>
internal sealed record AgentReply(byte[] Bytes, bool FromOtherSocket = false);

/// <summary>
/// A real UDP responder on 127.0.0.1 whose answers a test scripts byte for byte, to replay the broken
/// agents of the field reports (BR-13, BR-14) and stray datagrams.
/// </summary>
internal sealed class ScriptedAgent : IDisposable
{
    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpClient _otherSocket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly Func<SnmpCommunityMessage, IEnumerable<AgentReply>> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<SnmpCommunityMessage> _requests = new();

    public ScriptedAgent(Func<SnmpCommunityMessage, IEnumerable<AgentReply>> script)
    {
        _script = script;
        _loop = Task.Run(LoopAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.Client.LocalEndPoint!;

    public IReadOnlyList<SnmpCommunityMessage> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>A Response to the request carrying the given error and bindings.</summary>
    public static byte[] Respond(
        SnmpCommunityMessage request,
        IEnumerable<SnmpVariable> variables,
        int errorStatus = 0,
        int? requestId = null)
    {
        var pdu = new SnmpPdu(SnmpPduType.Response, requestId ?? request.Pdu.RequestId, errorStatus, 0, variables);
        return new SnmpCommunityMessage(request.Version, request.Community, pdu).Encode();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _otherSocket.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await _socket.ReceiveAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var request = (SnmpCommunityMessage)SnmpMessage.Decode(datagram.Buffer);
            lock (_requests)
            {
                _requests.Add(request);
            }

            foreach (var reply in _script(request))
            {
                var socket = reply.FromOtherSocket ? _otherSocket : _socket;
                await socket.SendAsync(reply.Bytes, datagram.RemoteEndPoint);
            }
        }
    }
}
