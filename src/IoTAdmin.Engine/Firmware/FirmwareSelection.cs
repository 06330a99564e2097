using System.Collections.Generic;
using System.Linq;
using IoTAdmin.Engine.Vulnerabilities;

namespace IoTAdmin.Engine.Firmware;

/// <summary>
/// Picks the reading a device's firmware is taken from and fills vendor, product, version and CPE
/// names. Confidence decides first, then the source's specificity; vendor and model missing from the
/// chosen reading are taken from the next best reading that has them. Versions that disagree are
/// recorded as a problem rather than silently dropped.
/// </summary>
internal static class FirmwareSelection
{
    public static void Choose(DeviceFirmware firmware, FirmwareCatalog? catalog)
    {
        var ranked = firmware.Readings
            .Where(r => r.Kind == FirmwareReadingKind.Firmware)
            .OrderByDescending(r => r.Confidence)
            .ThenBy(r => r.Source)
            .ToList();
        var best = ranked.FirstOrDefault(r => r.Version is not null);
        firmware.Vendor = best?.Vendor ?? ranked.Select(r => r.Vendor).FirstOrDefault(v => v is not null);
        firmware.Product = best?.Product ?? ranked.Select(r => r.Product).FirstOrDefault(p => p is not null);
        if (best is not null)
        {
            firmware.Version = best.Version;
            firmware.Source = best.Source;
            firmware.Confidence = best.Confidence;
            NoteDisagreement(firmware, best, ranked);
        }

        firmware.CatalogEntry = FindEntry(catalog, ranked);
        if (firmware.CatalogEntry is { } entry)
        {
            firmware.Vendor = entry.Vendor;
            firmware.Product = entry.Model;
        }

        SetCpeNames(firmware);
    }

    private static FirmwareCatalogEntry? FindEntry(FirmwareCatalog? catalog, IReadOnlyList<FirmwareReading> ranked)
    {
        if (catalog is null)
        {
            return null;
        }

        return ranked.Select(r => catalog.Find(r.Vendor, r.Product)).FirstOrDefault(e => e is not null);
    }

    private static void NoteDisagreement(DeviceFirmware firmware, FirmwareReading best,
        IReadOnlyList<FirmwareReading> ranked)
    {
        if (!FirmwareVersion.TryParse(best.Version, out var chosen, out _))
        {
            firmware.Problems.Add($"the version '{best.Version}' from {DeviceFirmware.Describe(best.Source)} "
                + "cannot be compared with catalogues or CVE ranges");
            return;
        }

        foreach (var other in ranked.Where(r => r != best && r.Version is not null))
        {
            if (FirmwareVersion.TryParse(other.Version, out var version, out _)
                && FirmwareVersion.Compare(chosen!, version!) is { } order && order != 0)
            {
                firmware.Problems.Add($"{DeviceFirmware.Describe(other.Source)} says {other.Version}, "
                    + $"{DeviceFirmware.Describe(best.Source)} says {best.Version}; the latter is used");
            }
        }
    }

    private static void SetCpeNames(DeviceFirmware firmware)
    {
        var entry = firmware.CatalogEntry;
        if (entry?.Cpe is not null)
        {
            firmware.Cpe = entry.Cpe.WithVersion(firmware.Version).ToString();
        }
        else if (firmware.Vendor is not null && firmware.Product is not null)
        {
            firmware.Cpe = CpeName.Create("o", firmware.Vendor, firmware.Product + "_firmware", firmware.Version)
                .ToString();
        }

        if (entry?.HardwareCpe is not null)
        {
            firmware.HardwareCpe = entry.HardwareCpe.ToString();
        }
        else if (firmware.Vendor is not null && firmware.Product is not null)
        {
            firmware.HardwareCpe = CpeName.Create("h", firmware.Vendor, firmware.Product, "-").ToString();
        }
    }
}
