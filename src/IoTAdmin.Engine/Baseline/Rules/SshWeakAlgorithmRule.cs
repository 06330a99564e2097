using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Exposure;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>
/// IOT-SSH-WEAKALG: the SSH server offers algorithms or runs a version that ssh-audit fails (SHA-1
/// and 1024-bit key exchange, NIST curves, CBC, MD5 or truncated MACs, ssh-rsa or DSA host keys,
/// outdated dropbear or OpenSSH). Warn-level findings (SHA-1 MACs, encrypt-and-MAC, Terrapin
/// exposure) are listed in the evidence but do not fail the rule.
/// </summary>
public sealed class SshWeakAlgorithmRule : IBaselineRule
{
    public BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-SSH-WEAKALG",
        "SSH offers no weak algorithms",
        Severity.Medium,
        "Update the SSH server; remove SHA-1 and NIST-curve key exchange, CBC ciphers, MD5/SHA-1 MACs and "
            + "ssh-rsa/ssh-dss host keys from its configuration.",
        "SYS.4.4.M11");

    public async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var hellos = await SshHellos.ReadAsync(device, context, cancellationToken).ConfigureAwait(false);
        if (hellos.Count == 0)
        {
            return Result(device, RuleOutcome.NotApplicable, SshHellos.Checked(device));
        }

        var failed = false;
        var unjudged = false;
        var parts = new List<string>();
        foreach (var (port, hello) in hellos)
        {
            if (hello.KexInit is null)
            {
                // Without the server's algorithm lists nothing was judged on this port.
                unjudged = true;
                parts.Add($"port {port}: {hello.Identification}: check incomplete, no KEXINIT ({hello.Detail})");
                continue;
            }

            var audit = SshAlgorithmAudit.Grade(hello.Identification, hello.KexInit);
            failed |= audit.Overall == AuditGrade.Fail;
            parts.Add($"port {port}: {Describe(audit)}");
        }

        var outcome = failed ? RuleOutcome.Fail : unjudged ? RuleOutcome.Error : RuleOutcome.Pass;
        return Result(device, outcome, string.Join("; ", parts));
    }

    /// <summary>One line: the server, what fails and what warns.</summary>
    public static string Describe(SshAlgorithmAudit audit)
    {
        var text = $"{audit.Identification}";
        var failed = audit.Failed.Select(a => $"{a.Name} ({a.Reason})").ToList();
        failed.AddRange(audit.VersionFindings);
        text += failed.Count > 0 ? $"; fail: {string.Join(", ", failed)}" : "; no failing algorithm";
        var warned = audit.Warned.Select(a => $"{a.Name} ({a.Reason})").ToList();
        if (audit.TerrapinExposed)
        {
            warned.Add("Terrapin prefix truncation (no strict key exchange)");
        }

        return warned.Count > 0 ? $"{text}; warn: {string.Join(", ", warned)}" : text;
    }

    private RuleResult Result(IoTDevice device, RuleOutcome outcome, string evidence) =>
        new RuleResult(device.Address, device.Name, Info, outcome, evidence);
}
