using System.Globalization;
using IoTAdmin.Engine.Firmware;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Vulnerabilities;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>IOT-FW-OUTDATED: the firmware is behind the latest version the catalogue names for the model.</summary>
public sealed class FirmwareOutdatedRule : FirmwareRule
{
    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-FW-OUTDATED",
        "Firmware is the vendor's latest",
        Severity.High,
        "Install the vendor's latest firmware from a trustworthy source (Update-IoTFirmware checks its hash first).",
        "SYS.4.4.M3");

    protected override RuleResult Judge(IoTDevice device, DeviceFirmware firmware, FirmwareCatalogEntry entry)
    {
        if (firmware.Version is null)
        {
            var problems = string.Join("; ", firmware.Problems);
            return Result(device, RuleOutcome.Error,
                $"{entry.Vendor} {entry.Model}: no source showed the firmware version ({problems})");
        }

        if (!FirmwareVersion.TryParse(firmware.Version, out var current, out var problem))
        {
            return Result(device, RuleOutcome.Error, $"cannot compare with the catalogue: {problem}");
        }

        var order = FirmwareVersion.Compare(current!, entry.LatestVersion);
        if (order is null)
        {
            return Result(device, RuleOutcome.Error,
                $"'{firmware.Version}' and the catalogue's '{entry.LatestVersion}' use different version schemes");
        }

        var released = entry.ReleaseDate is { } date
            ? " released " + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty;
        var latest = $"the catalogue's latest for {entry.Vendor} {entry.Model} is {entry.LatestVersion}{released}";
        return order < 0
            ? Result(device, RuleOutcome.Fail, $"{Describe(firmware)} is behind: {latest}")
            : Result(device, RuleOutcome.Pass, $"{Describe(firmware)}; {latest}");
    }
}
