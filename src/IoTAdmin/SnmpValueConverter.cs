using System;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Commands;

/// <summary>Converts SNMP values to the .NET objects PowerShell shows, and PowerShell input to SNMP values.</summary>
internal static class SnmpValueConverter
{
    /// <summary>The SMI types Set-IoTSnmpValue can write.</summary>
    internal static readonly SnmpType[] WritableTypes =
    {
        SnmpType.Integer, SnmpType.OctetString, SnmpType.ObjectIdentifier, SnmpType.IpAddress,
        SnmpType.Counter32, SnmpType.Gauge32, SnmpType.TimeTicks,
    };

    /// <summary>The natural .NET form of a value read from an agent.</summary>
    public static object? ToPowerShell(SnmpValue value)
    {
        switch (value.Type)
        {
            case SnmpType.OctetString:
                return value.ToString();
            case SnmpType.Integer:
                return ToInteger(value.ToInt64());
            case SnmpType.Counter32:
            case SnmpType.Gauge32:
                return value.ToInt64();
            case SnmpType.Counter64:
                return value.ToUInt64();
            case SnmpType.TimeTicks:
                return TimeSpan.FromMilliseconds(value.ToInt64() * 10.0);
            case SnmpType.IpAddress:
                return value.Data.Length == 4 ? new IPAddress(value.Data) : (object)value.ToString();
            case SnmpType.Opaque:
                return value.Data;
            case SnmpType.Null:
                return null;
            default:
                return value.ToString();
        }
    }

    /// <summary>Builds the value to write; without a type, the type follows the .NET type of the input.</summary>
    /// <exception cref="ArgumentException">The input does not fit the type, or no type can be inferred.</exception>
    public static SnmpValue FromPowerShell(object? input, SnmpType? type)
    {
        var value = input is PSObject wrapped ? wrapped.BaseObject : input;
        if (value is null)
        {
            throw new ArgumentException("-Value must not be null.");
        }

        var target = type ?? Infer(value);
        try
        {
            return Convert(value, target);
        }
        catch (Exception ex) when (ex is PSInvalidCastException || ex is FormatException || ex is OverflowException)
        {
            throw new ArgumentException($"'{value}' cannot be written as {target}: {ex.Message}", ex);
        }
    }

    /// <summary>The value as the confirmation message shows it.</summary>
    public static string Describe(SnmpValue value) =>
        value.Type == SnmpType.ObjectIdentifier ? MibNames.ToName(value.ToOid()) : value.ToString();

    private static object ToInteger(long number) =>
        number >= int.MinValue && number <= int.MaxValue ? (object)(int)number : number;

    private static SnmpType Infer(object value)
    {
        switch (value)
        {
            case string _:
            case char _:
            case byte[] _:
                return SnmpType.OctetString;
            case int _:
            case short _:
            case byte _:
            case sbyte _:
            case ushort _:
            case long l when l >= int.MinValue && l <= int.MaxValue:
                return SnmpType.Integer;
            case IPAddress _:
                return SnmpType.IpAddress;
            case TimeSpan _:
                return SnmpType.TimeTicks;
            default:
                throw new ArgumentException(
                    $"Cannot infer the SNMP type of a {value.GetType().Name} value; give -Type.");
        }
    }

    private static SnmpValue Convert(object value, SnmpType type)
    {
        switch (type)
        {
            case SnmpType.Integer:
                return SnmpValue.FromInteger(LanguagePrimitives.ConvertTo<int>(value));
            case SnmpType.OctetString:
                return value is byte[] bytes ? SnmpValue.FromBytes(bytes) : SnmpValue.FromString(Text(value));
            case SnmpType.ObjectIdentifier:
                return SnmpValue.FromOid(MibNames.Resolve(Text(value)));
            case SnmpType.IpAddress:
                return SnmpValue.FromIpAddress(ToIPv4(value));
            case SnmpType.TimeTicks when value is TimeSpan span:
                return SnmpValue.FromUnsigned(type, checked((uint)(span.Ticks / (TimeSpan.TicksPerMillisecond * 10))));
            case SnmpType.Counter32:
            case SnmpType.Gauge32:
            case SnmpType.TimeTicks:
                return SnmpValue.FromUnsigned(type, LanguagePrimitives.ConvertTo<uint>(value));
            default:
                throw new ArgumentException($"Set-IoTSnmpValue cannot write values of type {type}.");
        }
    }

    private static string Text(object value) => LanguagePrimitives.ConvertTo<string>(value);

    private static IPAddress ToIPv4(object value)
    {
        var address = value as IPAddress ?? IPAddress.Parse(Text(value).Trim());
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"'{value}' is not an IPv4 address; SNMP IpAddress values are IPv4.");
        }

        return address;
    }
}
