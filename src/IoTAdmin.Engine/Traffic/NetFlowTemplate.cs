using System;
using System.Collections.Generic;
using System.Net;

namespace IoTAdmin.Engine.Traffic;

/// <summary>A NetFlow v9 or IPFIX (options) template: the field types and lengths of its records.</summary>
internal sealed class Template
{
    private const int VariableLength = 65535;

    private Template(int id, int version, bool isOptions, List<(int Type, int Length)> fields)
    {
        Id = id;
        Version = version;
        IsOptions = isOptions;
        Fields = fields;
        foreach (var field in fields)
        {
            MinimumLength += field.Length == VariableLength ? 1 : field.Length;
        }
    }

    public int Id { get; }

    public int Version { get; }

    public bool IsOptions { get; }

    public IReadOnlyList<(int Type, int Length)> Fields { get; }

    public int MinimumLength { get; }

    /// <summary>Gets or sets the evidence prefix of its records, made once per template.</summary>
    public string? Label { get; set; }

    /// <summary>Reads one template record at <paramref name="at"/>; null at set padding.</summary>
    public static Template? Read(byte[] data, ref int at, int end, int version, bool options)
    {
        var id = NetFlowDecoder.Read16(data, at);
        if (id == 0 && version == 9 && !options)
        {
            return null;
        }

        if (id < 256)
        {
            throw new FormatException($"template ID {id} is below 256");
        }

        int fieldCount;
        if (version == 9 && options)
        {
            // v9 options templates give the byte lengths of scope and option fields, not counts.
            Need(at + 6, end);
            fieldCount = (NetFlowDecoder.Read16(data, at + 2) + NetFlowDecoder.Read16(data, at + 4)) / 4;
            at += 6;
        }
        else
        {
            fieldCount = NetFlowDecoder.Read16(data, at + 2);
            at += version == 10 && options ? 6 : 4;
        }

        var fields = new List<(int, int)>(fieldCount);
        for (var i = 0; i < fieldCount; i++)
        {
            Need(at + 4, end);
            var type = NetFlowDecoder.Read16(data, at);
            var length = NetFlowDecoder.Read16(data, at + 2);
            at += 4;
            if (version == 10 && (type & 0x8000) != 0)
            {
                // An enterprise-specific element: its enterprise number follows; we read none of them.
                Need(at + 4, end);
                at += 4;
                type = -1;
            }

            fields.Add((type, length));
        }

        if (version == 9 && options)
        {
            at = Math.Min(end, at + (4 - (at % 4)) % 4);
        }

        return new Template(id, version, options, fields);
    }

    public bool TryDecode(byte[] data, ref int at, int end, out FieldValues values)
    {
        values = new FieldValues();
        foreach (var (type, declared) in Fields)
        {
            var length = declared;
            if (length == VariableLength)
            {
                if (at >= end)
                {
                    return false;
                }

                length = data[at++];
                if (length == 255)
                {
                    if (at + 2 > end)
                    {
                        return false;
                    }

                    length = NetFlowDecoder.Read16(data, at);
                    at += 2;
                }
            }

            if (at + length > end)
            {
                return false;
            }

            values.Set(type, data, at, length);
            at += length;
        }

        return true;
    }

    private static void Need(int position, int end)
    {
        if (position > end)
        {
            throw new FormatException("the template is cut short");
        }
    }
}

/// <summary>The fields of one data record that Test-IoTTraffic uses (IANA IPFIX element numbers).</summary>
internal sealed class FieldValues
{
    public IPAddress? Source { get; private set; }

    public IPAddress? Destination { get; private set; }

    public int SourcePort { get; private set; }

    public int DestinationPort { get; private set; }

    public int Protocol { get; private set; }

    public long? Bytes { get; private set; }

    public long? Packets { get; private set; }

    public uint? StartUpTime { get; private set; }

    public long? StartMilliseconds { get; private set; }

    /// <summary>Gets IPFIX systemInitTimeMilliseconds (an options record): when the exporter's uptime began.</summary>
    public long? SystemInitMilliseconds { get; private set; }

    public void Set(int type, byte[] data, int at, int length)
    {
        switch (type)
        {
            case 1: Bytes = (long)Unsigned(data, at, length); break;
            case 2: Packets = (long)Unsigned(data, at, length); break;
            case 4: Protocol = (int)Unsigned(data, at, length); break;
            case 7: SourcePort = (int)Unsigned(data, at, length); break;
            case 11: DestinationPort = (int)Unsigned(data, at, length); break;
            case 8 when length == 4:
            case 27 when length == 16:
                Source = Address(data, at, length);
                break;
            case 12 when length == 4:
            case 28 when length == 16:
                Destination = Address(data, at, length);
                break;
            case 22: StartUpTime = (uint)Unsigned(data, at, length); break;
            case 150: StartMilliseconds = (long)Unsigned(data, at, length) * 1000; break;
            case 152: StartMilliseconds = (long)Unsigned(data, at, length); break;
            case 160: SystemInitMilliseconds = (long)Unsigned(data, at, length); break;
        }
    }

    /// <summary>Big-endian unsigned of 1 to 8 bytes (IPFIX reduced-size encoding); longer: the tail.</summary>
    private static ulong Unsigned(byte[] data, int at, int length)
    {
        ulong value = 0;
        var start = Math.Max(0, length - 8);
        for (var i = start; i < length; i++)
        {
            value = (value << 8) | data[at + i];
        }

        return value;
    }

    private static IPAddress Address(byte[] data, int at, int length)
    {
        var bytes = new byte[length];
        Buffer.BlockCopy(data, at, bytes, 0, length);
        return new IPAddress(bytes);
    }
}
