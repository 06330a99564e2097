using System.Collections.Generic;

namespace IoTAdmin.Engine.Snmp;

/// <summary>IANA private enterprise numbers of vendors common among IoT and building devices.</summary>
internal static class SnmpEnterpriseNumbers
{
    /// <summary>net-snmp's own number: the agent is generic, so it names no hardware vendor.</summary>
    public const uint NetSnmp = 8072;

    private static readonly Dictionary<uint, string> s_vendors = new Dictionary<uint, string>
    {
        [9] = "Cisco",
        [11] = "HP",
        [318] = "APC",
        [368] = "Axis",
        [2435] = "Brother",
        [2606] = "Rittal",
        [3699] = "Network Technologies",
        [4329] = "Siemens",
        [6530] = "2N",
        [6574] = "Synology",
        [7367] = "DrayTek",
        [8691] = "Moxa",
        [9839] = "Carel",
        [10642] = "Zebra",
        [14988] = "MikroTik",
        [20916] = "AVTECH",
        [21796] = "HW group",
        [23465] = "Vivotek",
        [24681] = "QNAP",
        [28507] = "Gude",
        [29462] = "Stulz",
        [34278] = "Janitza",
        [39165] = "Hikvision",
        [41112] = "Ubiquiti",
        [48690] = "Teltonika",
        [1004849] = "Dahua",
    };

    public static string? VendorOf(uint enterprise) =>
        s_vendors.TryGetValue(enterprise, out var vendor) ? vendor : null;
}
