using System;
using System.Collections;
using System.IO;
using System.Management.Automation;
using IoTAdmin.Engine.Credentials;
using IoTAdmin.Engine.Ssh;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Add-IoTSshKey: installs a public key for a device account, proves a key login with the matching
/// private key, and only then, with -DisablePasswordLogin, turns SSH password login off, proving key
/// login again afterwards and restoring the old configuration when it fails.
/// </summary>
[ImplementsMeasures("SYS.4.4.M2")]
[Cmdlet(VerbsCommon.Add, "IoTSshKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SshKeyInstallResult))]
public sealed class AddIoTSshKeyCommand : SshCommandBase
{
    /// <summary>Gets or sets the private key whose public half (the .pub file beside it) is installed.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string IdentityFile { get; set; } = string.Empty;

    /// <summary>Gets or sets the passphrase of the identity file.</summary>
    [Parameter]
    public System.Security.SecureString? IdentityPassphrase { get; set; }

    /// <summary>Gets or sets the account that receives the key; the login user by default.</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")]
    public string? UserName { get; set; }

    /// <summary>Gets or sets whether password login is turned off once key login is proved.</summary>
    [Parameter]
    public SwitchParameter DisablePasswordLogin { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        SshLogin login;
        string publicKey;
        string privatePath;
        try
        {
            login = BuildLogin();
            privatePath = GetUnresolvedProviderPathFromPSPath(IdentityFile);
            publicKey = SshKeyInstaller.ValidatePublicKey(File.ReadAllText(privatePath + ".pub"));
        }
        catch (Exception ex) when (ex is IOException || ex is ArgumentException || ex is PSArgumentException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidSshKey", ErrorCategory.InvalidArgument, IdentityFile));
            return;
        }

        foreach (var address in Address)
        {
            InstallOn(address.Trim(), login, publicKey, privatePath);
        }
    }

    private void InstallOn(string address, SshLogin login, string publicKey, string privatePath)
    {
        var user = UserName ?? login.UserName;
        var action = DisablePasswordLogin
            ? $"Install an SSH key for '{user}' and turn SSH password login off"
            : $"Install an SSH key for '{user}'";
        if (ShouldProcess(address, action))
        {
            RecordChange(address, () => InstallConfirmed(address, login, user, publicKey, privatePath),
                new Hashtable { ["Account"] = user });
        }
    }

    private void InstallConfirmed(string address, SshLogin login, string user, string publicKey, string privatePath)
    {
        var passphrase = IdentityPassphrase is null ? null
            : new System.Net.NetworkCredential(string.Empty, IdentityPassphrase).Password;
        var keyLogin = SshLogin.WithKeyFile(user, privatePath, passphrase);
        var installer = new SshKeyInstaller(Log);
        if (!TryWithShell(address, login, (shell, token) => installer.InstallAsync(shell, user, publicKey, keyLogin,
                DisablePasswordLogin, (next, t) => DeviceShell.ConnectAsync(address, Port, next, HostKeyPolicy,
                    TimeoutSpan, t), token), out var result))
        {
            return;
        }

        var failed = !result.KeyLoginWorks || (DisablePasswordLogin && !result.PasswordLoginDisabled);
        if (failed)
        {
            var error = new InvalidOperationException($"{address}: {result.Detail}.");
            var id = result.KeyLoginWorks ? "PasswordLoginNotDisabled" : "SshKeyLoginFailed";
            WriteError(new ErrorRecord(error, id, ErrorCategory.InvalidResult, address));
        }

        WriteObject(result);
    }
}
