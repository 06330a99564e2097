using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace IoTAdmin.Engine.Discovery.Mdns;

/// <summary>
/// Reads DNS messages from untrusted datagrams. Every read is bounds-checked; name compression
/// pointers must point backwards and are followed at most <see cref="MaxPointerHops"/> times, so the
/// "zlip" pointer loops end in a <see cref="DnsFormatException"/> instead of spinning. A record whose
/// data is malformed is skipped with a warning; the rest of the message is kept.
/// </summary>
internal sealed class DnsMessageParser
{
    public const int MaxPointerHops = 16;

    private const int HeaderLength = 12;
    private const int MaxNameLength = 255;
    private const int MaxRecords = 512;

    private readonly byte[] _data;
    private int _position;

    private DnsMessageParser(byte[] data)
    {
        _data = data;
    }

    public static DnsMessage Parse(byte[] data)
    {
        if (data is null)
        {
            throw new ArgumentNullException(nameof(data));
        }

        return new DnsMessageParser(data).ReadMessage();
    }

    private DnsMessage ReadMessage()
    {
        if (_data.Length < HeaderLength)
        {
            throw new DnsFormatException($"Datagram of {_data.Length} bytes is shorter than a DNS header.");
        }

        var message = new DnsMessage { Id = ReadUInt16(), IsResponse = (ReadUInt16() & 0x8000) != 0 };
        var questionCount = ReadUInt16();
        var recordCount = ReadUInt16() + ReadUInt16() + ReadUInt16();
        if (questionCount + recordCount > MaxRecords)
        {
            throw new DnsFormatException($"Message claims {questionCount + recordCount} entries; too many.");
        }

        for (var i = 0; i < questionCount; i++)
        {
            var name = ReadName();
            message.Questions.Add(new DnsQuestion(name, ReadUInt16()));
            ReadUInt16();
        }

        for (var i = 0; i < recordCount; i++)
        {
            ReadRecordInto(message);
        }

        return message;
    }

    private void ReadRecordInto(DnsMessage message)
    {
        var name = ReadName();
        var type = ReadUInt16();
        var recordClass = (ushort)(ReadUInt16() & 0x7FFF);
        var ttl = ReadUInt32();
        var length = ReadUInt16();
        var dataStart = _position;
        var dataEnd = dataStart + length;
        if (dataEnd > _data.Length)
        {
            throw new DnsFormatException($"Record '{name}' claims {length} data bytes beyond the datagram.");
        }

        var record = new DnsRecord(name, type, recordClass, ttl);
        try
        {
            ReadRecordData(record, dataEnd);
            message.Records.Add(record);
        }
        catch (DnsFormatException ex)
        {
            message.Warnings.Add($"Record '{name}' (type {type}) skipped: {ex.Message}");
        }

        _position = dataEnd;
    }

    private void ReadRecordData(DnsRecord record, int dataEnd)
    {
        switch (record.Type)
        {
            case DnsRecordType.A:
                record.Address = new IPAddress(ReadBytes(4, dataEnd));
                break;
            case DnsRecordType.Aaaa:
                record.Address = new IPAddress(ReadBytes(16, dataEnd));
                break;
            case DnsRecordType.Ptr:
                record.Target = ReadName();
                break;
            case DnsRecordType.Srv:
                ReadBytes(4, dataEnd);
                record.Port = ReadUInt16();
                record.Target = ReadName();
                break;
            case DnsRecordType.Txt:
                ReadText(record, dataEnd);
                break;
        }

        if (_position > dataEnd)
        {
            throw new DnsFormatException("record data overruns its declared length");
        }
    }

    private void ReadText(DnsRecord record, int dataEnd)
    {
        while (_position < dataEnd)
        {
            var length = _data[_position++];
            var bytes = ReadBytes(length, dataEnd);
            if (bytes.Length > 0)
            {
                record.Text.Add(Encoding.UTF8.GetString(bytes));
            }
        }
    }

    private DnsName ReadName()
    {
        var labels = new List<string>();
        var nameLength = 0;
        var hops = 0;
        var cursor = _position;
        var resumeAt = -1;
        var lowestJumpTarget = _position;
        while (true)
        {
            var length = ByteAt(cursor);
            if (length == 0)
            {
                cursor++;
                break;
            }

            if ((length & 0xC0) == 0xC0)
            {
                var target = ((length & 0x3F) << 8) | ByteAt(cursor + 1);
                if (++hops > MaxPointerHops)
                {
                    throw new DnsFormatException("name has too many compression pointers");
                }

                // Only strictly backward jumps: a pointer to itself or ahead is how loops are built.
                if (target >= lowestJumpTarget || target < HeaderLength)
                {
                    throw new DnsFormatException($"compression pointer to offset {target} is not backwards");
                }

                if (resumeAt < 0)
                {
                    resumeAt = cursor + 2;
                }

                lowestJumpTarget = target;
                cursor = target;
                continue;
            }

            if ((length & 0xC0) != 0)
            {
                throw new DnsFormatException($"label length byte 0x{length:X2} uses reserved bits");
            }

            nameLength += length + 1;
            if (nameLength > MaxNameLength)
            {
                throw new DnsFormatException("name is longer than 255 bytes");
            }

            if (cursor + 1 + length > _data.Length)
            {
                throw new DnsFormatException("label runs past the end of the datagram");
            }

            labels.Add(Encoding.UTF8.GetString(_data, cursor + 1, length));
            cursor += 1 + length;
        }

        _position = resumeAt >= 0 ? resumeAt : cursor;
        return new DnsName(labels);
    }

    private byte ByteAt(int offset)
    {
        if (offset >= _data.Length)
        {
            throw new DnsFormatException("name runs past the end of the datagram");
        }

        return _data[offset];
    }

    private byte[] ReadBytes(int count, int limit)
    {
        if (_position + count > limit || _position + count > _data.Length)
        {
            throw new DnsFormatException($"needs {count} bytes at offset {_position}, past the end of the data");
        }

        var bytes = new byte[count];
        Buffer.BlockCopy(_data, _position, bytes, 0, count);
        _position += count;
        return bytes;
    }

    private ushort ReadUInt16()
    {
        var bytes = ReadBytes(2, _data.Length);
        return (ushort)((bytes[0] << 8) | bytes[1]);
    }

    private uint ReadUInt32()
    {
        var bytes = ReadBytes(4, _data.Length);
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }
}
