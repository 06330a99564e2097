using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>IOT-CRED-SSH: the device accepts a published default login over SSH.</summary>
public sealed class CredSshRule : IBaselineRule
{
    private static readonly int[] s_standardPorts = { 22 };

    public BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-CRED-SSH",
        "No default credentials accepted over SSH",
        Severity.Critical,
        "Change the default password of every SSH account (or disable the account), prefer public key "
        + "authentication and turn off password and keyboard-interactive login.",
        "SYS.4.4.M1",
        "SYS.4.4.M2");

    public async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var ports = ServicePorts.For(device, s_standardPorts, "ssh");
        var open = await ServicePorts.OpenAsync(device, ports, context, cancellationToken).ConfigureAwait(false);
        if (open.Count == 0)
        {
            return new RuleResult(device.Address, device.Name, Info, RuleOutcome.NotApplicable,
                $"no SSH port open on {device.Address} (checked TCP {string.Join(", ", ports)})");
        }

        var trial = new CredentialTrial(
            Info, "SSH", (port, pair, token) => AttemptAsync(device, port, pair, context, token));
        return await trial.RunAsync(device, open, context, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<AttemptVerdict> AttemptAsync(
        IoTDevice device,
        int port,
        CredentialPair pair,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var timeout = context.Options.ProbeTimeout;
        var policy = context.Options.EffectiveSshHostKeyPolicy;
        var result = await SshProbe.TryPasswordLoginAsync(
            device.Address, port, pair, timeout, policy, cancellationToken).ConfigureAwait(false);
        var detail = result.Outcome == LoginOutcome.NoPasswordMethod
            ? $"publickey only, no password login possible ({result.Detail})"
            : $"methods password and keyboard-interactive, {result.Detail}";
        if (result.HostKeyFingerprint is not null)
        {
            detail += $", host key {result.HostKeyAlgorithm} {result.HostKeyFingerprint}";
        }

        return new AttemptVerdict(result.Outcome, detail);
    }
}
