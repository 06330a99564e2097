using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace IoTAdmin.Engine.Snmp;

/// <summary>
/// Names of common MIB objects: MIB-2 system and snmp groups (RFC 3418), interfaces and ifXTable
/// (RFC 2863), ip (RFC 4293), HOST-RESOURCES-MIB (RFC 2790), ENTITY-MIB (RFC 6933) and
/// SNMP-FRAMEWORK-MIB (RFC 3411). Resolves "name.suffix" to an OID and an OID back to a name.
/// </summary>
public static class MibNames
{
    private const string Mib2 = "1.3.6.1.2.1";
    private const string IfEntry = Mib2 + ".2.2.1";
    private const string IfXEntry = Mib2 + ".31.1.1.1";
    private const string Host = Mib2 + ".25";
    private const string EntPhysicalEntry = Mib2 + ".47.1.1.1.1";

    private static readonly Dictionary<string, ObjectIdentifier> s_byName = BuildByName();
    private static readonly Dictionary<ObjectIdentifier, string> s_byOid =
        s_byName.ToDictionary(p => p.Value, p => p.Key);

    private static readonly int s_longest = s_byOid.Keys.Max(o => o.Length);

    /// <summary>Every name the table knows.</summary>
    public static IReadOnlyCollection<string> Names => s_byName.Keys;

    /// <summary>
    /// Resolves a name ("sysDescr", "sysDescr.0", "ifDescr.3", "IF-MIB::ifDescr.3") or a numeric
    /// OID ("1.3.6.1.2.1.1.1.0", ".1.3.6.1") to an object identifier.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name or malformed text; names near matches.</exception>
    public static ObjectIdentifier Resolve(string text)
    {
        if (TryResolve(text, out var oid))
        {
            return oid!;
        }

        throw new ArgumentException(DescribeFailure(text));
    }

    /// <summary>Like <see cref="Resolve"/>, without throwing.</summary>
    public static bool TryResolve(string? text, out ObjectIdentifier? oid)
    {
        oid = null;
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return false;
        }

        if (char.IsDigit(trimmed[0]) || trimmed[0] == '.')
        {
            return ObjectIdentifier.TryParse(trimmed, out oid);
        }

        var (name, suffix) = SplitName(StripModule(trimmed));
        if (!TryFindName(name, out var baseOid) || !TryParseSuffix(suffix, out var components)
            || baseOid.Length + components.Length > ObjectIdentifier.MaxLength)
        {
            return false;
        }

        oid = baseOid.Append(components);
        return true;
    }

    /// <summary>
    /// The display form of an OID: the longest known prefix's name plus the rest ("ifDescr.3"),
    /// or the numeric form when no name is known.
    /// </summary>
    public static string ToName(ObjectIdentifier oid)
    {
        if (oid is null)
        {
            throw new ArgumentNullException(nameof(oid));
        }

        var components = oid.Components;
        for (var length = Math.Min(oid.Length, s_longest); length >= 2; length--)
        {
            var prefix = new ObjectIdentifier(components.Take(length));
            if (s_byOid.TryGetValue(prefix, out var name))
            {
                var rest = components.Skip(length).Select(c => c.ToString(CultureInfo.InvariantCulture));
                return string.Join(".", new[] { name }.Concat(rest));
            }
        }

        return oid.ToString();
    }

    /// <summary>Known names close to <paramref name="name"/> (same start, contained, or a small typo).</summary>
    public static IReadOnlyList<string> NearMatches(string name)
    {
        var wanted = SplitName(StripModule(name?.Trim() ?? string.Empty)).Name;
        if (wanted.Length == 0)
        {
            return Array.Empty<string>();
        }

        return s_byName.Keys
            .Select(known => (Name: known, Score: Closeness(wanted, known)))
            .Where(m => m.Score < int.MaxValue)
            .OrderBy(m => m.Score)
            .ThenBy(m => m.Name, StringComparer.Ordinal)
            .Take(5)
            .Select(m => m.Name)
            .ToList();
    }

    private static string DescribeFailure(string? text)
    {
        var shown = text ?? string.Empty;
        var trimmed = shown.Trim();
        if (trimmed.Length == 0)
        {
            return "An OID or MIB object name is required.";
        }

        if (char.IsDigit(trimmed[0]) || trimmed[0] == '.')
        {
            return $"'{shown}' is not a valid numeric OID (expected dotted numbers such as 1.3.6.1.2.1.1.1.0).";
        }

        var (name, suffix) = SplitName(StripModule(trimmed));
        if (TryFindName(name, out _))
        {
            return $"'{shown}': the instance suffix '{suffix}' must be dotted numbers, as in sysDescr.0.";
        }

        var near = NearMatches(name);
        var hint = near.Count > 0 ? $" Did you mean: {string.Join(", ", near)}?" : string.Empty;
        return $"'{shown}' is not a known MIB object name; use a numeric OID for other objects.{hint}";
    }

    private static bool TryFindName(string name, out ObjectIdentifier oid)
    {
        if (s_byName.TryGetValue(name, out oid!))
        {
            return true;
        }

        var folded = s_byName.Keys.Where(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (folded.Count == 1)
        {
            oid = s_byName[folded[0]];
            return true;
        }

        return false;
    }

    private static string StripModule(string text)
    {
        var separator = text.IndexOf("::", StringComparison.Ordinal);
        return separator >= 0 ? text.Substring(separator + 2) : text;
    }

    private static (string Name, string Suffix) SplitName(string text)
    {
        var dot = text.IndexOf('.');
        return dot < 0 ? (text, string.Empty) : (text.Substring(0, dot), text.Substring(dot + 1));
    }

    private static bool TryParseSuffix(string suffix, out uint[] components)
    {
        components = Array.Empty<uint>();
        if (suffix.Length == 0)
        {
            return true;
        }

        var parts = suffix.Split('.');
        var parsed = new uint[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0 || !parts[i].All(char.IsDigit)
                || !uint.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out parsed[i]))
            {
                return false;
            }
        }

        components = parsed;
        return true;
    }

    private static int Closeness(string wanted, string known)
    {
        if (known.StartsWith(wanted, StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        if (known.IndexOf(wanted, StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return 1;
        }

        var distance = EditDistance(wanted.ToLowerInvariant(), known.ToLowerInvariant());
        return distance <= Math.Max(2, wanted.Length / 4) ? 1 + distance : int.MaxValue;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private static Dictionary<string, ObjectIdentifier> BuildByName()
    {
        var table = new Dictionary<string, ObjectIdentifier>(StringComparer.Ordinal);
        foreach (var (name, oid) in Entries())
        {
            table.Add(name, ObjectIdentifier.Parse(oid));
        }

        return table;
    }

    private static IEnumerable<(string Name, string Oid)> Entries() =>
        Roots().Concat(SystemGroup()).Concat(SnmpGroup()).Concat(Interfaces()).Concat(IfXTable())
            .Concat(IpGroup()).Concat(HostResources()).Concat(HostSoftware()).Concat(Entity())
            .Concat(Framework());

    private static IEnumerable<(string, string)> Roots() => new[]
    {
        ("mib-2", Mib2),
        ("enterprises", "1.3.6.1.4.1"),
        ("snmpV2", "1.3.6.1.6"),
        ("snmpModules", "1.3.6.1.6.3"),
    };

    // SNMPv2-MIB, RFC 3418 section 2: system group and sysORTable.
    private static IEnumerable<(string, string)> SystemGroup() =>
        Columns(Mib2 + ".1", "system", "sysDescr", "sysObjectID", "sysUpTime", "sysContact", "sysName",
                "sysLocation", "sysServices", "sysORLastChange", "sysORTable")
            .Concat(new[] { ("sysOREntry", Mib2 + ".1.9.1") })
            .Concat(Columns(Mib2 + ".1.9.1", null, "sysORIndex", "sysORID", "sysORDescr", "sysORUpTime"));

    // SNMPv2-MIB, RFC 3418: the snmp group (1-6 and 30-32; the rest are obsolete).
    private static IEnumerable<(string, string)> SnmpGroup() =>
        Columns(Mib2 + ".11", "snmp", "snmpInPkts", "snmpOutPkts", "snmpInBadVersions", "snmpInBadCommunityNames",
                "snmpInBadCommunityUses", "snmpInASNParseErrs")
            .Concat(new[]
            {
                ("snmpEnableAuthenTraps", Mib2 + ".11.30"),
                ("snmpSilentDrops", Mib2 + ".11.31"),
                ("snmpProxyDrops", Mib2 + ".11.32"),
            });

    // IF-MIB, RFC 2863: interfaces group and ifTable.
    private static IEnumerable<(string, string)> Interfaces() =>
        new[]
        {
            ("interfaces", Mib2 + ".2"),
            ("ifNumber", Mib2 + ".2.1"),
            ("ifTable", Mib2 + ".2.2"),
            ("ifEntry", IfEntry),
        }.Concat(Columns(IfEntry, null, "ifIndex", "ifDescr", "ifType", "ifMtu", "ifSpeed", "ifPhysAddress",
            "ifAdminStatus", "ifOperStatus", "ifLastChange", "ifInOctets", "ifInUcastPkts", "ifInNUcastPkts",
            "ifInDiscards", "ifInErrors", "ifInUnknownProtos", "ifOutOctets", "ifOutUcastPkts", "ifOutNUcastPkts",
            "ifOutDiscards", "ifOutErrors", "ifOutQLen", "ifSpecific"));

    // IF-MIB, RFC 2863: ifXTable.
    private static IEnumerable<(string, string)> IfXTable() =>
        new[]
        {
            ("ifMIB", Mib2 + ".31"),
            ("ifMIBObjects", Mib2 + ".31.1"),
            ("ifXTable", Mib2 + ".31.1.1"),
            ("ifXEntry", IfXEntry),
        }.Concat(Columns(IfXEntry, null, "ifName", "ifInMulticastPkts", "ifInBroadcastPkts", "ifOutMulticastPkts",
            "ifOutBroadcastPkts", "ifHCInOctets", "ifHCInUcastPkts", "ifHCInMulticastPkts", "ifHCInBroadcastPkts",
            "ifHCOutOctets", "ifHCOutUcastPkts", "ifHCOutMulticastPkts", "ifHCOutBroadcastPkts",
            "ifLinkUpDownTrapEnable", "ifHighSpeed", "ifPromiscuousMode", "ifConnectorPresent", "ifAlias",
            "ifCounterDiscontinuityTime"));

    // IP-MIB, RFC 4293 (RFC 1213 objects): scalars, ipAddrTable and ipNetToMediaTable.
    private static IEnumerable<(string, string)> IpGroup() =>
        new[]
        {
            ("ip", Mib2 + ".4"),
            ("ipForwarding", Mib2 + ".4.1"),
            ("ipDefaultTTL", Mib2 + ".4.2"),
            ("ipAddrTable", Mib2 + ".4.20"),
            ("ipAddrEntry", Mib2 + ".4.20.1"),
            ("ipNetToMediaTable", Mib2 + ".4.22"),
            ("ipNetToMediaEntry", Mib2 + ".4.22.1"),
        }.Concat(Columns(Mib2 + ".4.20.1", null, "ipAdEntAddr", "ipAdEntIfIndex", "ipAdEntNetMask",
                "ipAdEntBcastAddr", "ipAdEntReasmMaxSize"))
            .Concat(Columns(Mib2 + ".4.22.1", null, "ipNetToMediaIfIndex", "ipNetToMediaPhysAddress",
                "ipNetToMediaNetAddress", "ipNetToMediaType"));

    // HOST-RESOURCES-MIB, RFC 2790: hrSystem, hrStorage and hrDevice.
    private static IEnumerable<(string, string)> HostResources() =>
        new[] { ("host", Host) }
            .Concat(Columns(Host + ".1", "hrSystem", "hrSystemUptime", "hrSystemDate", "hrSystemInitialLoadDevice",
                "hrSystemInitialLoadParameters", "hrSystemNumUsers", "hrSystemProcesses", "hrSystemMaxProcesses"))
            .Concat(Columns(Host + ".2", "hrStorage", "hrStorageTypes", "hrMemorySize", "hrStorageTable"))
            .Concat(new[] { ("hrStorageEntry", Host + ".2.3.1") })
            .Concat(Columns(Host + ".2.3.1", null, "hrStorageIndex", "hrStorageType", "hrStorageDescr",
                "hrStorageAllocationUnits", "hrStorageSize", "hrStorageUsed", "hrStorageAllocationFailures"))
            .Concat(Columns(Host + ".3", "hrDevice", "hrDeviceTypes", "hrDeviceTable"))
            .Concat(new[] { ("hrDeviceEntry", Host + ".3.2.1") })
            .Concat(Columns(Host + ".3.2.1", null, "hrDeviceIndex", "hrDeviceType", "hrDeviceDescr", "hrDeviceID",
                "hrDeviceStatus", "hrDeviceErrors"));

    // HOST-RESOURCES-MIB, RFC 2790: hrSWRun, hrSWRunPerf and hrSWInstalled.
    private static IEnumerable<(string, string)> HostSoftware() =>
        Columns(Host + ".4", "hrSWRun", "hrSWOSIndex", "hrSWRunTable")
            .Concat(new[] { ("hrSWRunEntry", Host + ".4.2.1") })
            .Concat(Columns(Host + ".4.2.1", null, "hrSWRunIndex", "hrSWRunName", "hrSWRunID", "hrSWRunPath",
                "hrSWRunParameters", "hrSWRunType", "hrSWRunStatus"))
            .Concat(Columns(Host + ".5", "hrSWRunPerf", "hrSWRunPerfTable"))
            .Concat(new[] { ("hrSWRunPerfEntry", Host + ".5.1.1") })
            .Concat(Columns(Host + ".5.1.1", null, "hrSWRunPerfCPU", "hrSWRunPerfMem"))
            .Concat(Columns(Host + ".6", "hrSWInstalled", "hrSWInstalledLastChange", "hrSWInstalledLastUpdateTime",
                "hrSWInstalledTable"))
            .Concat(new[] { ("hrSWInstalledEntry", Host + ".6.3.1") })
            .Concat(Columns(Host + ".6.3.1", null, "hrSWInstalledIndex", "hrSWInstalledName", "hrSWInstalledID",
                "hrSWInstalledType", "hrSWInstalledDate"));

    // ENTITY-MIB, RFC 6933: entPhysicalTable.
    private static IEnumerable<(string, string)> Entity() =>
        new[]
        {
            ("entityMIB", Mib2 + ".47"),
            ("entityMIBObjects", Mib2 + ".47.1"),
            ("entityPhysical", Mib2 + ".47.1.1"),
            ("entPhysicalTable", Mib2 + ".47.1.1.1"),
            ("entPhysicalEntry", EntPhysicalEntry),
        }.Concat(Columns(EntPhysicalEntry, null, "entPhysicalIndex", "entPhysicalDescr", "entPhysicalVendorType",
            "entPhysicalContainedIn", "entPhysicalClass", "entPhysicalParentRelPos", "entPhysicalName",
            "entPhysicalHardwareRev", "entPhysicalFirmwareRev", "entPhysicalSoftwareRev", "entPhysicalSerialNum",
            "entPhysicalMfgName", "entPhysicalModelName", "entPhysicalAlias", "entPhysicalAssetID",
            "entPhysicalIsFRU", "entPhysicalMfgDate", "entPhysicalUris", "entPhysicalUUID"));

    // SNMP-FRAMEWORK-MIB, RFC 3411: snmpEngine.
    private static IEnumerable<(string, string)> Framework() =>
        new[]
        {
            ("snmpFrameworkMIB", "1.3.6.1.6.3.10"),
            ("snmpFrameworkMIBObjects", "1.3.6.1.6.3.10.2"),
        }.Concat(Columns("1.3.6.1.6.3.10.2.1", "snmpEngine", "snmpEngineID", "snmpEngineBoots", "snmpEngineTime",
            "snmpEngineMaxMessageSize"));

    /// <summary>Names numbered 1, 2, 3 ... below <paramref name="parent"/>, and the parent's name if given.</summary>
    private static IEnumerable<(string, string)> Columns(string parent, string? parentName, params string[] names)
    {
        if (parentName is not null)
        {
            yield return (parentName, parent);
        }

        for (var i = 0; i < names.Length; i++)
        {
            yield return (names[i], parent + "." + (i + 1).ToString(CultureInfo.InvariantCulture));
        }
    }
}
