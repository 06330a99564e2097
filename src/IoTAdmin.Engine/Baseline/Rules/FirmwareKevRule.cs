using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Firmware;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Vulnerabilities;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>
/// IOT-FW-KEV: a vulnerability in the CISA Known Exploited Vulnerabilities catalogue affects the device's
/// firmware, by the CPE configurations and version ranges of its CVE record. A match whose version is
/// only a banner guess, or whose range cannot be decided, is reported as possible, never as certain.
/// KEV entries without a loaded CVE record are not matched (KEV names no versions).
/// </summary>
public sealed class FirmwareKevRule : IBaselineRule
{
    private const int MaxListed = 5;

    public BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-FW-KEV",
        "No known-exploited vulnerability affects the firmware",
        Severity.Critical,
        "Install the fixed firmware now or take the device off the network; follow the KEV entry's required action.",
        "SYS.4.4.M3");

    public async Task<RuleResult> EvaluateAsync(IoTDevice device, AuditContext context,
        CancellationToken cancellationToken)
    {
        var data = FirmwareAuditData.For(context);
        var vulnerabilities = data.Vulnerabilities;
        if (vulnerabilities is null || vulnerabilities.KnownExploited.Count == 0)
        {
            var missing = vulnerabilities is null ? "no vulnerability data was given (-VulnerabilityData)"
                : "the vulnerability data holds no KEV catalogue";
            return Result(device, RuleOutcome.NotChecked, missing);
        }

        var firmware = await data.FirmwareOfAsync(device, context, cancellationToken).ConfigureAwait(false);
        var names = firmware.CpeNames();
        if (names.Count == 0)
        {
            return Result(device, RuleOutcome.NotChecked, "vendor and model of the firmware are unknown");
        }

        var matches = vulnerabilities.Match(names).Where(m => m.KnownExploited).ToList();
        return matches.Count == 0
            ? Result(device, RuleOutcome.Pass, $"no KEV entry with a CVE record matches {firmware.Cpe} "
                + $"({vulnerabilities.KnownExploited.Count} KEV entries, {vulnerabilities.Records.Count} CVE records)")
            : Result(device, RuleOutcome.Fail, Evidence(firmware, matches));
    }

    private static string Evidence(DeviceFirmware firmware, IReadOnlyList<VulnerabilityMatch> matches)
    {
        var certain = !firmware.IsBannerGuess && matches.Any(m => m.Outcome.State == MatchState.Yes);
        var verdict = certain ? "affected" : "possibly affected";
        var listed = matches.Take(MaxListed).Select(Describe);
        var more = matches.Count > MaxListed ? $"; and {matches.Count - MaxListed} more" : string.Empty;
        var source = firmware.IsBannerGuess
            ? $"version {firmware.Version} is only a banner guess ({firmware.SourceText})"
            : $"version {firmware.Version} from {firmware.SourceText}";
        return $"{verdict} by known-exploited {string.Join("; ", listed)}{more}; {source}";
    }

    private static string Describe(VulnerabilityMatch match)
    {
        var added = match.Kev!.DateAdded?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "?";
        var state = match.Outcome.State == MatchState.Yes ? string.Empty : "possibly: ";
        return $"{match.CveId} (KEV since {added}: {match.Kev.VulnerabilityName}) - {state}{match.Outcome.Reason}";
    }

    private RuleResult Result(IoTDevice device, RuleOutcome outcome, string evidence) =>
        new RuleResult(device.Address, device.Name, Info, outcome, evidence);
}
