namespace IoTAdmin.Engine.Snmp;

/// <summary>The BER tags of the SMI value types and of the v2 exception values.</summary>
public enum SnmpType : byte
{
    Integer = 0x02,
    OctetString = 0x04,
    Null = 0x05,
    ObjectIdentifier = 0x06,
    IpAddress = 0x40,
    Counter32 = 0x41,
    Gauge32 = 0x42,
    TimeTicks = 0x43,
    Opaque = 0x44,
    Counter64 = 0x46,
    NoSuchObject = 0x80,
    NoSuchInstance = 0x81,
    EndOfMibView = 0x82,
}

/// <summary>Checks of raw tags against <see cref="SnmpType"/> without the boxing of Enum.IsDefined.</summary>
internal static class SnmpTypes
{
    public static bool IsDefined(byte tag)
    {
        switch ((SnmpType)tag)
        {
            case SnmpType.Integer:
            case SnmpType.OctetString:
            case SnmpType.Null:
            case SnmpType.ObjectIdentifier:
            case SnmpType.IpAddress:
            case SnmpType.Counter32:
            case SnmpType.Gauge32:
            case SnmpType.TimeTicks:
            case SnmpType.Opaque:
            case SnmpType.Counter64:
            case SnmpType.NoSuchObject:
            case SnmpType.NoSuchInstance:
            case SnmpType.EndOfMibView:
                return true;
            default:
                return false;
        }
    }
}

/// <summary>The tags of the constructed types used by SNMP messages.</summary>
internal static class BerTag
{
    public const byte Sequence = 0x30;
}
