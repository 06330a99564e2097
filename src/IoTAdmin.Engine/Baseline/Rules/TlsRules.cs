using System;
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

/// <summary>
/// The verdicts of a TLS rule's ports joined into one: a port that fails fails the rule; otherwise a
/// port the check could not finish on makes it an Error, since an unchecked port must not pass.
/// </summary>
internal sealed class TlsPortVerdicts
{
    private readonly List<string> _parts = new List<string>();
    private bool _failed;
    private bool _incomplete;

    public void Pass(string text) => _parts.Add(text);

    public void Fail(string text)
    {
        _failed = true;
        _parts.Add(text);
    }

    public void Incomplete(string text)
    {
        _incomplete = true;
        _parts.Add(text);
    }

    public RuleResult ToResult(IoTDevice device, BaselineRuleInfo info)
    {
        if (_parts.Count == 0)
        {
            return new RuleResult(device.Address, device.Name, info, RuleOutcome.NotApplicable,
                TlsPorts.NoneOpen(device));
        }

        var outcome = _failed ? RuleOutcome.Fail : _incomplete ? RuleOutcome.Error : RuleOutcome.Pass;
        return new RuleResult(device.Address, device.Name, info, outcome, string.Join("; ", _parts));
    }
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
        var verdicts = new TlsPortVerdicts();
        foreach (var port in open)
        {
            var audit = await TlsAudit.AuditProtocolsAsync(device.Address, port, device.Address,
                context.Options.ProbeTimeout, cancellationToken).ConfigureAwait(false);
            Judge(audit, context.Options.ProbeTimeout, verdicts);
        }

        return verdicts.ToResult(device, Info);
    }

    /// <summary>
    /// Offering an old version fails. Refusing every version by alert or hang-up is a clear answer (the
    /// port offers no old version); a version that got silence, garbage or a reset is unknown, and an
    /// unknown old version leaves the question open.
    /// </summary>
    private static void Judge(TlsAuditResult audit, TimeSpan timeout, TlsPortVerdicts verdicts)
    {
        var offered = audit.Offered.ToList();
        var unknown = audit.Protocols.Where(p => p.Value is null).Select(p => p.Key).OrderBy(p => p).ToList();
        var text = offered.Count == 0 ? "no TLS version accepted" : $"offers {Labels(offered)}";
        if (unknown.Count > 0)
        {
            text += $", no clear answer (silence, garbage or reset) to the {Labels(unknown)} hello "
                + $"within {timeout.TotalSeconds:0.#} s";
        }

        if (audit.Worst == AuditGrade.Fail)
        {
            verdicts.Fail($"port {audit.Port}: {text}");
        }
        else if (offered.Count == 0 && unknown.Count == 0)
        {
            verdicts.Pass($"port {audit.Port}: refuses every TLS version");
        }
        else if (offered.Count == 0 || unknown.Any(p => p < TlsProtocol.Tls12))
        {
            verdicts.Incomplete($"port {audit.Port}: check incomplete, {text}");
        }
        else
        {
            verdicts.Pass($"port {audit.Port}: {text}");
        }
    }

    private static string Labels(IEnumerable<TlsProtocol> protocols) =>
        string.Join(", ", protocols.Select(TlsHello.Label));
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
        var verdicts = new TlsPortVerdicts();
        foreach (var port in open)
        {
            var audit = new TlsAuditResult(device.Address, port);
            var timeout = context.Options.ProbeTimeout;
            await TlsAudit.AuditCertificateAsync(audit, device.Address, timeout, cancellationToken)
                .ConfigureAwait(false);
            Judge(audit, verdicts);
        }

        return verdicts.ToResult(device, Info);
    }

    // Without a certificate there is nothing to judge: a timeout, garbage, a reset and a refused handshake
    // all leave the port unchecked, so none of them may pass.
    private static void Judge(TlsAuditResult audit, TlsPortVerdicts verdicts)
    {
        if (audit.Subject is null)
        {
            var reason = audit.CertificateError ?? "the handshake presented no certificate";
            verdicts.Incomplete($"port {audit.Port}: check incomplete, {reason}");
        }
        else if (audit.Worst == AuditGrade.Fail)
        {
            verdicts.Fail($"port {audit.Port}: {Describe(audit)}");
        }
        else
        {
            verdicts.Pass($"port {audit.Port}: {Describe(audit)}");
        }
    }

    private static string Describe(TlsAuditResult audit)
    {
        var text = $"{audit.Subject}, {audit.KeyAlgorithm} {audit.KeySize} bits, {audit.SignatureAlgorithm}, "
            + $"valid until {audit.NotAfter:yyyy-MM-dd}";
        return audit.Findings.Count == 0 ? text : $"{text}; {string.Join(", ", audit.Findings)}";
    }
}
