namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>
/// Deterministic structure-aware mutations of SNMP packets: bit flips, inserted and deleted bytes,
/// lying lengths, truncation, duplicated TLVs and splices with another seed.
/// </summary>
internal sealed class FuzzMutator
{
    private static readonly byte[][] s_lengthLies =
    {
        new byte[] { 0x84, 0xFF, 0xFF, 0xFF, 0xFF }, new byte[] { 0x80 }, new byte[] { 0x84, 0x7F, 0xFF, 0xFF, 0xFF },
        new byte[] { 0x84, 0x80, 0x00, 0x00, 0x00 }, new byte[] { 0x83, 0xFF, 0xFF, 0xFF }, new byte[] { 0x81, 0xFF },
        new byte[] { 0xFF }, new byte[] { 0x00 }, new byte[] { 0x7F }, new byte[] { 0x82, 0x00, 0x00 },
        new byte[] { 0x88, 0, 0, 0, 0, 0, 0, 0, 1 }, new byte[] { 0x81, 0x00 },
    };

    private static readonly byte[] s_interesting = { 0x00, 0x01, 0x7F, 0x80, 0x81, 0xFF, 0x30, 0x06, 0x02, 0xA4 };

    private readonly Random _random;
    private readonly IReadOnlyList<byte[]> _seeds;

    public FuzzMutator(int seed, IReadOnlyList<byte[]> seeds)
    {
        _random = new Random(seed);
        _seeds = seeds;
    }

    /// <summary>One to three stacked mutations of a randomly chosen seed.</summary>
    public byte[] Next()
    {
        var data = _seeds[_random.Next(_seeds.Count)];
        var rounds = 1 + _random.Next(3);
        for (var i = 0; i < rounds; i++)
        {
            data = MutateOnce(data);
        }

        return data;
    }

    private byte[] MutateOnce(byte[] data)
    {
        if (data.Length == 0)
        {
            return new[] { (byte)_random.Next(256) };
        }

        return _random.Next(9) switch
        {
            0 => FlipBits(data),
            1 => Insert(data, _random.Next(data.Length + 1), new[] { (byte)_random.Next(256) }),
            2 => Replace(data, _random.Next(data.Length), 1, Array.Empty<byte>()),
            3 => LieAboutLength(data),
            4 => data[.._random.Next(data.Length)],
            5 => DuplicateTlv(data),
            6 => Replace(data, _random.Next(data.Length), 1, Interesting()),
            7 => Splice(data),
            _ => RemoveTlv(data),
        };
    }

    private byte[] Interesting() => new[] { s_interesting[_random.Next(s_interesting.Length)] };

    private byte[] FlipBits(byte[] data)
    {
        var copy = (byte[])data.Clone();
        var flips = 1 + _random.Next(4);
        for (var i = 0; i < flips; i++)
        {
            copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
        }

        return copy;
    }

    private byte[] LieAboutLength(byte[] data)
    {
        var tlvs = FuzzTlv.Scan(data);
        if (tlvs.Count == 0)
        {
            return FlipBits(data);
        }

        var tlv = tlvs[_random.Next(tlvs.Count)];
        var lie = s_lengthLies[_random.Next(s_lengthLies.Length)];
        return Replace(data, tlv.LengthOffset, tlv.ContentOffset - tlv.LengthOffset, lie);
    }

    private byte[] DuplicateTlv(byte[] data)
    {
        var tlvs = FuzzTlv.Scan(data);
        if (tlvs.Count == 0)
        {
            return Insert(data, 0, data);
        }

        var tlv = tlvs[_random.Next(tlvs.Count)];
        var copies = _random.Next(4) == 0 ? 1 + _random.Next(50) : 1;
        var bytes = data[tlv.TagOffset..tlv.End];
        var repeated = Enumerable.Repeat(bytes, copies).SelectMany(b => b).ToArray();
        return Insert(data, tlv.End, repeated);
    }

    private byte[] RemoveTlv(byte[] data)
    {
        var tlvs = FuzzTlv.Scan(data);
        if (tlvs.Count == 0)
        {
            return data;
        }

        var tlv = tlvs[_random.Next(tlvs.Count)];
        return Replace(data, tlv.TagOffset, tlv.End - tlv.TagOffset, Array.Empty<byte>());
    }

    private byte[] Splice(byte[] data)
    {
        var other = _seeds[_random.Next(_seeds.Count)];
        var cut = _random.Next(data.Length + 1);
        var from = other.Length == 0 ? 0 : _random.Next(other.Length);
        return data[..cut].Concat(other[from..]).ToArray();
    }

    private static byte[] Insert(byte[] data, int at, byte[] bytes) => Replace(data, at, 0, bytes);

    private static byte[] Replace(byte[] data, int at, int count, byte[] bytes)
    {
        var result = new byte[data.Length - count + bytes.Length];
        Buffer.BlockCopy(data, 0, result, 0, at);
        Buffer.BlockCopy(bytes, 0, result, at, bytes.Length);
        Buffer.BlockCopy(data, at + count, result, at + bytes.Length, data.Length - at - count);
        return result;
    }
}

/// <summary>A tolerant scan of the TLVs in a packet, descending into constructed values and PDUs.</summary>
internal readonly record struct FuzzTlv(int TagOffset, int LengthOffset, int ContentOffset, int End)
{
    public static List<FuzzTlv> Scan(byte[] data)
    {
        var found = new List<FuzzTlv>();
        Scan(data, 0, data.Length, found, 0);
        return found;
    }

    private static void Scan(byte[] data, int position, int end, List<FuzzTlv> found, int depth)
    {
        while (position + 2 <= end && depth < 16)
        {
            var tag = data[position];
            var (length, contentOffset) = ReadLength(data, position + 1, end);
            if (length < 0 || contentOffset + length > end)
            {
                return;
            }

            found.Add(new FuzzTlv(position, position + 1, contentOffset, contentOffset + length));
            if (tag == 0x30 || (tag >= 0xA0 && tag <= 0xA8) || tag == 0x04)
            {
                Scan(data, contentOffset, contentOffset + length, found, depth + 1);
            }

            position = contentOffset + length;
        }
    }

    private static (int Length, int ContentOffset) ReadLength(byte[] data, int position, int end)
    {
        var first = data[position];
        if (first < 0x80)
        {
            return (first, position + 1);
        }

        var count = first & 0x7F;
        if (count == 0 || count > 3 || position + 1 + count > end)
        {
            return (-1, 0);
        }

        var length = 0;
        for (var i = 1; i <= count; i++)
        {
            length = (length << 8) | data[position + i];
        }

        return (length, position + 1 + count);
    }
}
