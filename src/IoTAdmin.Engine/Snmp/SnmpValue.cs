using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace IoTAdmin.Engine.Snmp;

/// <summary>One SMI value as it travels on the wire: its type tag and its content bytes.</summary>
public sealed class SnmpValue : IEquatable<SnmpValue>
{
    public static readonly SnmpValue Null = new SnmpValue(SnmpType.Null, Array.Empty<byte>());

    private readonly byte[] _data;

    /// <summary>Wraps content bytes; callers outside the decoder should prefer the factory methods.</summary>
    public SnmpValue(SnmpType type, byte[] data)
    {
        Type = type;
        _data = data ?? throw new ArgumentNullException(nameof(data));
    }

    public SnmpType Type { get; }

    /// <summary>A copy of the content bytes.</summary>
    public byte[] Data => (byte[])_data.Clone();

    /// <summary>True for noSuchObject, noSuchInstance and endOfMibView.</summary>
    public bool IsException =>
        Type == SnmpType.NoSuchObject || Type == SnmpType.NoSuchInstance || Type == SnmpType.EndOfMibView;

    internal byte[] RawData => _data;

    public static SnmpValue FromInteger(int value) => new SnmpValue(SnmpType.Integer, BerWriter.EncodeSigned(value));

    public static SnmpValue FromString(string value) =>
        new SnmpValue(SnmpType.OctetString, Encoding.UTF8.GetBytes(value));

    public static SnmpValue FromBytes(byte[] value) => new SnmpValue(SnmpType.OctetString, (byte[])value.Clone());

    public static SnmpValue FromOid(ObjectIdentifier value) =>
        new SnmpValue(SnmpType.ObjectIdentifier, BerWriter.EncodeOid(value));

    public static SnmpValue FromIpAddress(IPAddress value) =>
        new SnmpValue(SnmpType.IpAddress, value.GetAddressBytes());

    /// <summary>Counter32, Gauge32, TimeTicks or Counter64 from an unsigned number.</summary>
    public static SnmpValue FromUnsigned(SnmpType type, ulong value) =>
        new SnmpValue(type, BerWriter.EncodeUnsigned(value));

    public static SnmpValue Exception(SnmpType type) => new SnmpValue(type, Array.Empty<byte>());

    /// <summary>The number held by an INTEGER, Counter, Gauge, TimeTicks or Counter64 value.</summary>
    /// <exception cref="InvalidOperationException">The value is not numeric.</exception>
    public long ToInt64()
    {
        switch (Type)
        {
            case SnmpType.Integer:
                return BerReader.DecodeSigned(_data, 0, _data.Length);
            case SnmpType.Counter32:
            case SnmpType.Gauge32:
            case SnmpType.TimeTicks:
                return (long)BerReader.DecodeUnsigned(_data, 0, _data.Length, 32);
            case SnmpType.Counter64:
                return unchecked((long)ToUInt64());
            default:
                throw new InvalidOperationException($"A {Type} value is not a number.");
        }
    }

    public ulong ToUInt64() =>
        Type == SnmpType.Counter64
            ? BerReader.DecodeUnsigned(_data, 0, _data.Length, 64)
            : unchecked((ulong)ToInt64());

    /// <exception cref="InvalidOperationException">The value is not an OBJECT IDENTIFIER.</exception>
    public ObjectIdentifier ToOid() =>
        Type == SnmpType.ObjectIdentifier
            ? BerReader.DecodeOid(_data, 0, _data.Length)
            : throw new InvalidOperationException($"A {Type} value is not an object identifier.");

    /// <summary>The bytes as text: UTF-8 when they decode cleanly, otherwise Latin-1.</summary>
    public string ToText()
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(_data);
        }
        catch (ArgumentException)
        {
            return new string(_data.Select(b => (char)b).ToArray());
        }
    }

    public string ToHex() => string.Concat(_data.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    /// <summary>A readable form: text for printable strings, hex otherwise, numbers and OIDs as such.</summary>
    public override string ToString()
    {
        switch (Type)
        {
            case SnmpType.OctetString:
                return IsPrintable() ? ToText() : "0x" + ToHex();
            case SnmpType.Null:
                return "NULL";
            case SnmpType.ObjectIdentifier:
                return ToOid().ToString();
            case SnmpType.IpAddress:
                return new IPAddress(_data).ToString();
            case SnmpType.Opaque:
                return "Opaque 0x" + ToHex();
            case SnmpType.NoSuchObject:
                return "noSuchObject";
            case SnmpType.NoSuchInstance:
                return "noSuchInstance";
            case SnmpType.EndOfMibView:
                return "endOfMibView";
            case SnmpType.Counter64:
                return ToUInt64().ToString(CultureInfo.InvariantCulture);
            default:
                return ToInt64().ToString(CultureInfo.InvariantCulture);
        }
    }

    public bool Equals(SnmpValue? other) => other is not null && other.Type == Type && other._data.SequenceEqual(_data);

    public override bool Equals(object? obj) => Equals(obj as SnmpValue);

    public override int GetHashCode()
    {
        unchecked
        {
            var hash = (int)Type;
            foreach (var b in _data)
            {
                hash = (hash * 31) + b;
            }

            return hash;
        }
    }

    private bool IsPrintable()
    {
        if (_data.Length == 0)
        {
            return true;
        }

        var text = ToText();
        return text.All(c => !char.IsControl(c) || c == '\r' || c == '\n' || c == '\t');
    }
}
