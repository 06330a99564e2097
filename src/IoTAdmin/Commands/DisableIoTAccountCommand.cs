using System.Collections;
using System.Management.Automation;
using IoTAdmin.Engine.Credentials;
using IoTAdmin.Engine.Ssh;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Disable-IoTAccount: locks a device account's password and gives it a no-login shell over SSH.
/// Refuses root and the account used to log in, so the admin is never locked out.
/// </summary>
[ImplementsMeasures("SYS.4.4.M13", "SYS.4.4.M15")]
[Cmdlet(VerbsLifecycle.Disable, "IoTAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DeviceAccount))]
public sealed class DisableIoTAccountCommand : SshCommandBase
{
    /// <summary>Gets or sets the accounts to disable; DeviceAccount objects bind by UserName.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidatePattern("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")]
    public string[] UserName { get; set; } = System.Array.Empty<string>();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        SshLogin login;
        try
        {
            login = BuildLogin();
        }
        catch (System.Exception ex) when (ex is PSArgumentException || ex is System.IO.IOException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidSshLogin", ErrorCategory.InvalidArgument, null));
            return;
        }

        foreach (var address in Address)
        {
            foreach (var user in UserName)
            {
                Disable(address.Trim(), login, user);
            }
        }
    }

    private void Disable(string address, SshLogin login, string user)
    {
        if (ShouldProcess($"{address} account '{user}'", "Lock the password and set a no-login shell"))
        {
            RecordChange(address, () => DisableConfirmed(address, login, user), new Hashtable { ["Account"] = user });
        }
    }

    private void DisableConfirmed(string address, SshLogin login, string user)
    {
        try
        {
            if (TryWithShell(address, login, (shell, token) => AccountAuditor.DisableAsync(
                    shell, login.UserName, user, token), out var account))
            {
                WriteObject(account);
            }
        }
        catch (System.Exception ex) when (Unwrap(ex) is System.InvalidOperationException refused)
        {
            WriteError(new ErrorRecord(refused, "AccountNotDisabled", ErrorCategory.InvalidOperation, address));
        }
    }
}
