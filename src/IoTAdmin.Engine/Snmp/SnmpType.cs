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

/// <summary>The tags of the constructed types used by SNMP messages.</summary>
internal static class BerTag
{
    public const byte Sequence = 0x30;
}
