using System.Globalization;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Commands;

/// <summary>One variable read from a device by Get-IoTSnmpValue (or read back by Set-IoTSnmpValue).</summary>
public sealed class SnmpValueResult
{
    internal SnmpValueResult(string address, SnmpVariable variable)
    {
        Address = address;
        Oid = variable.Oid.ToString();
        Name = MibNames.ToName(variable.Oid);
        Type = variable.Value.Type;
        Value = SnmpValueConverter.ToPowerShell(variable.Value);
        RawValue = variable.Value;
    }

    /// <summary>The IPv4 address of the device that answered.</summary>
    public string Address { get; }

    /// <summary>The numeric object identifier, for example 1.3.6.1.2.1.1.1.0.</summary>
    public string Oid { get; }

    /// <summary>The MIB name with its instance suffix, for example sysDescr.0; the numeric OID if unknown.</summary>
    public string Name { get; }

    /// <summary>The SMI type of the value.</summary>
    public SnmpType Type { get; }

    /// <summary>
    /// The value as a .NET object: string for OCTET STRING (hex as 0x... when not text), int for
    /// INTEGER, long for Counter32 and Gauge32, ulong for Counter64, TimeSpan for TimeTicks, IPAddress
    /// for IpAddress, the numeric OID string for OBJECT IDENTIFIER.
    /// </summary>
    public object? Value { get; }

    /// <summary>The value as it came off the wire.</summary>
    public SnmpValue RawValue { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0} {1} = {2}", Address, Name, Value);
}
