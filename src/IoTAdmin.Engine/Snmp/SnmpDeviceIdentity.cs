using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace IoTAdmin.Engine.Snmp;

/// <summary>
/// Vendor, model and firmware of a device as far as its SNMP answers reveal them. Sources, best
/// first: ENTITY-MIB, vendor MIB objects, the sysObjectID enterprise number, sysDescr patterns.
/// </summary>
public sealed class SnmpDeviceIdentity
{
    private static readonly ObjectIdentifier s_sysDescr = ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0");
    private static readonly ObjectIdentifier s_sysObjectId = ObjectIdentifier.Parse("1.3.6.1.2.1.1.2.0");
    private static readonly ObjectIdentifier s_sysName = ObjectIdentifier.Parse("1.3.6.1.2.1.1.5.0");
    private static readonly ObjectIdentifier s_enterprises = ObjectIdentifier.Parse("1.3.6.1.4.1");
    private static readonly ObjectIdentifier s_hikvisionModel = ObjectIdentifier.Parse("1.3.6.1.4.1.39165.1.1.0");
    private static readonly ObjectIdentifier s_hikvisionFirmware = ObjectIdentifier.Parse("1.3.6.1.4.1.39165.1.3.0");

    public string? Vendor { get; private set; }

    public string? Model { get; private set; }

    public string? FirmwareVersion { get; private set; }

    /// <summary>The operating system named in sysDescr, e.g. "Linux 4.19.97+".</summary>
    public string? OperatingSystem { get; private set; }

    /// <summary>sysName.0.</summary>
    public string? Name { get; private set; }

    /// <summary>sysDescr.0.</summary>
    public string? Description { get; private set; }

    /// <summary>sysObjectID.0.</summary>
    public ObjectIdentifier? SysObjectId { get; private set; }

    /// <summary>The enterprise number inside sysObjectID (1.3.6.1.4.1.N...).</summary>
    public uint? EnterpriseNumber { get; private set; }

    /// <summary>Derives the identity from whatever variables an agent answered; exception values are ignored.</summary>
    public static SnmpDeviceIdentity FromVariables(IEnumerable<SnmpVariable> variables)
    {
        var values = new Dictionary<ObjectIdentifier, SnmpValue>();
        foreach (var variable in variables.Where(v => !v.Value.IsException && v.Value.Type != SnmpType.Null))
        {
            values[variable.Oid] = variable.Value;
        }

        var identity = new SnmpDeviceIdentity
        {
            Description = TextOf(values, s_sysDescr)?.Trim(),
            Name = TextOf(values, s_sysName)?.Trim(),
        };
        identity.ReadSysObjectId(values);
        identity.ReadEntityMib(values);
        identity.ReadHikvisionMib(values);
        SnmpDescriptionPatterns.Apply(identity);
        return identity;
    }

    public override string ToString() =>
        $"{Vendor ?? "unknown vendor"} {Model ?? "unknown model"} firmware {FirmwareVersion ?? "unknown"}";

    /// <summary>Sets each property that is still unknown; earlier, better sources win.</summary>
    internal void Suggest(string? vendor = null, string? model = null, string? firmware = null, string? os = null)
    {
        Vendor ??= Clean(vendor);
        Model ??= Clean(model);
        FirmwareVersion ??= Clean(firmware);
        OperatingSystem ??= Clean(os);
    }

    private static string? Clean(string? text)
    {
        var trimmed = text?.Trim().Trim('"', '\\', ';', ',').Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private static string? TextOf(Dictionary<ObjectIdentifier, SnmpValue> values, ObjectIdentifier oid) =>
        values.TryGetValue(oid, out var value) && value.Type == SnmpType.OctetString ? value.ToText() : null;

    private void ReadSysObjectId(Dictionary<ObjectIdentifier, SnmpValue> values)
    {
        if (!values.TryGetValue(s_sysObjectId, out var value) || value.Type != SnmpType.ObjectIdentifier)
        {
            return;
        }

        SysObjectId = value.ToOid();
        if (SysObjectId.IsDescendantOf(s_enterprises))
        {
            EnterpriseNumber = SysObjectId.Components[s_enterprises.Length];
        }
    }

    private void ReadEntityMib(Dictionary<ObjectIdentifier, SnmpValue> values)
    {
        // entPhysicalTable columns; the chassis is the entity with the lowest index that has a model.
        var entry = ObjectIdentifier.Parse("1.3.6.1.2.1.47.1.1.1.1");
        var modelColumn = entry.Append(13);
        var chassis = values.Keys
            .Where(oid => oid.Length == modelColumn.Length + 1 && modelColumn.IsPrefixOf(oid))
            .OrderBy(oid => oid)
            .Select(oid => oid.Components[oid.Length - 1])
            .Cast<uint?>()
            .FirstOrDefault();
        if (chassis is null)
        {
            return;
        }

        string? Column(uint column) => Clean(TextOf(values, entry.Append(column, chassis.Value)));
        Suggest(Column(12), Column(13), Column(10) ?? Column(9));
    }

    private void ReadHikvisionMib(Dictionary<ObjectIdentifier, SnmpValue> values)
    {
        var model = Clean(TextOf(values, s_hikvisionModel));
        var firmware = Clean(TextOf(values, s_hikvisionFirmware));
        if (model is null && firmware is null)
        {
            return;
        }

        var version = firmware is null ? null : Regex.Match(firmware, @"^[Vv]?(\d+(?:\.\d+)+)");
        Suggest("Hikvision", model, version is { Success: true } ? version.Groups[1].Value : firmware);
    }
}
