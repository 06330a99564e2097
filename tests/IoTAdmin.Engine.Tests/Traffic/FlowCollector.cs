using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Traffic;

namespace IoTAdmin.Engine.Tests.Traffic;

/// <summary>Keeps what the readers hand over, for assertions.</summary>
internal sealed class FlowCollector : IFlowSink
{
    public List<FlowRecord> Flows { get; } = new();

    public List<FlowReadError> Errors { get; } = new();

    public void Flow(FlowRecord flow) => Flows.Add(flow);

    public void Error(FlowReadError error) => Errors.Add(error);
}

/// <summary>Builds classic pcap files of Ethernet/IPv4 packets (TCP handshakes, UDP datagrams).</summary>
internal sealed class PcapBuilder
{
    private readonly MemoryStream _file = new();

    public PcapBuilder()
    {
        var writer = new BinaryWriter(_file);
        writer.Write(0xA1B2C3D4u);
        writer.Write((ushort)2);
        writer.Write((ushort)4);
        writer.Write(0);
        writer.Write(0u);
        writer.Write(65535u);
        writer.Write(1u);
    }

    public PcapBuilder Tcp(string source, string destination, int sourcePort, int destinationPort, byte flags,
        int second)
    {
        var tcp = new byte[20];
        Put16(tcp, 0, sourcePort);
        Put16(tcp, 2, destinationPort);
        tcp[12] = 5 << 4;
        tcp[13] = flags;
        Put16(tcp, 14, 65535);
        return Packet(source, destination, 6, tcp, second);
    }

    public PcapBuilder Udp(string source, string destination, int sourcePort, int destinationPort, byte[] payload,
        int second)
    {
        var udp = new byte[8 + payload.Length];
        Put16(udp, 0, sourcePort);
        Put16(udp, 2, destinationPort);
        Put16(udp, 4, udp.Length);
        payload.CopyTo(udp, 8);
        return Packet(source, destination, 17, udp, second);
    }

    public byte[] ToArray() => _file.ToArray();

    private PcapBuilder Packet(string source, string destination, byte protocol, byte[] transport, int second)
    {
        var frame = new byte[14 + 20 + transport.Length];
        frame[12] = 0x08;
        frame[14] = 0x45;
        Put16(frame, 16, 20 + transport.Length);
        frame[22] = 64;
        frame[23] = protocol;
        IPAddress.Parse(source).GetAddressBytes().CopyTo(frame, 26);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(frame, 30);
        transport.CopyTo(frame, 34);
        var writer = new BinaryWriter(_file);
        writer.Write(1_700_000_000 + second);
        writer.Write(0);
        writer.Write(frame.Length);
        writer.Write(frame.Length);
        writer.Write(frame);
        return this;
    }

    private static void Put16(byte[] data, int at, int value)
    {
        data[at] = (byte)(value >> 8);
        data[at + 1] = (byte)value;
    }
}

/// <summary>Debian's softflowd, run over a pcap file, exporting real NetFlow/IPFIX datagrams to us.</summary>
internal static class Softflowd
{
    public static List<byte[]> Export(byte[] pcap, int version)
    {
        Assert.True(File.Exists("/usr/sbin/softflowd"), "softflowd is missing: install the Debian package softflowd");
        var path = Path.Combine(Path.GetTempPath(), $"iotadmin-flows-{Guid.NewGuid():N}.pcap");
        File.WriteAllBytes(path, pcap);
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
        try
        {
            using var process = Process.Start(new ProcessStartInfo("/usr/sbin/softflowd",
                $"-r {path} -n 127.0.0.1:{port} -v {version} -d")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            Assert.True(process.WaitForExit(20_000), "softflowd did not finish reading its pcap");
            return Receive(socket);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<byte[]> Receive(UdpClient socket)
    {
        var datagrams = new List<byte[]>();
        socket.Client.ReceiveTimeout = 500;
        while (true)
        {
            try
            {
                IPEndPoint? from = null;
                datagrams.Add(socket.Receive(ref from));
            }
            catch (SocketException)
            {
                return datagrams;
            }
        }
    }
}
