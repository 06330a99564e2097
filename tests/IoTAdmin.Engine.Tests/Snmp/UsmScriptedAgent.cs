using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>
/// A v3 responder on 127.0.0.1 whose answers a test scripts: discovery Reports, USM Reports with odd
/// flags (BR-12), spoofed and genuine Responses signed with our own USM code playing the agent.
/// </summary>
internal sealed class UsmScriptedAgent : IDisposable
{
    public static readonly byte[] EngineId = Hex.Parse("80001f8804 736372697074");

    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly Func<SnmpV3Message, IEnumerable<byte[]>> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<SnmpV3Message> _requests = new();
    private readonly Task _loop;

    public UsmScriptedAgent(Func<SnmpV3Message, IEnumerable<byte[]>> script)
    {
        _script = script;
        _loop = Task.Run(LoopAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.Client.LocalEndPoint!;

    public IReadOnlyList<SnmpV3Message> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>An unauthenticated Report carrying one usmStats counter, as agents send them.</summary>
    public static byte[] Report(
        SnmpV3Message request, string counterOid, int boots, int time, SnmpV3Flags flags = SnmpV3Flags.None)
    {
        var security = new UsmSecurityParameters(
            EngineId, boots, time, request.Security.UserName, Array.Empty<byte>(), Array.Empty<byte>());
        var counter = new SnmpVariable(
            ObjectIdentifier.Parse(counterOid), SnmpValue.FromUnsigned(SnmpType.Counter32, 1));
        var pdu = new SnmpPdu(SnmpPduType.Report, request.MessageId, 0, 0, new[] { counter });
        return new SnmpV3Message(
            request.MessageId, 65507, flags, security, EngineId, Array.Empty<byte>(), pdu).Encode();
    }

    /// <summary>A Response signed (and encrypted) as <paramref name="credential"/> would be by the agent.</summary>
    public static byte[] Respond(
        SnmpV3Message request, SnmpV3Credential credential, int boots, int time, string text)
    {
        var variable = new SnmpVariable(ObjectIdentifier.Parse("1.3.6.1.2.1.1.5.0"), SnmpValue.FromString(text));
        var pdu = SnmpPdu.Response(request.MessageId, SnmpErrorStatus.NoError, 0, new[] { variable });
        var session = new UsmSession(credential, EngineId, boots, time);
        return session.Encode(request.MessageId, pdu, UsmPrivacy.AesSalt(99));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
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

            var request = (SnmpV3Message)SnmpMessage.Decode(datagram.Buffer);
            lock (_requests)
            {
                _requests.Add(request);
            }

            foreach (var reply in _script(request))
            {
                await _socket.SendAsync(reply, datagram.RemoteEndPoint);
            }
        }
    }
}
