using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Probes;

/// <summary>
/// Sends an MQTT CONNECT (clean session, random client id) and reads the CONNACK. Falls back to
/// MQTT 3.1 when a broker answers "unacceptable protocol version" or closes at once (BR-27), and
/// says goodbye with DISCONNECT.
/// </summary>
public static class MqttProbe
{
    private const string ClosedDetail = "the broker closed the connection without CONNACK";

    /// <summary>Connects with the given credentials, or anonymously when <paramref name="userName"/> is null.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<MqttConnectResult> ConnectAsync(
        string host,
        int port,
        string? userName,
        string? password,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var first = await ConnectOnceAsync(host, port, MqttProtocolVersion.V311, userName, password, timeout,
            cancellationToken).ConfigureAwait(false);
        var wantsOlderVersion = first.ReturnCode == 1
            || (first.ReturnCode is null && first.Detail == ClosedDetail);
        if (!wantsOlderVersion)
        {
            return first;
        }

        return await ConnectOnceAsync(host, port, MqttProtocolVersion.V31, userName, password, timeout,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One CONNECT with one protocol version, no fallback.</summary>
    internal static async Task<MqttConnectResult> ConnectOnceAsync(
        string host,
        int port,
        MqttProtocolVersion version,
        string? userName,
        string? password,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = new ProbeDeadline(timeout, cancellationToken);
        try
        {
            using var connection = await NetConnection.OpenAsync(host, port, deadline.Token).ConfigureAwait(false);
            var connect = MqttPackets.BuildConnect(version, NewClientId(), userName, password);
            await connection.WriteAsync(connect, deadline.Token).ConfigureAwait(false);
            var result = await ReadConnAckAsync(connection, version, deadline.Token).ConfigureAwait(false);
            if (result.ReturnCode == 0)
            {
                await connection.WriteAsync(MqttPackets.Disconnect, deadline.Token).ConfigureAwait(false);
            }

            return result;
        }
        catch (OperationCanceledException)
        {
            deadline.ThrowIfCallerCancelled();
            return new MqttConnectResult(LoginOutcome.Timeout, $"no CONNACK within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is SocketException || ex is System.IO.IOException)
        {
            return new MqttConnectResult(LoginOutcome.ConnectionFailed, ex.Message);
        }
    }

    private static async Task<MqttConnectResult> ReadConnAckAsync(
        NetConnection connection,
        MqttProtocolVersion version,
        CancellationToken cancellationToken)
    {
        var buffer = new byte[4];
        var count = 0;
        while (count < buffer.Length)
        {
            var chunk = new byte[buffer.Length - count];
            var read = await connection.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return new MqttConnectResult(LoginOutcome.ConnectionFailed, ClosedDetail);
            }

            Buffer.BlockCopy(chunk, 0, buffer, count, read);
            count += read;
        }

        if (!MqttPackets.TryParseConnAck(buffer, count, out var code, out _))
        {
            return new MqttConnectResult(LoginOutcome.ProtocolError, $"not a CONNACK (first byte 0x{buffer[0]:X2})");
        }

        var outcome = code switch
        {
            0 => LoginOutcome.Accepted,
            4 => LoginOutcome.Rejected,
            5 => LoginOutcome.Rejected,
            _ => LoginOutcome.ProtocolError,
        };
        return new MqttConnectResult(outcome, $"CONNACK {code}: {MqttPackets.DescribeReturnCode(code)}")
        {
            ReturnCode = code,
            Version = code == 1 ? null : version,
        };
    }

    private static string NewClientId() => "iotadmin-" + Guid.NewGuid().ToString("N").Substring(0, 8);
}
