using System;
using System.Globalization;
using IoTAdmin.Engine.Firmware;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>IOT-FW-EOS: the vendor's end of support for the model (from the catalogue) has passed.</summary>
public sealed class FirmwareEndOfSupportRule : FirmwareRule
{
    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-FW-EOS",
        "The vendor still supports the device",
        Severity.High,
        "Replace the device, or isolate it in its own segment until it is replaced: it gets no more security fixes.",
        "SYS.4.4.M3");

    protected override RuleResult Judge(IoTDevice device, DeviceFirmware firmware, FirmwareCatalogEntry entry)
    {
        if (entry.EndOfSupport is not { } end)
        {
            return Result(device, RuleOutcome.Pass,
                $"the catalogue names no end of support for {entry.Vendor} {entry.Model}");
        }

        var day = end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return end.Date < DateTime.UtcNow.Date
            ? Result(device, RuleOutcome.Fail, $"{entry.Vendor} {entry.Model} left vendor support on {day}")
            : Result(device, RuleOutcome.Pass, $"{entry.Vendor} {entry.Model} is supported until {day}");
    }
}
