using System;
using System.Collections.Generic;
using System.Text;

namespace IoTAdmin.Engine.Probes;

/// <summary>MQTT protocol versions the probe can speak.</summary>
public enum MqttProtocolVersion
{
    /// <summary>MQTT 3.1.1: protocol name "MQTT", level 4.</summary>
    V311,

    /// <summary>MQTT 3.1: protocol name "MQIsdp", level 3 (not 0x83, BR-27).</summary>
    V31,
}

/// <summary>Encodes CONNECT and DISCONNECT and decodes CONNACK (MQTT 3.1 / 3.1.1).</summary>
internal static class MqttPackets
{
    public const byte ConnAckType = 0x20;
    private const byte ConnectType = 0x10;
    private const byte CleanSessionFlag = 0x02;
    private const byte PasswordFlag = 0x40;
    private const byte UserNameFlag = 0x80;
    private const ushort KeepAliveSeconds = 30;

    public static readonly byte[] Disconnect = { 0xE0, 0x00 };

    public static byte[] BuildConnect(MqttProtocolVersion version, string clientId, string? userName, string? password)
    {
        var body = new List<byte>();
        AppendString(body, version == MqttProtocolVersion.V311 ? "MQTT" : "MQIsdp");
        body.Add(version == MqttProtocolVersion.V311 ? (byte)4 : (byte)3);
        var flags = CleanSessionFlag;
        if (userName is not null)
        {
            flags |= UserNameFlag;
            if (password is not null)
            {
                flags |= PasswordFlag;
            }
        }

        body.Add(flags);
        body.Add(KeepAliveSeconds >> 8);
        body.Add(KeepAliveSeconds & 0xFF);
        AppendString(body, clientId);
        if (userName is not null)
        {
            AppendString(body, userName);
            if (password is not null)
            {
                AppendString(body, password);
            }
        }

        var packet = new List<byte> { ConnectType };
        AppendRemainingLength(packet, body.Count);
        packet.AddRange(body);
        return packet.ToArray();
    }

    /// <summary>Reads a CONNACK (20 02 flags code) from the start of <paramref name="data"/>.</summary>
    /// <returns>False when the bytes are not (yet) a complete CONNACK.</returns>
    public static bool TryParseConnAck(byte[] data, int count, out int returnCode, out bool sessionPresent)
    {
        returnCode = -1;
        sessionPresent = false;
        if (count < 4 || data[0] != ConnAckType || data[1] != 2)
        {
            return false;
        }

        sessionPresent = (data[2] & 0x01) != 0;
        returnCode = data[3];
        return true;
    }

    /// <summary>The meaning of a CONNACK return code (MQTT 3.1.1 table 3.1).</summary>
    public static string DescribeReturnCode(int returnCode) => returnCode switch
    {
        0 => "connection accepted",
        1 => "unacceptable protocol version",
        2 => "identifier rejected",
        3 => "server unavailable",
        4 => "bad user name or password",
        5 => "not authorized",
        _ => $"unknown return code {returnCode}",
    };

    private static void AppendString(List<byte> target, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > ushort.MaxValue)
        {
            throw new ArgumentException("MQTT strings are at most 65535 bytes.", nameof(text));
        }

        target.Add((byte)(bytes.Length >> 8));
        target.Add((byte)(bytes.Length & 0xFF));
        target.AddRange(bytes);
    }

    private static void AppendRemainingLength(List<byte> target, int length)
    {
        do
        {
            var digit = (byte)(length % 128);
            length /= 128;
            target.Add(length > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (length > 0);
    }
}
