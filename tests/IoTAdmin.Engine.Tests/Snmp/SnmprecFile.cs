using System.Globalization;
using System.Text;
using IoTAdmin.Engine.Snmp;
using IoTAdmin.Engine.Tests.Support;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>Reads snmpsim .snmprec walks (OID|tag|value, x after the tag: hex) from tests/data/recordings.</summary>
internal static class SnmprecFile
{
    public static IReadOnlyList<SnmpVariable> Load(string name)
    {
        var lines = File.ReadAllLines(SharedData.PathOf("snmprec", name + ".snmprec"));
        return lines.Select(Parse).Where(v => v is not null).Select(v => v!).ToList();
    }

    private static SnmpVariable? Parse(string line)
    {
        var parts = line.Split('|', 3);
        if (parts.Length != 3 || !ObjectIdentifier.TryParse(parts[0], out var oid))
        {
            return null;
        }

        var isHex = parts[1].EndsWith('x');
        if (!int.TryParse(parts[1].TrimEnd('x'), NumberStyles.None, CultureInfo.InvariantCulture, out var tag))
        {
            return null;
        }

        var value = ToValue((SnmpType)tag, isHex, parts[2]);
        return value is null ? null : new SnmpVariable(oid!, value);
    }

    private static SnmpValue? ToValue(SnmpType type, bool isHex, string text)
    {
        var bytes = isHex ? Convert.FromHexString(text) : null;
        switch (type)
        {
            case SnmpType.OctetString:
            case SnmpType.Opaque:
                return new SnmpValue(type, bytes ?? Encoding.UTF8.GetBytes(text));
            case SnmpType.ObjectIdentifier:
                // Some walks hold a bare "0" where an agent would send 0.0; such lines are skipped.
                return ObjectIdentifier.TryParse(text, out var oid) ? SnmpValue.FromOid(oid!) : null;
            case SnmpType.IpAddress:
                return new SnmpValue(type, bytes ?? System.Net.IPAddress.Parse(text).GetAddressBytes());
            case SnmpType.Integer:
                return SnmpValue.FromInteger(int.Parse(text, CultureInfo.InvariantCulture));
            case SnmpType.Counter32:
            case SnmpType.Gauge32:
            case SnmpType.TimeTicks:
            case SnmpType.Counter64:
                return SnmpValue.FromUnsigned(type, ulong.Parse(text, CultureInfo.InvariantCulture));
            default:
                return null;
        }
    }
}
