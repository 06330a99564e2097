using System;
using System.IO;

namespace IoTAdmin.Engine.Snmp;

/// <summary>
/// Writes BER in its minimal (DER-style) form: short-form lengths below 128 and integers without
/// redundant leading bytes, because some agents ignore anything longer (field report BR-16).
/// </summary>
/// <remarks>
/// Values go straight into one growing buffer: a sweep or a walk encodes a message per request, so the
/// writer allocates no per-value arrays. The static Encode methods exist for callers that need the
/// contents of one value on their own (such as <see cref="SnmpValue"/>).
/// </remarks>
public sealed class BerWriter
{
    // Most requests fit; the stream doubles for the rest.
    private const int InitialCapacity = 256;

    private readonly MemoryStream _stream = new MemoryStream(InitialCapacity);

    public void WriteInteger(long value) => WriteInteger(SnmpType.Integer, value);

    public void WriteInteger(SnmpType tag, long value)
    {
        var length = SignedLength(value);
        _stream.WriteByte((byte)tag);
        WriteLength(length);
        for (var shift = (length - 1) * 8; shift >= 0; shift -= 8)
        {
            _stream.WriteByte((byte)(value >> shift));
        }
    }

    public void WriteUnsigned(SnmpType tag, ulong value)
    {
        var (length, leadingZero) = UnsignedLength(value);
        _stream.WriteByte((byte)tag);
        WriteLength(length);
        if (leadingZero)
        {
            _stream.WriteByte(0);
        }

        for (var shift = (length - (leadingZero ? 2 : 1)) * 8; shift >= 0; shift -= 8)
        {
            _stream.WriteByte((byte)(value >> shift));
        }
    }

    public void WriteOctetString(byte[] value) => WriteTlv((byte)SnmpType.OctetString, value);

    public void WriteNull() => WriteTlv((byte)SnmpType.Null, Array.Empty<byte>());

    public void WriteOid(ObjectIdentifier oid)
    {
        _stream.WriteByte((byte)SnmpType.ObjectIdentifier);
        WriteLength(OidLength(oid));
        WriteBase128(FirstSubidentifier(oid));
        for (var i = 2; i < oid.Length; i++)
        {
            WriteBase128(oid.Components[i]);
        }
    }

    public void WriteValue(SnmpValue value) => WriteTlv((byte)value.Type, value.RawData);

    /// <summary>Writes a constructed value (SEQUENCE or PDU) whose contents the callback writes.</summary>
    public void WriteConstructed(byte tag, Action<BerWriter> writeContents)
    {
        var lengthAt = BeginConstructed(tag);
        writeContents(this);
        EndConstructed(lengthAt);
    }

    /// <summary>
    /// Starts a constructed value and returns where its length goes; pass that to
    /// <see cref="EndConstructed"/> once the contents are written. Hot paths use this pair instead of
    /// <see cref="WriteConstructed"/> to spare a closure per variable binding.
    /// </summary>
    /// <remarks>
    /// The contents go behind a one-byte length, which is widened in place afterwards if needed: no
    /// buffer per nesting level.
    /// </remarks>
    public int BeginConstructed(byte tag)
    {
        _stream.WriteByte(tag);
        var lengthAt = (int)_stream.Position;
        _stream.WriteByte(0);
        return lengthAt;
    }

    /// <summary>Ends the constructed value whose length <see cref="BeginConstructed"/> put at
    /// <paramref name="lengthAt"/>.</summary>
    public void EndConstructed(int lengthAt)
    {
        var contentStart = lengthAt + 1;
        var length = (int)_stream.Position - contentStart;
        var lengthBytes = LengthFieldSize(length);
        var extra = lengthBytes - 1;
        if (extra > 0)
        {
            // Make room for a long-form length by moving the contents right (memmove semantics).
            _stream.SetLength(contentStart + length + extra);
            var moved = _stream.GetBuffer();
            Buffer.BlockCopy(moved, contentStart, moved, contentStart + extra, length);
        }

        WriteLengthField(_stream.GetBuffer(), lengthAt, length, lengthBytes);
        _stream.Position = contentStart + length + extra;
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
        var writer = new BerWriter();
        writer.WriteInteger(value);
        return writer.ContentsOfOnlyValue();
    }

    /// <summary>The minimal contents of an unsigned integer, with a leading zero when the top bit is set.</summary>
    public static byte[] EncodeUnsigned(ulong value)
    {
        var writer = new BerWriter();
        writer.WriteUnsigned(SnmpType.Counter64, value);
        return writer.ContentsOfOnlyValue();
    }

    public static byte[] EncodeOid(ObjectIdentifier oid)
    {
        var writer = new BerWriter();
        writer.WriteOid(oid);
        return writer.ContentsOfOnlyValue();
    }

    /// <summary>The contents of the one short value written so far, without its tag and length.</summary>
    private byte[] ContentsOfOnlyValue()
    {
        var buffer = _stream.GetBuffer();
        var headerSize = buffer[1] < 0x80 ? 2 : 2 + (buffer[1] & 0x7F);
        var contents = new byte[_stream.Length - headerSize];
        Buffer.BlockCopy(buffer, headerSize, contents, 0, contents.Length);
        return contents;
    }

    private static int SignedLength(long value)
    {
        var length = 1;
        while (length < 8 && (value < -(1L << ((8 * length) - 1)) || value >= 1L << ((8 * length) - 1)))
        {
            length++;
        }

        return length;
    }

    private static (int Length, bool LeadingZero) UnsignedLength(ulong value)
    {
        var significant = 1;
        while (significant < 8 && value >> (8 * significant) != 0)
        {
            significant++;
        }

        var leadingZero = ((value >> (8 * (significant - 1))) & 0x80) != 0;
        return (significant + (leadingZero ? 1 : 0), leadingZero);
    }

    // BER packs the first two arcs into one sub-identifier; ObjectIdentifier keeps it within 32 bits.
    private static uint FirstSubidentifier(ObjectIdentifier oid) => (oid.Components[0] * 40) + oid.Components[1];

    private static int OidLength(ObjectIdentifier oid)
    {
        var length = Base128Length(FirstSubidentifier(oid));
        for (var i = 2; i < oid.Length; i++)
        {
            length += Base128Length(oid.Components[i]);
        }

        return length;
    }

    private static int Base128Length(uint value)
    {
        var length = 1;
        for (value >>= 7; value != 0; value >>= 7)
        {
            length++;
        }

        return length;
    }

    private void WriteBase128(uint value)
    {
        for (var shift = 7 * (Base128Length(value) - 1); shift > 0; shift -= 7)
        {
            _stream.WriteByte((byte)(0x80 | ((value >> shift) & 0x7F)));
        }

        _stream.WriteByte((byte)(value & 0x7F));
    }

    private static int LengthFieldSize(int length) =>
        length < 0x80 ? 1 : length > 0xFFFFFF ? 5 : length > 0xFFFF ? 4 : length > 0xFF ? 3 : 2;

    private static void WriteLengthField(byte[] target, int at, int length, int size)
    {
        if (size == 1)
        {
            target[at] = (byte)length;
            return;
        }

        target[at] = (byte)(0x80 | (size - 1));
        for (var i = 1; i < size; i++)
        {
            target[at + size - i] = (byte)(length >> (8 * (i - 1)));
        }
    }

    private void WriteLength(int length)
    {
        if (length < 0x80)
        {
            _stream.WriteByte((byte)length);
            return;
        }

        var size = LengthFieldSize(length);
        _stream.WriteByte((byte)(0x80 | (size - 1)));
        for (var shift = (size - 2) * 8; shift >= 0; shift -= 8)
        {
            _stream.WriteByte((byte)(length >> shift));
        }
    }
}
