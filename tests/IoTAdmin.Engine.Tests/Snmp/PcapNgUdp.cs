using System.Buffers.Binary;
using IoTAdmin.Engine.Tests.Support;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>The UDP payloads of an Ethernet pcapng capture from tests/data/recordings, to replay.</summary>
internal static class PcapNgUdp
{
    public static IReadOnlyList<(int SourcePort, int DestinationPort, byte[] Payload)> Read(params string[] path)
    {
        var data = SharedData.ReadBytes(path);
        var payloads = new List<(int, int, byte[])>();
        for (var offset = 0; offset + 12 <= data.Length;)
        {
            var type = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset));
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 4));
            if (type == 6)
            {
                var captured = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 20));
                AddUdp(data.AsSpan(offset + 28, captured), payloads);
            }

            offset += length;
        }

        return payloads;
    }

    private static void AddUdp(ReadOnlySpan<byte> frame, List<(int, int, byte[])> payloads)
    {
        var ip = 14;
        var etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        if (etherType == 0x8100)
        {
            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
            ip = 18;
        }

        if (etherType != 0x0800 || frame[ip + 9] != 17)
        {
            return;
        }

        var udp = ip + ((frame[ip] & 0x0F) * 4);
        var source = BinaryPrimitives.ReadUInt16BigEndian(frame[udp..]);
        var destination = BinaryPrimitives.ReadUInt16BigEndian(frame[(udp + 2)..]);
        var udpLength = BinaryPrimitives.ReadUInt16BigEndian(frame[(udp + 4)..]);
        payloads.Add((source, destination, frame.Slice(udp + 8, udpLength - 8).ToArray()));
    }
}
