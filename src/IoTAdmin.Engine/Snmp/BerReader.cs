using System;
using System.Collections.Generic;

namespace IoTAdmin.Engine.Snmp;

/// <summary>
/// Reads BER leniently (long-form lengths and non-minimal integers are accepted) but checks every
/// length against the buffer, so malformed input ends in <see cref="SnmpDecodeException"/>.
/// </summary>
public sealed class BerReader
{
    /// <summary>Deepest nesting of constructed values accepted; SNMP messages need about six.</summary>
    public const int MaxDepth = 12;

    private readonly byte[] _buffer;
    private readonly int _end;
    private readonly int _depth;
    private int _position;

    public BerReader(byte[] buffer)
        : this(buffer ?? throw new ArgumentNullException(nameof(buffer)), 0, buffer.Length, 0)
    {
    }

    private BerReader(byte[] buffer, int start, int end, int depth)
    {
        _buffer = buffer;
        _position = start;
        _end = end;
        _depth = depth;
    }

    public bool HasMore => _position < _end;

    public int Position => _position;

    public byte PeekTag()
    {
        RequireBytes(1, "a tag");
        return _buffer[_position];
    }

    /// <summary>Reads one tag and length and returns the tag and the bounds of the contents.</summary>
    public (byte Tag, int Offset, int Length) ReadHeader()
    {
        RequireBytes(1, "a tag");
        var tag = _buffer[_position];
        if ((tag & 0x1F) == 0x1F)
        {
            throw Error("multi-byte tags are not used by SNMP");
        }

        _position++;
        var length = ReadLength();
        if (length > _end - _position)
        {
            throw Error($"a length of {length} runs past the end of its container");
        }

        var offset = _position;
        _position += length;
        return (tag, offset, length);
    }

    /// <summary>
    /// Reads a primitive value (such as the OCTET STRING around msgSecurityParameters) and returns a
    /// reader over its contents, whose positions stay those of the whole buffer.
    /// </summary>
    internal BerReader ReadEncapsulated(byte expectedTag)
    {
        var start = _position;
        var (tag, offset, length) = ReadHeader();
        if (tag != expectedTag || _depth + 1 > MaxDepth)
        {
            throw new SnmpDecodeException($"Expected an encapsulating tag 0x{expectedTag:X2}", start);
        }

        return new BerReader(_buffer, offset, offset + length, _depth + 1);
    }

    /// <summary>Reads a constructed value with the given tag and returns a reader over its contents.</summary>
    public BerReader ReadConstructed(byte expectedTag)
    {
        var start = _position;
        var (tag, offset, length) = ReadHeader();
        if (tag != expectedTag)
        {
            throw new SnmpDecodeException($"Expected tag 0x{expectedTag:X2} but found 0x{tag:X2}", start);
        }

        if (_depth + 1 > MaxDepth)
        {
            throw new SnmpDecodeException($"Nesting deeper than {MaxDepth} levels", start);
        }

        return new BerReader(_buffer, offset, offset + length, _depth + 1);
    }

    public long ReadInteger()
    {
        var (offset, length) = ReadContents((byte)SnmpType.Integer);
        return DecodeSigned(_buffer, offset, length);
    }

    public byte[] ReadOctetString()
    {
        var (offset, length) = ReadContents((byte)SnmpType.OctetString);
        return Slice(offset, length);
    }

    public ObjectIdentifier ReadOid()
    {
        var (offset, length) = ReadContents((byte)SnmpType.ObjectIdentifier);
        return DecodeOid(_buffer, offset, length);
    }

    /// <summary>Reads any SMI value or exception value and checks that its contents fit its type.</summary>
    public SnmpValue ReadValue()
    {
        var start = _position;
        var (tag, offset, length) = ReadHeader();
        if (!SnmpTypes.IsDefined(tag))
        {
            throw new SnmpDecodeException($"Unknown value type 0x{tag:X2}", start);
        }

        var type = (SnmpType)tag;
        CheckValueLength(type, _buffer, offset, length);
        return new SnmpValue(type, Slice(offset, length));
    }

    /// <summary>Requires that nothing follows; trailing bytes inside a container mean a broken length.</summary>
    public void RequireEnd(string what)
    {
        if (HasMore)
        {
            throw Error($"unexpected bytes after the {what}");
        }
    }

    public static long DecodeSigned(byte[] buffer, int offset, int length)
    {
        if (length < 1 || length > 8)
        {
            throw new SnmpDecodeException($"An integer of {length} bytes is outside 1..8", offset);
        }

        long value = (sbyte)buffer[offset];
        for (var i = 1; i < length; i++)
        {
            value = (value << 8) | buffer[offset + i];
        }

        return value;
    }

    public static ulong DecodeUnsigned(byte[] buffer, int offset, int length, int maxBits)
    {
        var significant = length;
        var start = offset;
        while (significant > 1 && buffer[start] == 0)
        {
            start++;
            significant--;
        }

        if (length < 1 || significant * 8 > maxBits)
        {
            throw new SnmpDecodeException($"An unsigned value of {length} bytes does not fit {maxBits} bits", offset);
        }

        ulong value = 0;
        for (var i = 0; i < significant; i++)
        {
            value = (value << 8) | buffer[start + i];
        }

        return value;
    }

    public static ObjectIdentifier DecodeOid(byte[] buffer, int offset, int length)
    {
        if (length < 1)
        {
            throw new SnmpDecodeException("An empty object identifier", offset);
        }

        // Each sub-identifier ends with a byte whose top bit is clear; the first holds two arcs.
        var arcs = CountSubidentifiers(buffer, offset, length) + 1;
        if (arcs > ObjectIdentifier.MaxLength)
        {
            throw new SnmpDecodeException(
                $"An object identifier longer than {ObjectIdentifier.MaxLength} arcs", offset);
        }

        var components = new uint[arcs];
        var position = offset;
        var first = ReadBase128(buffer, ref position, offset + length);
        components[0] = first < 40 ? 0u : first < 80 ? 1u : 2u;
        components[1] = first - (components[0] * 40);
        for (var i = 2; i < arcs; i++)
        {
            components[i] = ReadBase128(buffer, ref position, offset + length);
        }

        if (position != offset + length)
        {
            throw new SnmpDecodeException("An object identifier arc is cut off", position);
        }

        return ObjectIdentifier.FromDecoded(components);
    }

    private static int CountSubidentifiers(byte[] buffer, int offset, int length)
    {
        var count = 0;
        for (var i = offset; i < offset + length; i++)
        {
            if ((buffer[i] & 0x80) == 0)
            {
                count++;
            }
        }

        return count;
    }

    private static uint ReadBase128(byte[] buffer, ref int position, int end)
    {
        ulong value = 0;
        for (var count = 0; ; count++)
        {
            if (position >= end)
            {
                throw new SnmpDecodeException("An object identifier arc is cut off", position);
            }

            var current = buffer[position++];
            value = (value << 7) | (uint)(current & 0x7F);
            if (count >= 5 || value > uint.MaxValue)
            {
                throw new SnmpDecodeException("An object identifier arc exceeds 32 bits", position);
            }

            if ((current & 0x80) == 0)
            {
                return (uint)value;
            }
        }
    }

    private static void CheckValueLength(SnmpType type, byte[] buffer, int offset, int length)
    {
        switch (type)
        {
            case SnmpType.Integer:
                DecodeSigned(buffer, offset, length);
                break;
            case SnmpType.Counter32:
            case SnmpType.Gauge32:
            case SnmpType.TimeTicks:
                DecodeUnsigned(buffer, offset, length, 32);
                break;
            case SnmpType.Counter64:
                DecodeUnsigned(buffer, offset, length, 64);
                break;
            case SnmpType.ObjectIdentifier:
                DecodeOid(buffer, offset, length);
                break;
            case SnmpType.IpAddress when length != 4:
                throw new SnmpDecodeException($"An IpAddress of {length} bytes instead of 4", offset);
            case SnmpType.Null:
            case SnmpType.NoSuchObject:
            case SnmpType.NoSuchInstance:
            case SnmpType.EndOfMibView:
                if (length != 0)
                {
                    throw new SnmpDecodeException($"A {type} value must be empty but has {length} bytes", offset);
                }

                break;
        }
    }

    private (int Offset, int Length) ReadContents(byte expectedTag)
    {
        var start = _position;
        var (tag, offset, length) = ReadHeader();
        if (tag != expectedTag)
        {
            throw new SnmpDecodeException($"Expected tag 0x{expectedTag:X2} but found 0x{tag:X2}", start);
        }

        return (offset, length);
    }

    private int ReadLength()
    {
        RequireBytes(1, "a length");
        var first = _buffer[_position++];
        if (first < 0x80)
        {
            return first;
        }

        var count = first & 0x7F;
        if (count == 0 || count > 4)
        {
            throw Error(count == 0 ? "indefinite lengths are not allowed" : "a length field longer than 4 bytes");
        }

        RequireBytes(count, "a long-form length");
        long length = 0;
        for (var i = 0; i < count; i++)
        {
            length = (length << 8) | _buffer[_position++];
        }

        if (length > int.MaxValue)
        {
            throw Error("a length beyond 2 GB");
        }

        return (int)length;
    }

    private void RequireBytes(int count, string what)
    {
        if (count > _end - _position)
        {
            throw Error($"the input ends inside {what}");
        }
    }

    private byte[] Slice(int offset, int length)
    {
        var copy = new byte[length];
        Buffer.BlockCopy(_buffer, offset, copy, 0, length);
        return copy;
    }

    private SnmpDecodeException Error(string reason) =>
        new SnmpDecodeException(char.ToUpperInvariant(reason[0]) + reason.Substring(1), _position);
}
