using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Exposure;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>
/// The TLS ports of a device: HTTPS and MQTT-over-TLS standard ports and every discovered TLS service.
/// </summary>
internal static class TlsPorts
{
    private static readonly int[] s_standardPorts = { 443, 8443, 8883 };

    public static async Task<IReadOnlyList<int>> OpenAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var ports = For(device);
        return await ServicePorts.OpenAsync(device, ports, context, cancellationToken).ConfigureAwait(false);
    }

    public static IReadOnlyList<int> For(IoTDevice device) =>
        ServicePorts.For(device, s_standardPorts, "https", "tls", "mqtts");

    public static string NoneOpen(IoTDevice device) =>
        $"no TLS port open on {device.Address} (checked TCP {string.Join(", ", For(device))})";
}

/// <summary>IOT-TLS-PROTOCOL: a TLS port accepts SSL 3.0, TLS 1.0 or TLS 1.1.</summary>
public sealed class TlsProtocolRule : IBaselineRule
{
    public BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-TLS-PROTOCOL",
        "TLS only in versions 1.2 and 1.3",
        Severity.Medium,
        "Disable SSL 3.0, TLS 1.0 and TLS 1.1 on the device (firmware update or TLS settings); keep TLS 1.2 and 1.3.",
        "SYS.4.4.M11",
        "SYS.4.4.M24");

    public async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var open = await TlsPorts.OpenAsync(device, context, cancellationToken).ConfigureAwait(false);
        var parts = new List<string>();
        var failed = false;
        foreach (var port in open)
        {
            var audit = await TlsAudit.AuditProtocolsAsync(device.Address, port, device.Address,
                context.Options.ProbeTimeout, cancellationToken).ConfigureAwait(false);
            if (!audit.SpeaksTls)
            {
                parts.Add($"port {port}: no TLS version accepted");
                continue;
            }

            failed |= audit.Worst == AuditGrade.Fail;
            parts.Add($"port {port}: offers {string.Join(", ", audit.Offered.Select(TlsHello.Label))}");
        }

        var outcome = parts.Count == 0 ? RuleOutcome.NotApplicable : failed ? RuleOutcome.Fail : RuleOutcome.Pass;
        var evidence = parts.Count == 0 ? TlsPorts.NoneOpen(device) : string.Join("; ", parts);
        return new RuleResult(device.Address, device.Name, Info, outcome, evidence);
    }
}

/// <summary>
/// IOT-TLS-CERT: the certificate of a TLS port is expired or not yet valid, names another host,
/// has a weak key (RSA below 2048 bits, EC below 256, DSA) or an MD5/SHA-1 signature. A self-signed
/// certificate is named in the evidence but does not fail the rule: embedded devices can rarely
/// hold a CA-issued certificate and administrators pin theirs; what fails is what stays unsafe
/// even when pinned.
/// </summary>
public sealed class TlsCertificateRule : IBaselineRule
{
    public BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-TLS-CERT",
        "TLS certificate valid, matching and strong",
        Severity.Medium,
        "Install a current certificate for the device's name or address with an RSA key of at least 2048 bits "
            + "or an EC key of at least 256 bits, signed with SHA-256 or better.",
        "SYS.4.4.M11",
        "SYS.4.4.M24");

    public async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var open = await TlsPorts.OpenAsync(device, context, cancellationToken).ConfigureAwait(false);
        var parts = new List<string>();
        var failed = false;
        foreach (var port in open)
        {
            var audit = new TlsAuditResult(device.Address, port);
            var timeout = context.Options.ProbeTimeout;
            await TlsAudit.AuditCertificateAsync(audit, device.Address, timeout, cancellationToken)
                .ConfigureAwait(false);
            if (audit.Subject is null)
            {
                parts.Add($"port {port}: {audit.CertificateError ?? "no certificate"}");
                continue;
            }

            failed |= audit.Worst == AuditGrade.Fail;
            parts.Add($"port {port}: {Describe(audit)}");
        }

        var outcome = parts.Count == 0 ? RuleOutcome.NotApplicable : failed ? RuleOutcome.Fail : RuleOutcome.Pass;
        var evidence = parts.Count == 0 ? TlsPorts.NoneOpen(device) : string.Join("; ", parts);
        return new RuleResult(device.Address, device.Name, Info, outcome, evidence);
    }

    private static string Describe(TlsAuditResult audit)
    {
        var text = $"{audit.Subject}, {audit.KeyAlgorithm} {audit.KeySize} bits, {audit.SignatureAlgorithm}, "
            + $"valid until {audit.NotAfter:yyyy-MM-dd}";
        return audit.Findings.Count == 0 ? text : $"{text}; {string.Join(", ", audit.Findings)}";
    }
}
