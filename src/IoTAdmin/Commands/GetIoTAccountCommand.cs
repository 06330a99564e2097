using System.Linq;
using System.Management.Automation;
using IoTAdmin.Engine.Credentials;
using IoTAdmin.Engine.Ssh;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Get-IoTAccount: lists a device's accounts over SSH and flags extra uid-0 accounts, empty passwords
/// and vendor default accounts that can log in (SYS.4.4.M13, M15).
/// </summary>
[ImplementsMeasures("SYS.4.4.M13", "SYS.4.4.M15")]
[Cmdlet(VerbsCommon.Get, "IoTAccount")]
[OutputType(typeof(DeviceAccount))]
public sealed class GetIoTAccountCommand : SshCommandBase
{
    /// <summary>Gets or sets whether only accounts with issues are written.</summary>
    [Parameter]
    public SwitchParameter IssuesOnly { get; set; }

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
            if (!TryWithShell(address.Trim(), login, AccountAuditor.ReadAsync, out var accounts))
            {
                continue;
            }

            foreach (var account in accounts.Where(a => !IssuesOnly || a.Issues.Count > 0))
            {
                WriteObject(account);
            }
        }
    }
}
