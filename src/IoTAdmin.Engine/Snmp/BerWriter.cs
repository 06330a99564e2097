using System;
using System.Collections.Generic;
using System.IO;

namespace IoTAdmin.Engine.Snmp;

/// <summary>
/// Writes BER in its minimal (DER-style) form: short-form lengths below 128 and integers without
/// redundant leading bytes, because some agents ignore anything longer (field report BR-16).
/// </summary>
public sealed class BerWriter
{
    private readonly MemoryStream _stream = new MemoryStream();

    public void WriteInteger(long value) => WriteInteger(SnmpType.Integer, value);

    public void WriteInteger(SnmpType tag, long value) => WriteTlv((byte)tag, EncodeSigned(value));

    public void WriteUnsigned(SnmpType tag, ulong value) => WriteTlv((byte)tag, EncodeUnsigned(value));

    public void WriteOctetString(byte[] value) => WriteTlv((byte)SnmpType.OctetString, value);

    public void WriteNull() => WriteTlv((byte)SnmpType.Null, Array.Empty<byte>());

    public void WriteOid(ObjectIdentifier oid) => WriteTlv((byte)SnmpType.ObjectIdentifier, EncodeOid(oid));

    public void WriteValue(SnmpValue value) => WriteTlv((byte)value.Type, value.RawData);

    /// <summary>Writes a constructed value (SEQUENCE or PDU) whose contents the callback writes.</summary>
    /// <remarks>
    /// The contents go straight into this writer behind a one-byte length, which is widened in place
    /// afterwards if needed: no buffer per nesting level, as a message has one per variable binding.
    /// </remarks>
    public void WriteConstructed(byte tag, Action<BerWriter> writeContents)
    {
        _stream.WriteByte(tag);
        var lengthAt = (int)_stream.Position;
        _stream.WriteByte(0);
        var contentStart = (int)_stream.Position;
        writeContents(this);
        SetLength(lengthAt, contentStart, (int)_stream.Position - contentStart);
    }

    public void WriteTlv(byte tag, byte[] contents)
    {
        _stream.WriteByte(tag);
        WriteLength(contents.Length);
        _stream.Write(contents, 0, contents.Length);
    }

    /// <summary>Appends bytes that are already BER, such as an encoded scoped PDU.</summary>
    public void WriteEncoded(byte[] encoded) => _stream.Write(encoded, 0, encoded.Length);

    public byte[] ToArray() => _stream.ToArray();

    /// <summary>The minimal two's-complement contents of a signed integer.</summary>
    public static byte[] EncodeSigned(long value)
    {
        var bytes = new List<byte>(9);
        for (var shift = 56; shift > 0; shift -= 8)
        {
            var current = (byte)(value >> shift);
            var next = (byte)(value >> (shift - 8));
            var redundant = (current == 0x00 && (next & 0x80) == 0) || (current == 0xFF && (next & 0x80) != 0);
            if (bytes.Count > 0 || !redundant)
            {
                bytes.Add(current);
            }
        }

        bytes.Add((byte)value);
        return bytes.ToArray();
    }

    /// <summary>The minimal contents of an unsigned integer, with a leading zero when the top bit is set.</summary>
    public static byte[] EncodeUnsigned(ulong value)
    {
        var bytes = new List<byte>(9);
        for (var shift = 56; shift >= 0; shift -= 8)
        {
            var current = (byte)(value >> shift);
            if (bytes.Count > 0 || current != 0)
            {
                bytes.Add(current);
            }
        }

        if (bytes.Count == 0 || (bytes[0] & 0x80) != 0)
        {
            bytes.Insert(0, 0);
        }

        return bytes.ToArray();
    }

    public static byte[] EncodeOid(ObjectIdentifier oid)
    {
        var components = oid.Components;
        var bytes = new List<byte>(components.Count + 4);
        AppendBase128(bytes, (components[0] * 40) + components[1]);
        for (var i = 2; i < components.Count; i++)
        {
            AppendBase128(bytes, components[i]);
        }

        return bytes.ToArray();
    }

    private static void AppendBase128(List<byte> bytes, uint value)
    {
        var start = bytes.Count;
        bytes.Add((byte)(value & 0x7F));
        for (value >>= 7; value != 0; value >>= 7)
        {
            bytes.Insert(start, (byte)(0x80 | (value & 0x7F)));
        }
    }

    private void SetLength(int lengthAt, int contentStart, int length)
    {
        var end = contentStart + length;
        var lengthBytes = LengthBytes(length);
        var extra = lengthBytes.Length - 1;
        if (extra > 0)
        {
            // Make room for a long-form length by moving the contents right (memmove semantics).
            _stream.SetLength(end + extra);
            var moved = _stream.GetBuffer();
            Buffer.BlockCopy(moved, contentStart, moved, contentStart + extra, length);
        }

        Buffer.BlockCopy(lengthBytes, 0, _stream.GetBuffer(), lengthAt, lengthBytes.Length);
        _stream.Position = end + extra;
    }

    private static byte[] LengthBytes(int length)
    {
        if (length < 0x80)
        {
            return new[] { (byte)length };
        }

        var significant = length > 0xFFFFFF ? 4 : length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
        var bytes = new byte[significant + 1];
        bytes[0] = (byte)(0x80 | significant);
        for (var i = 0; i < significant; i++)
        {
            bytes[significant - i] = (byte)(length >> (8 * i));
        }

        return bytes;
    }

    private void WriteLength(int length)
    {
        if (length < 0x80)
        {
            _stream.WriteByte((byte)length);
            return;
        }

        var significant = length > 0xFFFFFF ? 4 : length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
        _stream.WriteByte((byte)(0x80 | significant));
        for (var shift = (significant - 1) * 8; shift >= 0; shift -= 8)
        {
            _stream.WriteByte((byte)(length >> shift));
        }
    }
}
