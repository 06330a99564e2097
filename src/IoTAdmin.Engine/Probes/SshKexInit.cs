using System;
using System.Collections.Generic;
using System.Text;

namespace IoTAdmin.Engine.Probes;

/// <summary>
/// The algorithm lists a server offers in its SSH_MSG_KEXINIT (RFC 4253 section 7.1). Readable
/// before any key agreement, so even a server we cannot negotiate with can be described (BR-01/02).
/// </summary>
public sealed class SshKexInit
{
    private const byte MessageNumber = 20;
    private const int CookieLength = 16;

    private SshKexInit(IReadOnlyList<string>[] lists)
    {
        KeyExchangeAlgorithms = lists[0];
        HostKeyAlgorithms = lists[1];
        Ciphers = lists[2];
        Macs = lists[4];
    }

    public IReadOnlyList<string> KeyExchangeAlgorithms { get; }

    public IReadOnlyList<string> HostKeyAlgorithms { get; }

    /// <summary>Client-to-server encryption algorithms.</summary>
    public IReadOnlyList<string> Ciphers { get; }

    /// <summary>Client-to-server MAC algorithms.</summary>
    public IReadOnlyList<string> Macs { get; }

    /// <summary>Parses an unencrypted binary packet (length, padding length, payload, padding).</summary>
    /// <returns>False when the bytes do not hold a complete KEXINIT packet.</returns>
    public static bool TryParsePacket(byte[] data, int offset, int count, out SshKexInit? kexInit)
    {
        kexInit = null;
        if (count < 6)
        {
            return false;
        }

        var packetLength = ReadUInt32(data, offset);
        if (packetLength < 2 || packetLength > 35000 || count < packetLength + 4)
        {
            return false;
        }

        var paddingLength = data[offset + 4];
        var payloadLength = (int)packetLength - paddingLength - 1;
        return payloadLength > 0 && TryParsePayload(data, offset + 5, payloadLength, out kexInit);
    }

    private static bool TryParsePayload(byte[] data, int offset, int length, out SshKexInit? kexInit)
    {
        kexInit = null;
        if (data[offset] != MessageNumber || length < 1 + CookieLength)
        {
            return false;
        }

        var position = offset + 1 + CookieLength;
        var end = offset + length;
        var lists = new IReadOnlyList<string>[5];
        for (var index = 0; index < lists.Length; index++)
        {
            if (position + 4 > end)
            {
                return false;
            }

            var nameListLength = (int)ReadUInt32(data, position);
            position += 4;
            if (nameListLength < 0 || position + nameListLength > end)
            {
                return false;
            }

            var text = Encoding.ASCII.GetString(data, position, nameListLength);
            lists[index] = text.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries);
            position += nameListLength;
        }

        kexInit = new SshKexInit(lists);
        return true;
    }

    private static uint ReadUInt32(byte[] data, int offset) =>
        (uint)(data[offset] << 24 | data[offset + 1] << 16 | data[offset + 2] << 8 | data[offset + 3]);
}
