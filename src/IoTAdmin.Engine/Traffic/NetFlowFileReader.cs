using System;
using System.IO;
using System.Net;

namespace IoTAdmin.Engine.Traffic;

/// <summary>
/// Feeds export datagrams from a file to a <see cref="NetFlowDecoder"/>: a classic pcap capture of the
/// collector port (tcpdump -w; Ethernet, raw IP, Linux cooked v1/v2 or loopback framing, IPv4 or IPv6 UDP),
/// an IPFIX file (RFC 5655: messages back to back) or a stream of NetFlow v5 datagrams back to back.
/// </summary>
/// <remarks>
/// pcapng is not read (convert with 'editcap -F pcap'); IP fragments are reported and skipped, so export
/// datagrams larger than the capture's MTU are lost with an error each.
/// </remarks>
public sealed class NetFlowFileReader
{
    private const int MaxPacket = 256 * 1024;
    private readonly string _name;
    private readonly NetFlowDecoder _decoder;
    private readonly IFlowSink _sink;

    public NetFlowFileReader(string name, NetFlowDecoder decoder, IFlowSink sink)
    {
        _name = name;
        _decoder = decoder;
        _sink = sink;
    }

    public void Read(Stream stream)
    {
        var head = new byte[4];
        if (ReadFully(stream, head, 0, 4) < 4)
        {
            _sink.Error(new FlowReadError(_name, "the file is shorter than any NetFlow, IPFIX or pcap header",
                string.Empty));
            return;
        }

        var magic = NetFlowDecoder.Read32(head, 0);
        switch (magic)
        {
            case 0xA1B2C3D4 or 0xD4C3B2A1 or 0xA1B23C4D or 0x4D3CB2A1:
                ReadPcap(stream, head);
                break;
            case 0x0A0D0D0A:
                _sink.Error(new FlowReadError(_name, "pcapng is not read; convert it with 'editcap -F pcap IN OUT'",
                    string.Empty));
                break;
            default:
                ReadMessages(stream, head);
                break;
        }

        _decoder.Finish();
    }

    private void ReadMessages(Stream stream, byte[] head)
    {
        var index = 0;
        var exporter = IPAddress.None;
        while (true)
        {
            index++;
            var version = NetFlowDecoder.Read16(head, 0);
            var length = version switch
            {
                10 => NetFlowDecoder.Read16(head, 2),
                5 => 24 + 48 * NetFlowDecoder.Read16(head, 2),
                _ => -1,
            };
            if (length < 16)
            {
                _sink.Error(new FlowReadError($"{_name} message {index}", version is 10 or 5
                    ? $"message length {length} is impossible; the rest of the file cannot be framed"
                    : $"version {version} at the start of a message: not an IPFIX file or v5 stream (NetFlow v9"
                      + " has no message length, so give it as a pcap capture)", string.Empty));
                return;
            }

            var message = new byte[length];
            Buffer.BlockCopy(head, 0, message, 0, 4);
            var got = ReadFully(stream, message, 4, length - 4) + 4;
            _decoder.Decode(exporter, message, 0, got, $"{_name} message {index}");
            if (got < length || ReadFully(stream, head, 0, 4) < 4)
            {
                return;
            }
        }
    }

    private void ReadPcap(Stream stream, byte[] head)
    {
        var rest = new byte[20];
        if (ReadFully(stream, rest, 0, 20) < 20)
        {
            _sink.Error(new FlowReadError(_name, "the pcap header is cut short", string.Empty));
            return;
        }

        var swapped = head[0] == 0xD4 || head[0] == 0x4D;
        var linkType = (int)Read32(rest, 16, swapped);
        var header = new byte[16];
        var buffer = new byte[MaxPacket];
        for (var index = 1; ReadFully(stream, header, 0, 16) == 16; index++)
        {
            var captured = (int)Math.Min(Read32(header, 8, swapped), int.MaxValue);
            var origin = $"{_name} packet {index}";
            if (captured > MaxPacket)
            {
                _sink.Error(new FlowReadError(origin, $"packet claims {captured} bytes; the capture is garbled from"
                    + " here and the rest is skipped", string.Empty));
                return;
            }

            var got = ReadFully(stream, buffer, 0, captured);
            if (got < captured)
            {
                _sink.Error(new FlowReadError(origin, "the last packet is cut short (capture interrupted)",
                    string.Empty));
                return;
            }

            Packet(buffer, captured, linkType, origin);
        }
    }

    private void Packet(byte[] frame, int length, int linkType, string origin)
    {
        var ip = linkType switch
        {
            1 => EthernetPayload(frame, length),
            101 or 12 or 14 or 228 or 229 => 0,
            113 => 16,
            276 => 20,
            0 or 108 => 4,
            _ => -1,
        };
        if (ip < 0)
        {
            _sink.Error(new FlowReadError(origin, $"link type {linkType} is not read", string.Empty));
            return;
        }

        if (ip >= length)
        {
            return;
        }

        var version = frame[ip] >> 4;
        if (version == 4)
        {
            Ipv4(frame, ip, length, origin);
        }
        else if (version == 6)
        {
            Ipv6(frame, ip, length, origin);
        }
    }

    private void Ipv4(byte[] frame, int ip, int length, string origin)
    {
        var headerLength = (frame[ip] & 0x0F) * 4;
        if (frame[ip + 9] != 17 || ip + headerLength + 8 > length)
        {
            return;
        }

        var fragment = NetFlowDecoder.Read16(frame, ip + 6);
        if ((fragment & 0x3FFF) != 0)
        {
            _sink.Error(new FlowReadError(origin, "an IP fragment of an export datagram; fragments are not"
                + " reassembled", string.Empty));
            return;
        }

        var exporter = new IPAddress(new[] { frame[ip + 12], frame[ip + 13], frame[ip + 14], frame[ip + 15] });
        Udp(frame, ip + headerLength, Math.Min(length, ip + NetFlowDecoder.Read16(frame, ip + 2)), exporter, origin);
    }

    private void Ipv6(byte[] frame, int ip, int length, string origin)
    {
        if (ip + 48 > length || frame[ip + 6] != 17)
        {
            return;
        }

        var source = new byte[16];
        Buffer.BlockCopy(frame, ip + 8, source, 0, 16);
        Udp(frame, ip + 40, length, new IPAddress(source), origin);
    }

    private void Udp(byte[] frame, int udp, int end, IPAddress exporter, string origin)
    {
        var udpLength = NetFlowDecoder.Read16(frame, udp + 4);
        var payloadEnd = Math.Min(end, udp + udpLength);
        if (payloadEnd - udp - 8 > 0)
        {
            _decoder.Decode(exporter, frame, udp + 8, payloadEnd - udp - 8, origin);
        }
    }

    private static int EthernetPayload(byte[] frame, int length)
    {
        var at = 12;
        while (at + 2 <= length)
        {
            var type = NetFlowDecoder.Read16(frame, at);
            if (type == 0x8100 || type == 0x88A8)
            {
                at += 4;
                continue;
            }

            return type == 0x0800 || type == 0x86DD ? at + 2 : length;
        }

        return length;
    }

    private static uint Read32(byte[] data, int at, bool swapped) => swapped
        ? (uint)(data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24))
        : NetFlowDecoder.Read32(data, at);

    private static int ReadFully(Stream stream, byte[] buffer, int offset, int count)
    {
        var total = 0;
        while (total < count)
        {
            var n = stream.Read(buffer, offset + total, count - total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
