using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Firmware;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>
/// IOT-FW-AUTOUPDATE: where the device shows its update settings (the catalogue names the page),
/// automatic updates are on and come over HTTPS. Without a catalogue, or for models whose entry names no
/// settings page, the rule is NotChecked.
/// </summary>
public sealed class FirmwareAutoUpdateRule : IBaselineRule
{
    public BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-FW-AUTOUPDATE",
        "Automatic updates are on and fetched over an encrypted, authenticated channel",
        Severity.Medium,
        "Turn on automatic updates and point them at the vendor's HTTPS update server (or update centrally "
            + "with Update-IoTFirmware).",
        "SYS.4.4.M4");

    public async Task<RuleResult> EvaluateAsync(IoTDevice device, AuditContext context,
        CancellationToken cancellationToken)
    {
        var data = FirmwareAuditData.For(context);
        if (!data.HasCatalog)
        {
            return Result(device, RuleOutcome.NotChecked, "no firmware catalogue was given (-FirmwareCatalog)");
        }

        if (data.Catalog is null)
        {
            return Result(device, RuleOutcome.Error, $"the firmware catalogue cannot be used: {data.CatalogError}");
        }

        var firmware = await data.FirmwareOfAsync(device, context, cancellationToken).ConfigureAwait(false);
        var location = firmware.CatalogEntry?.UpdateSettings;
        if (location is null)
        {
            var model = $"{firmware.Vendor ?? "?"} {firmware.Product ?? "?"}";
            return Result(device, RuleOutcome.NotChecked,
                $"the catalogue names no page where {model} shows its update settings");
        }

        var (settings, problem) = await UpdateSettingsReader.ReadAsync(device.Address, location,
            context.Options.AdminLogins, context.Options.ProbeTimeout, cancellationToken).ConfigureAwait(false);
        return settings is null ? Result(device, RuleOutcome.Error, problem!) : Judge(device, settings);
    }

    private RuleResult Judge(IoTDevice device, UpdateSettings settings)
    {
        var faults = new List<string>();
        if (settings.AutoUpdate == false)
        {
            faults.Add($"automatic updates are {settings.AutoUpdateText}");
        }

        if (settings.UpdateUrl?.StartsWith("http://", System.StringComparison.OrdinalIgnoreCase) == true)
        {
            faults.Add($"updates come over plain HTTP from {settings.UpdateUrl}");
        }

        if (faults.Count > 0)
        {
            return Result(device, RuleOutcome.Fail, $"{string.Join("; ", faults)} (shown on {settings.Source})");
        }

        if (settings.AutoUpdate is null && settings.UpdateUrl is null)
        {
            return Result(device, RuleOutcome.Error,
                $"{settings.Source} shows no update settings the catalogue's patterns find");
        }

        return Result(device, RuleOutcome.Pass,
            $"automatic updates {settings.AutoUpdateText ?? "not shown"}, "
            + $"server {settings.UpdateUrl ?? "not shown"} ({settings.Source})");
    }

    private RuleResult Result(IoTDevice device, RuleOutcome outcome, string evidence) =>
        new RuleResult(device.Address, device.Name, Info, outcome, evidence);
}
