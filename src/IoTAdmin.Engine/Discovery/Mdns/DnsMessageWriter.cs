using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace IoTAdmin.Engine.Discovery.Mdns;

/// <summary>Writes the small DNS messages discovery sends (queries) and tests replay (responses).</summary>
internal sealed class DnsMessageWriter
{
    private readonly MemoryStream _buffer = new MemoryStream();

    /// <summary>A query for each (name, type) pair, without compression.</summary>
    public static byte[] Query(ushort id, IEnumerable<DnsQuestion> questions)
    {
        var list = new List<DnsQuestion>(questions);
        var writer = new DnsMessageWriter();
        writer.WriteHeader(id, flags: 0, list.Count, 0);
        foreach (var question in list)
        {
            writer.WriteName(question.Name);
            writer.WriteUInt16(question.Type);
            writer.WriteUInt16(1);
        }

        return writer._buffer.ToArray();
    }

    /// <summary>A response carrying the given records in the answer section.</summary>
    public static byte[] Response(IReadOnlyList<DnsRecord> records)
    {
        var writer = new DnsMessageWriter();
        writer.WriteHeader(0, flags: 0x8400, 0, records.Count);
        foreach (var record in records)
        {
            writer.WriteRecord(record);
        }

        return writer._buffer.ToArray();
    }

    private void WriteHeader(ushort id, ushort flags, int questions, int answers)
    {
        WriteUInt16(id);
        WriteUInt16(flags);
        WriteUInt16((ushort)questions);
        WriteUInt16((ushort)answers);
        WriteUInt16(0);
        WriteUInt16(0);
    }

    private void WriteRecord(DnsRecord record)
    {
        WriteName(record.Name);
        WriteUInt16(record.Type);
        WriteUInt16(record.Class);
        WriteUInt16((ushort)(record.Ttl >> 16));
        WriteUInt16((ushort)record.Ttl);

        var data = new DnsMessageWriter();
        data.WriteRecordData(record);
        var bytes = data._buffer.ToArray();
        WriteUInt16((ushort)bytes.Length);
        _buffer.Write(bytes, 0, bytes.Length);
    }

    private void WriteRecordData(DnsRecord record)
    {
        switch (record.Type)
        {
            case DnsRecordType.A:
            case DnsRecordType.Aaaa:
                var address = record.Address!.GetAddressBytes();
                _buffer.Write(address, 0, address.Length);
                break;
            case DnsRecordType.Ptr:
                WriteName(record.Target!);
                break;
            case DnsRecordType.Srv:
                WriteUInt16(0);
                WriteUInt16(0);
                WriteUInt16(record.Port);
                WriteName(record.Target!);
                break;
            case DnsRecordType.Txt:
                foreach (var entry in record.Text)
                {
                    WriteLabel(entry, byte.MaxValue);
                }

                break;
        }
    }

    private void WriteName(DnsName name)
    {
        foreach (var label in name.Labels)
        {
            WriteLabel(label, 63);
        }

        _buffer.WriteByte(0);
    }

    private void WriteLabel(string label, int maxLength)
    {
        var bytes = Encoding.UTF8.GetBytes(label);
        if (bytes.Length > maxLength)
        {
            throw new ArgumentException($"Label '{label}' is too long.", nameof(label));
        }

        _buffer.WriteByte((byte)bytes.Length);
        _buffer.Write(bytes, 0, bytes.Length);
    }

    private void WriteUInt16(ushort value)
    {
        _buffer.WriteByte((byte)(value >> 8));
        _buffer.WriteByte((byte)value);
    }
}
