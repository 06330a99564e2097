using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Credentials;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>
/// The account rules log in over SSH with the credentials the admin gave Test-IoTBaseline (never the
/// built-in default list, which is for guessing, not for administration), read the accounts and judge
/// them. Without an SSH port they are NotApplicable, without credentials NotChecked, and Error with the
/// reason when none of the credentials logs in.
/// The SSH host key follows the audit's policy.
/// </summary>
public abstract class AccountRule : IBaselineRule
{
    private static readonly int[] s_standardPorts = { 22 };

    public abstract BaselineRuleInfo Info { get; }

    public async Task<RuleResult> EvaluateAsync(IoTDevice device, AuditContext context, CancellationToken ct)
    {
        var ports = ServicePorts.For(device, s_standardPorts, "ssh");
        var open = await ServicePorts.OpenAsync(device, ports, context, ct).ConfigureAwait(false);
        if (open.Count == 0)
        {
            return Result(device, RuleOutcome.NotApplicable,
                $"no SSH port open (checked TCP {string.Join(", ", ports)})");
        }

        if (context.Options.AdminLogins.Count == 0)
        {
            return Result(device, RuleOutcome.NotChecked,
                "no administrator login given (Test-IoTBaseline -AdminCredential), so the accounts were not read");
        }

        var failures = new List<string>();
        foreach (var pair in context.Options.AdminLogins.Take(context.Options.MaxAttemptsPerProtocol))
        {
            try
            {
                using var shell = await DeviceShell.ConnectAsync(device.Address, open[0],
                    SshLogin.WithPassword(pair.UserName, pair.Password), context.Options.EffectiveSshHostKeyPolicy,
                    context.Options.ProbeTimeout, ct).ConfigureAwait(false);
                var accounts = await AccountAuditor.ReadAsync(shell, ct).ConfigureAwait(false);
                return Judge(device, accounts);
            }
            catch (Exception ex) when (ex is DeviceShellException || ex is HostKeyException)
            {
                failures.Add($"{pair.UserName}: {ex.Message}");
                if (ex is HostKeyException)
                {
                    break;
                }
            }
        }

        return Result(device, RuleOutcome.Error, "could not read the accounts: " + string.Join("; ", failures));
    }

    /// <summary>The accounts this rule objects to, each with its reason.</summary>
    protected abstract IEnumerable<string> Offenders(IReadOnlyList<DeviceAccount> accounts);

    private RuleResult Judge(IoTDevice device, IReadOnlyList<DeviceAccount> accounts)
    {
        var offenders = Offenders(accounts).ToList();
        return offenders.Count == 0
            ? Result(device, RuleOutcome.Pass, $"{accounts.Count} accounts read; none offends")
            : Result(device, RuleOutcome.Fail, string.Join("; ", offenders));
    }

    private RuleResult Result(IoTDevice device, RuleOutcome outcome, string evidence) =>
        new RuleResult(device.Address, device.Name, Info, outcome, evidence);
}

/// <summary>IOT-ACCT-UID0: no account other than root has uid 0.</summary>
public sealed class AccountUid0Rule : AccountRule
{
    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-ACCT-UID0",
        "No superuser accounts besides root",
        Severity.High,
        "Remove the extra uid-0 accounts or give them their own uid and only the rights they need.",
        "SYS.4.4.M15");

    protected override IEnumerable<string> Offenders(IReadOnlyList<DeviceAccount> accounts) =>
        accounts.Where(a => a.IsExtraUid0).Select(a => $"'{a.UserName}' has uid 0 (shell {a.Shell})");
}

/// <summary>IOT-ACCT-EMPTYPW: no account with a login shell has an empty password.</summary>
public sealed class AccountEmptyPasswordRule : AccountRule
{
    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-ACCT-EMPTYPW",
        "No accounts with an empty password",
        Severity.Critical,
        "Set a strong password (Set-IoTPassword) or disable the account (Disable-IoTAccount).",
        "SYS.4.4.M1",
        "SYS.4.4.M2");

    protected override IEnumerable<string> Offenders(IReadOnlyList<DeviceAccount> accounts) =>
        accounts.Where(a => a.PasswordState == PasswordState.Empty && a.HasLoginShell)
            .Select(a => $"'{a.UserName}' has an empty password and the shell {a.Shell}");
}

/// <summary>IOT-ACCT-DEFAULT: no vendor default account (admin, support, guest, ...) can log in.</summary>
public sealed class AccountDefaultRule : AccountRule
{
    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-ACCT-DEFAULT",
        "No unneeded vendor default accounts",
        Severity.Medium,
        "Disable vendor default accounts nobody needs (Disable-IoTAccount); rename or re-password the rest.",
        "SYS.4.4.M13",
        "SYS.4.4.M15");

    protected override IEnumerable<string> Offenders(IReadOnlyList<DeviceAccount> accounts) =>
        accounts.Where(a => a.IsUnneededDefault).Select(a => $"'{a.UserName}' (uid {a.Uid}) can log in");
}
