using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Firmware;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>
/// What the catalogue-based firmware rules share: the catalogue must be given and readable, the device
/// must be in it and its version known; evidence always names the version's source, and a version
/// guessed from a banner is said to be a guess.
/// </summary>
public abstract class FirmwareRule : IBaselineRule
{
    public abstract BaselineRuleInfo Info { get; }

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
        if (firmware.CatalogEntry is null)
        {
            var model = $"{firmware.Vendor ?? "unknown vendor"} {firmware.Product ?? "unknown model"}";
            return Result(device, RuleOutcome.NotChecked, $"the firmware catalogue has no entry for {model}");
        }

        return Judge(device, firmware, firmware.CatalogEntry);
    }

    /// <summary>The rule's verdict for a device found in the catalogue.</summary>
    protected abstract RuleResult Judge(IoTDevice device, DeviceFirmware firmware, FirmwareCatalogEntry entry);

    protected RuleResult Result(IoTDevice device, RuleOutcome outcome, string evidence) =>
        new RuleResult(device.Address, device.Name, Info, outcome, evidence);

    /// <summary>"firmware 5.4.5 (SNMP ENTITY-MIB, device record)", with a warning for banner guesses.</summary>
    protected static string Describe(DeviceFirmware firmware)
    {
        var text = $"firmware {firmware.Version} read from {firmware.SourceText}";
        return firmware.IsBannerGuess ? text + "; only a banner guess, confirm it on the device" : text;
    }
}
