using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.DataFiles;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Configuration.Settings;

/// <summary>
/// Baseline: the device passes the named baseline (issue 7's loader, rules and waiver logic) with
/// the document's waivers added. It is a verdict, not a knob: the other settings are the remedies,
/// so a failure here is reported NotRemediable with the failing rule ids.
/// </summary>
/// <remarks>
/// The document's waivers reach issue 7's engine as a small derived baseline file (Extends the
/// named one) written to the temp folder and deleted after loading, because the baseline library
/// reads baselines from names and files only.
/// </remarks>
internal sealed class BaselineSetting : IConfigurationSetting
{
    public string Name => "Baseline";

    public bool IsManaged(DesiredConfiguration desired) => desired.Baseline is not null;

    public async Task<SettingObservation> ObserveAsync(SettingContext context, CancellationToken cancellationToken)
    {
        var baseline = Load(context);
        var device = new IoTDevice(context.Target.Address) { Name = context.Target.Name, Profile = context.Target.Profile };
        var auditor = new BaselineAuditor(baseline, null);
        var audit = await auditor.AuditDeviceAsync(device, context.Target.Tags.ToList(),
            new AuditContext(new AuditOptions(), context.Log), cancellationToken).ConfigureAwait(false);
        if (audit.Unreachable)
        {
            throw new ConfigurationException($"{context.Target}: unreachable for the baseline audit ({audit.Reason}).");
        }

        var failed = audit.Results.Where(r => r.Outcome is RuleOutcome.Fail or RuleOutcome.Error)
            .Select(r => r.RuleId).ToList();
        var waived = audit.Results.Where(r => r.Outcome == RuleOutcome.Waived).Select(r => r.RuleId).ToList();
        var seen = new SettingObservation(
            $"{baseline.Name}: no failed rule ({baseline.Waivers.Count} waiver(s))",
            $"{audit.Results.Count} rule(s); failed: {ShellText.List(failed)}; waived: {ShellText.List(waived)}",
            failed.Count == 0);
        if (!seen.InDesiredState)
        {
            seen.NotRemediable = $"Rules {string.Join(", ", failed)} fail: the other settings of the document are "
                + "their remedies (or a waiver with a reason).";
        }

        return seen;
    }

    private static ResolvedBaseline Load(SettingContext context)
    {
        var desired = context.Desired;
        var nameOrPath = desired.Baseline!;
        if (BaselineLibrary.LooksLikePath(nameOrPath) && context.Options.DocumentDirectory is string folder)
        {
            nameOrPath = Path.GetFullPath(Path.Combine(folder, nameOrPath));
        }

        if (desired.Waivers.Count == 0)
        {
            return new BaselineLibrary().Load(nameOrPath);
        }

        var file = Path.Combine(Path.GetTempPath(), $"iotadmin-config-{Guid.NewGuid():N}.psd1");
        try
        {
            File.WriteAllText(file, DerivedBaseline(nameOrPath, desired.Waivers, context.Target.Address));
            return new BaselineLibrary().Load(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A baseline that extends the named one and adds the waivers; device-level waivers get the device.</summary>
    internal static string DerivedBaseline(string extends, IReadOnlyList<DataTable> waivers, string address)
    {
        var text = new StringBuilder();
        text.Append("@{\n    Name = 'IoTAdmin-Configuration'\n    Extends = ")
            .Append(DataFileText.Quote(extends)).Append("\n    Waivers = @(\n");
        foreach (var waiver in waivers)
        {
            var selects = new[] { "Device", "Tag", "Profile" }.Any(waiver.ContainsKey);
            text.Append("        @{ ");
            foreach (var key in waiver.KeysInOrder)
            {
                text.Append(key).Append(" = ").Append(DataFileText.Format(waiver[key]!)).Append("; ");
            }

            if (!selects)
            {
                text.Append("Device = ").Append(DataFileText.Quote(address)).Append("; ");
            }

            text.Append("}\n");
        }

        return text.Append("    )\n}\n").ToString();
    }
}
