using System.Collections.Generic;
using IoTAdmin.Engine.Vulnerabilities;

namespace IoTAdmin.Engine.Firmware;

/// <summary>Where a firmware version was read.</summary>
public enum FirmwareSource
{
    /// <summary>A version file on the device read over SSH (/etc/firmware-release, /etc/os-release, ...).</summary>
    DeviceFile,

    /// <summary>ENTITY-MIB entPhysicalFirmwareRev / entPhysicalSoftwareRev.</summary>
    SnmpEntityMib,

    /// <summary>A vendor MIB object that holds the firmware version.</summary>
    SnmpVendorMib,

    /// <summary>Free text in SNMP sysDescr.</summary>
    SnmpSysDescr,

    /// <summary>The UPnP device description (discovery).</summary>
    UpnpDescription,

    /// <summary>The HTTP Server header or the web page of the device.</summary>
    HttpBanner,

    /// <summary>The SSH identification string (names the SSH server, not the firmware).</summary>
    SshBanner,
}

/// <summary>How far a firmware version can be trusted.</summary>
public enum FirmwareConfidence
{
    /// <summary>Guessed from a banner a service shows to anyone; may be stale, generic or spoofed.</summary>
    Banner = 1,

    /// <summary>The device's own description in free text (sysDescr, UPnP description).</summary>
    DeviceText = 2,

    /// <summary>A field the device keeps for its firmware version (ENTITY-MIB, version files).</summary>
    DeviceRecord = 3,
}

/// <summary>Whether a reading names the device's firmware or one software component on it.</summary>
public enum FirmwareReadingKind
{
    Firmware,
    Component,
}

/// <summary>One statement about a device's firmware or a component, with its source.</summary>
public sealed class FirmwareReading
{
    public FirmwareReading(FirmwareSource source, FirmwareConfidence confidence, string? vendor, string? product,
        string? version)
    {
        Source = source;
        Confidence = confidence;
        Vendor = vendor;
        Product = product;
        Version = version;
    }

    public FirmwareSource Source { get; }

    public FirmwareConfidence Confidence { get; }

    public FirmwareReadingKind Kind { get; set; } = FirmwareReadingKind.Firmware;

    public string? Vendor { get; }

    public string? Product { get; }

    public string? Version { get; }

    /// <summary>What exactly was read: an OID, a header, a file name.</summary>
    public string? Detail { get; set; }

    public override string ToString() =>
        $"{Source} ({Confidence}): {Vendor ?? "?"} {Product ?? "?"} {Version ?? "?"}";
}

/// <summary>
/// The firmware of one device: the best reading (highest confidence, then the most specific source)
/// normalised to vendor, product, version and CPE 2.3 names, with every reading kept as evidence.
/// </summary>
public sealed class DeviceFirmware
{
    public DeviceFirmware(string address)
    {
        Address = address;
    }

    public string Address { get; }

    public string? Name { get; set; }

    public string? Vendor { get; set; }

    public string? Product { get; set; }

    public string? Version { get; set; }

    /// <summary>The firmware CPE 2.3 name with the version read; null when vendor or product is unknown.</summary>
    public string? Cpe { get; set; }

    /// <summary>The hardware CPE 2.3 name (version NA).</summary>
    public string? HardwareCpe { get; set; }

    public FirmwareSource? Source { get; set; }

    public FirmwareConfidence? Confidence { get; set; }

    /// <summary>True when the version was only guessed from a banner.</summary>
    public bool IsBannerGuess => Confidence == FirmwareConfidence.Banner;

    public List<FirmwareReading> Readings { get; } = new List<FirmwareReading>();

    /// <summary>Sources that failed or disagree, in words.</summary>
    public List<string> Problems { get; } = new List<string>();

    /// <summary>The catalogue entry of the model, when a catalogue was given and names it.</summary>
    public FirmwareCatalogEntry? CatalogEntry { get; set; }

    /// <summary>The CPE names matching uses: firmware (with version) and hardware.</summary>
    public IReadOnlyList<CpeName> CpeNames()
    {
        var names = new List<CpeName>();
        if (Cpe is not null && CpeName.TryParse(Cpe, out var firmware, out _))
        {
            names.Add(firmware!);
        }

        if (HardwareCpe is not null && CpeName.TryParse(HardwareCpe, out var hardware, out _))
        {
            names.Add(hardware!);
        }

        return names;
    }

    /// <summary>Where the version came from, for evidence: "SNMP ENTITY-MIB (device record)".</summary>
    public string SourceText => Source is null ? "no source" : $"{Describe(Source.Value)} ({Describe(Confidence)})";

    public override string ToString() =>
        $"{Address}: {Vendor ?? "?"} {Product ?? "?"} {Version ?? "?"} from {SourceText}";

    internal static string Describe(FirmwareSource source) => source switch
    {
        FirmwareSource.DeviceFile => "device file over SSH",
        FirmwareSource.SnmpEntityMib => "SNMP ENTITY-MIB",
        FirmwareSource.SnmpVendorMib => "SNMP vendor MIB",
        FirmwareSource.SnmpSysDescr => "SNMP sysDescr",
        FirmwareSource.UpnpDescription => "UPnP description",
        FirmwareSource.HttpBanner => "HTTP banner",
        _ => "SSH banner",
    };

    private static string Describe(FirmwareConfidence? confidence) => confidence switch
    {
        FirmwareConfidence.DeviceRecord => "device record",
        FirmwareConfidence.DeviceText => "device's own description",
        _ => "banner guess",
    };
}
