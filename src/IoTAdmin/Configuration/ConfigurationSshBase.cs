using System;
using System.Linq;
using System.Management.Automation;
using IoTAdmin.Engine.Configuration;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Commands;

/// <summary>
/// The login side of the configuration cmdlets: the device credential from -Credential or from a
/// SecretManagement vault (-Vault with -CredentialSecret), read once before any device is touched
/// so a scheduled task whose identity cannot read the vault fails at once with a clear error
/// naming that identity (field report BR-11), never with a raw cryptography exception per device.
/// </summary>
public abstract class ConfigurationSshBase : SshLoginCmdletBase
{
    /// <summary>Gets or sets the SecretManagement vault that holds the device login.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Vault { get; set; }

    /// <summary>Gets or sets the name of the PSCredential secret in -Vault that is the device login.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CredentialSecret { get; set; }

    /// <summary>The login after -Credential or the vault was read; null when neither was given.</summary>
    internal PSCredential? Login { get; private set; }

    protected override void BeginProcessing()
    {
        Login = Credential;
        if (CredentialSecret is not null || Vault is not null)
        {
            Login = VaultSecrets.ReadCredential(this, Vault, CredentialSecret);
        }
    }

    /// <summary>The device access for one run: the SSH engine of issue 4 and the service engine of issue 5.</summary>
    internal IDeviceAccess CreateAccess(TimeSpan timeout) => new ModuleDeviceAccess(this, HostKeyPolicy, timeout);

    /// <summary>
    /// The device login: the credential's password when a credential was given, else the key file.
    /// With both, the key file is what key-only SSH proves key login with before passwords go off.
    /// </summary>
    /// <exception cref="ConfigurationException">Neither -Credential, a vault secret nor -KeyFile was given.</exception>
    internal SshLogin BuildLoginFor()
    {
        if (Login is not null && Login != PSCredential.Empty)
        {
            var plain = Login.GetNetworkCredential();
            return SshLogin.WithPassword(plain.UserName, plain.Password);
        }

        return KeyLogin("root") ?? throw new ConfigurationException(
            "Give -Credential, -Vault with -CredentialSecret, or -KeyFile to log in to devices over SSH.");
    }

    /// <summary>The public half of -KeyFile (the .pub file beside it), or null when there is none.</summary>
    internal string? KeyFilePublicHalf()
    {
        var path = KeyFilePath is null ? null : KeyFilePath + ".pub";
        return path is not null && System.IO.File.Exists(path) ? System.IO.File.ReadAllText(path).Trim() : null;
    }

    /// <summary>
    /// The -KeyFile login for <paramref name="user"/>; null without -KeyFile. Keys with a passphrase
    /// are not supported here: an unattended run has nobody to type it.
    /// </summary>
    internal SshLogin? KeyLogin(string user) => KeyFilePath is null ? null : SshLogin.WithKeyFile(user, KeyFilePath);
}

/// <summary>Reads PSCredentials from a SecretManagement vault through its own cmdlets.</summary>
internal static class VaultSecrets
{
    /// <summary>
    /// Stops the command with SecretManagementMissing unless every named SecretManagement command can be
    /// found; checked before any device is touched.
    /// </summary>
    public static void Require(PSCmdlet cmdlet, string vault, params string[] commands)
    {
        var missing = commands.Where(c =>
            cmdlet.InvokeCommand.GetCommand(c, CommandTypes.Cmdlet | CommandTypes.Function) is null).ToList();
        if (missing.Count > 0)
        {
            var error = new PSNotSupportedException("-Vault needs the module Microsoft.PowerShell.SecretManagement "
                + $"({string.Join(", ", missing)}), which is not installed.");
            cmdlet.ThrowTerminatingError(new ErrorRecord(error, "SecretManagementMissing", ErrorCategory.NotInstalled,
                vault));
        }
    }

    public static PSCredential ReadCredential(PSCmdlet cmdlet, string? vault, string? name)
    {
        if (vault is null || name is null)
        {
            Fail(cmdlet, new ArgumentException("-Vault and -CredentialSecret go together."),
                "VaultParametersIncomplete",
                ErrorCategory.InvalidArgument);
        }

        var found = cmdlet.InvokeCommand.InvokeScript(
            "Get-Command -Name Get-Secret -Module Microsoft.PowerShell.SecretManagement -ErrorAction Ignore");
        if (found.Count == 0)
        {
            Fail(cmdlet, new InvalidOperationException(
                "-Vault needs the Microsoft.PowerShell.SecretManagement module (Install-PSResource "
                + "Microsoft.PowerShell.SecretManagement), or pass -Credential."), "SecretManagementMissing",
                ErrorCategory.NotInstalled);
        }

        object? secret = null;
        try
        {
            var read = ScriptBlock.Create(
                "param($n, $v) Microsoft.PowerShell.SecretManagement\\Get-Secret -Name $n -Vault $v -ErrorAction Stop");
            secret = cmdlet.InvokeCommand.InvokeScript(true, read, null, name, vault).FirstOrDefault()?.BaseObject;
        }
        catch (RuntimeException ex)
        {
            // The common cause in scheduled tasks: the vault is protected for another account (BR-11).
            Fail(cmdlet, new InvalidOperationException(
                $"The account {Environment.UserDomainName}\\{Environment.UserName} cannot read secret '{name}' from "
                + $"vault '{vault}': {ex.Message} A scheduled task must run as the account that stored the "
                + "secret, or use a vault that account can unlock without a prompt."), "VaultSecretUnreadable",
                ErrorCategory.PermissionDenied);
        }

        return secret as PSCredential ?? Fail<PSCredential>(cmdlet, new InvalidOperationException(
            $"Secret '{name}' in vault '{vault}' is not a PSCredential."), "VaultSecretNotCredential",
            ErrorCategory.InvalidType);
    }

    private static void Fail(PSCmdlet cmdlet, Exception error, string id, ErrorCategory category) =>
        cmdlet.ThrowTerminatingError(new ErrorRecord(error, id, category, null));

    private static T Fail<T>(PSCmdlet cmdlet, Exception error, string id, ErrorCategory category)
    {
        Fail(cmdlet, error, id, category);
        return default!;
    }
}
