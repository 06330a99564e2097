using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>The parser of snmpwalk -On -Oe -Ot output, on the shapes net-snmp prints.</summary>
public sealed class SnmpsimWalkOutputTests
{
    private const string Sample =
        ".1.3.6.1.2.1.1.1.0 = STRING: \"two\nlines with \\\"quotes\\\" and \\\\\"\n"
        + ".1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.8072.3.2.10\n"
        + ".1.3.6.1.2.1.1.3.0 = 19568677\n"
        + ".1.3.6.1.2.1.1.4.0 = \"\"\n"
        + ".1.3.6.1.2.1.1.5.0 = STRING: \".1.3.6.1.9 = INTEGER: 1\"\n"
        + ".1.3.6.1.2.1.2.2.1.6.2 = Hex-STRING: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F \n"
        + "10 11 \n"
        + ".1.3.6.1.2.1.2.2.1.7.1 = INTEGER: -3\n"
        + ".1.3.6.1.2.1.2.2.1.10.1 = Counter32: 4294967295\n"
        + ".1.3.6.1.2.1.4.20.1.3.127.0.0.1 = IpAddress: 255.0.0.8\n"
        + ".1.3.6.1.2.1.31.1.1.1.6.1 = Counter64: 18446744073709551615\n"
        + ".1.3.6.1.2.1.31.1.1.1.15.1 = Gauge32: 1000\n"
        + ".1.3.6.1.2.1.99.1 = NULL\n"
        + ".1.3.6.1.2.1.99.1 = No more variables left in this MIB View (It is past the end of the MIB tree)\n";

    [Fact]
    public void Parse_EveryPrintedShape_ShouldGiveTypesAndBytes()
    {
        var output = SnmpsimWalkOutput.Parse(Sample);

        var values = output.Variables.Select(v => v.Value).ToList();
        Assert.Equal(SnmpsimWalkEnd.EndOfMibView, output.End);
        Assert.Equal(12, values.Count);
        Assert.Equal(Canonical(SnmpValue.FromString("two\nlines with \"quotes\" and \\")), values[0]);
        Assert.Equal(Canonical(SnmpValue.FromOid(ObjectIdentifier.Parse("1.3.6.1.4.1.8072.3.2.10"))), values[1]);
        Assert.Equal(Canonical(SnmpValue.FromUnsigned(SnmpType.TimeTicks, 19568677)), values[2]);
        Assert.Equal(Canonical(SnmpValue.FromString(string.Empty)), values[3]);
        Assert.Equal(Canonical(SnmpValue.FromString(".1.3.6.1.9 = INTEGER: 1")), values[4]);
        var bytes = Enumerable.Range(0, 18).Select(i => (byte)i).ToArray();
        Assert.Equal(Canonical(SnmpValue.FromBytes(bytes)), values[5]);
        Assert.Equal(Canonical(SnmpValue.FromInteger(-3)), values[6]);
        Assert.Equal(Canonical(SnmpValue.FromUnsigned(SnmpType.Counter32, uint.MaxValue)), values[7]);
        Assert.Equal(Canonical(SnmpValue.FromIpAddress(System.Net.IPAddress.Parse("255.0.0.8"))), values[8]);
        Assert.Equal(Canonical(SnmpValue.FromUnsigned(SnmpType.Counter64, ulong.MaxValue)), values[9]);
        Assert.Equal(Canonical(SnmpValue.FromUnsigned(SnmpType.Gauge32, 1000)), values[10]);
        Assert.Equal(Canonical(SnmpValue.Null), values[11]);
    }

    [Fact]
    public void Parse_UnknownLine_ShouldFailLoudly()
    {
        Assert.Throws<FormatException>(() => SnmpsimWalkOutput.Parse("Error in packet\n"));
    }

    private static string Canonical(SnmpValue value) => SnmpsimWalkOutput.Canonical(value);
}
