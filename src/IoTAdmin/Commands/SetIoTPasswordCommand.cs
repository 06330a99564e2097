using System;
using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Security;
using IoTAdmin.Engine.Credentials;
using IoTAdmin.Engine.Ssh;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Set-IoTPassword: changes a device account's password over SSH, proves the new one logs in and
/// the old one no longer does, rolls back when the new one fails, and returns the new PSCredential
/// (with Address and Detail properties), or stores it in a SecretManagement vault with -Vault.
/// </summary>
[ImplementsMeasures("SYS.4.4.M1", "SYS.4.4.M2")]
[Cmdlet(VerbsCommon.Set, "IoTPassword", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High,
    DefaultParameterSetName = GiveSet)]
[OutputType(typeof(PSCredential))]
public sealed class SetIoTPasswordCommand : SshCommandBase
{
    private const string GiveSet = "NewPassword";
    private const string GenerateSet = "Generate";

    /// <summary>Gets or sets the account whose password changes; the -Credential user by default.</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")]
    public string? UserName { get; set; }

    /// <summary>Gets or sets the new password.</summary>
    [Parameter(Mandatory = true, ParameterSetName = GiveSet)]
    [ValidateNotNull]
    public SecureString NewPassword { get; set; } = null!;

    /// <summary>Gets or sets whether a new password is generated per device.</summary>
    [Parameter(Mandatory = true, ParameterSetName = GenerateSet)]
    public SwitchParameter Generate { get; set; }

    /// <summary>Gets or sets the length of generated passwords.</summary>
    [Parameter(ParameterSetName = GenerateSet)]
    [ValidateRange(12, 128)]
    public int Length { get; set; } = 20;

    /// <summary>Gets or sets the symbols generated passwords use; empty for letters and digits only.</summary>
    [Parameter(ParameterSetName = GenerateSet)]
    [AllowEmptyString]
    [ValidateNotNull]
    public string Symbols { get; set; } = PasswordPolicy.DefaultSymbols;

    /// <summary>Gets or sets a SecretManagement vault that receives each new credential.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Vault { get; set; }

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        if (Vault is not null)
        {
            VaultSecrets.Require(this, Vault, "Set-Secret");
        }
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        // A password chpasswd cannot take is refused before any device is touched or any change recorded.
        if (!Generate && NewPassword is not null
            && PasswordPolicy.Unsuitable(new NetworkCredential(string.Empty, NewPassword).Password) is { } why)
        {
            var unsuitable = new ArgumentException($"-NewPassword cannot be set: {why}.");
            ThrowTerminatingError(new ErrorRecord(unsuitable, "NewPasswordUnsuitable", ErrorCategory.InvalidArgument,
                null));
        }

        SshLogin login;
        try
        {
            login = BuildLogin();
        }
        catch (Exception ex) when (ex is PSArgumentException || ex is System.IO.IOException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidSshLogin", ErrorCategory.InvalidArgument, null));
            return;
        }

        foreach (var address in Address)
        {
            ChangeOn(address.Trim(), login);
        }
    }

    private void ChangeOn(string address, SshLogin login)
    {
        var user = UserName ?? login.UserName;
        if (ShouldProcess(address, $"Change the password of the account '{user}'"))
        {
            RecordChange(address, () => ChangeConfirmed(address, login, user), new Hashtable { ["Account"] = user });
        }
    }

    private void ChangeConfirmed(string address, SshLogin login, string user)
    {
        string newPassword;
        try
        {
            newPassword = Generate ? new PasswordPolicy { Length = Length, Symbols = Symbols }.Generate()
                : new NetworkCredential(string.Empty, NewPassword).Password;
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidPasswordPolicy", ErrorCategory.InvalidArgument, null));
            return;
        }

        var oldPassword = login.UsesKey || user != login.UserName ? null : login.Password;
        var changer = new PasswordChanger(Log);
        if (!TryWithShell(address, login, (shell, token) => changer.ChangeAsync(shell, user, oldPassword,
                newPassword, (next, t) => DeviceShell.ConnectAsync(address, Port, next, HostKeyPolicy, TimeoutSpan, t),
                token), out var result))
        {
            return;
        }

        Report(address, user, newPassword, result);
    }

    private void Report(string address, string user, string newPassword, PasswordChangeResult result)
    {
        if (result.NewPasswordWorks == false)
        {
            var failed = new InvalidOperationException($"{address}: '{user}': {result.Detail}.");
            var id = result.RolledBack ? "PasswordChangeRolledBack" : "PasswordChangeUnverified";
            WriteError(new ErrorRecord(failed, id, ErrorCategory.InvalidResult, address));
            return;
        }

        if (result.VerificationFailed)
        {
            var unproved = new InvalidOperationException($"{address}: '{user}': {result.Detail}.");
            WriteError(new ErrorRecord(unproved, "PasswordChangeUnverified", ErrorCategory.InvalidResult, address));
        }

        if (result.OldPasswordRefused == false)
        {
            WriteWarning($"{address}: '{user}': {result.Detail}.");
        }

        WriteVerbose($"{address}: '{user}': {result.Detail}.");
        var secure = new NetworkCredential(string.Empty, newPassword).SecurePassword;
        secure.MakeReadOnly();
        var credential = new PSCredential(user, secure);
        if (Vault is not null)
        {
            StoreInVault(address, user, credential);
            return;
        }

        var output = new PSObject(credential);
        output.Properties.Add(new PSNoteProperty("Address", address));
        output.Properties.Add(new PSNoteProperty("Detail", result.Detail));
        WriteObject(output);
    }

    /// <summary>
    /// Hands the credential to SecretManagement's Set-Secret, found by name at run time. Untested here:
    /// the module is not available in this project's build environment.
    /// </summary>
    private void StoreInVault(string address, string user, PSCredential credential)
    {
        var name = $"IoTAdmin/{address}/{user}";
        try
        {
            var store = ScriptBlock.Create(
                "param($n, $s, $v) Set-Secret -Name $n -Secret $s -Vault $v -ErrorAction Stop");
            InvokeCommand.InvokeScript(true, store, null, name, credential, Vault);
            WriteVerbose($"{address}: stored the new credential of '{user}' as secret '{name}' in vault '{Vault}'.");
        }
        catch (RuntimeException ex)
        {
            // The password did change: say so loudly, since the vault does not have it.
            var error = new InvalidOperationException(
                $"{address}: the password of '{user}' WAS changed, but storing it in vault '{Vault}' failed: "
                + ex.Message + " The new credential is written to the pipeline instead.", ex);
            WriteError(new ErrorRecord(error, "VaultStoreFailed", ErrorCategory.WriteError, address));
            WriteObject(credential);
        }
    }
}
