using System.Text;
using IoTAdmin.Engine.Tests.Support;

namespace IoTAdmin.Engine.Tests.Discovery;

/// <summary>Pulls recorded SSDP datagrams and UPnP descriptions out of the shared captures.</summary>
internal static class RecordedCaptures
{
    /// <summary>The payload of the first packet in a pcap file that contains <paramref name="marker"/>.</summary>
    public static byte[] SsdpDatagram(string pcapFile, string marker)
    {
        var data = SharedData.ReadBytes("pcap", "ndpi", pcapFile);
        var littleEndian = BitConverter.ToUInt32(data, 0) is 0xa1b2c3d4 or 0xa1b23c4d;
        for (var offset = 24; offset + 16 <= data.Length;)
        {
            var length = (int)ReadUInt32(data, offset + 8, littleEndian);
            var packet = data.AsSpan(offset + 16, length).ToArray();
            offset += 16 + length;

            var text = Encoding.Latin1.GetString(packet);
            var start = StartOfSsdp(text);
            if (text.Contains(marker, StringComparison.Ordinal) && start >= 0)
            {
                return packet.Skip(start).ToArray();
            }
        }

        throw new InvalidOperationException($"No packet with '{marker}' in {pcapFile}.");
    }

    /// <summary>
    /// The description XML recorded in a pywemo VCR cassette: the body of the first response that
    /// holds a &lt;device&gt;, decoded from YAML's double-quoted string form.
    /// </summary>
    public static byte[] CassetteDescription(string cassette)
    {
        var lines = SharedData.ReadText("upnp", "pywemo-vcr", cassette).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (!trimmed.StartsWith("string: \"", StringComparison.Ordinal))
            {
                continue;
            }

            var xml = YamlDoubleQuoted(lines, i, trimmed.Substring("string: ".Length));
            if (xml.Contains("<device>", StringComparison.Ordinal))
            {
                return Encoding.UTF8.GetBytes(xml);
            }
        }

        throw new InvalidOperationException($"No device description in {cassette}.");
    }

    private static int StartOfSsdp(string text)
    {
        var starts = new[] { "HTTP/1.1 200", "NOTIFY * " }.Select(s => text.IndexOf(s, StringComparison.Ordinal));
        return starts.Where(s => s >= 0).DefaultIfEmpty(-1).Min();
    }

    private static uint ReadUInt32(byte[] data, int offset, bool littleEndian)
    {
        var bytes = data.AsSpan(offset, 4).ToArray();
        if (littleEndian != BitConverter.IsLittleEndian)
        {
            Array.Reverse(bytes);
        }

        return BitConverter.ToUInt32(bytes, 0);
    }

    /// <summary>Decodes a YAML double-quoted scalar that may span lines (folding and escapes).</summary>
    private static string YamlDoubleQuoted(string[] lines, int first, string opening)
    {
        var text = new StringBuilder();
        var source = opening.Substring(1);
        for (var i = first; i < lines.Length; i++)
        {
            if (i > first)
            {
                source = lines[i].TrimStart();
            }

            var line = source.TrimEnd('\r');
            var joinWithoutSpace = false;
            for (var c = 0; c < line.Length; c++)
            {
                if (line[c] == '"')
                {
                    return text.ToString();
                }

                if (line[c] != '\\')
                {
                    text.Append(line[c]);
                    continue;
                }

                if (c == line.Length - 1)
                {
                    joinWithoutSpace = true;
                    break;
                }

                c++;
                c += AppendEscape(text, line, c);
            }

            if (!joinWithoutSpace)
            {
                text.Append(' ');
            }
        }

        throw new InvalidOperationException("Unterminated YAML string.");
    }

    private static int AppendEscape(StringBuilder text, string line, int at)
    {
        switch (line[at])
        {
            case 'n':
                text.Append('\n');
                return 0;
            case 't':
                text.Append('\t');
                return 0;
            case 'r':
                text.Append('\r');
                return 0;
            case 'u':
                text.Append((char)Convert.ToInt32(line.Substring(at + 1, 4), 16));
                return 4;
            default:
                text.Append(line[at]);
                return 0;
        }
    }
}
