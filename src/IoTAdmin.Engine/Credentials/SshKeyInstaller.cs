using System;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Engine.Credentials;

/// <summary>What Add-IoTSshKey did on one device.</summary>
public sealed class SshKeyInstallResult
{
    public SshKeyInstallResult(string address, string userName)
    {
        Address = address;
        UserName = userName;
    }

    public string Address { get; }

    public string UserName { get; }

    /// <summary>The key was appended (false: it was there already).</summary>
    public bool KeyAdded { get; set; }

    /// <summary>A fresh login with the key worked.</summary>
    public bool KeyLoginWorks { get; set; }

    /// <summary>Password login was turned off persistently and a fresh key login still worked.</summary>
    public bool PasswordLoginDisabled { get; set; }

    /// <summary>dropbear, dropbear-uci or openssh, for the password switch.</summary>
    public string Server { get; set; } = string.Empty;

    public string Detail { get; set; } = string.Empty;
}

/// <summary>
/// Installs a public key in an account's authorized_keys, proves a fresh key login, and only then
/// (when asked) turns password login off: dropbear gets -s in its start arguments (OpenWrt: uci
/// PasswordAuth off), OpenSSH "PasswordAuthentication no" and "KbdInteractiveAuthentication no" after
/// "sshd -t" accepts the file. The server is restarted, key login is proved again, and when that fails
/// the saved configuration is restored through the session that is still open, so the admin is never
/// locked out. Known limit: dropbear started by something other than an init script that names it
/// (e.g. inetd) is not recognised and password login stays on (reported).
/// </summary>
public sealed class SshKeyInstaller
{
    private static readonly Regex s_publicKey = new Regex(
        @"^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com)"
        + @" [A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$",
        RegexOptions.CultureInvariant);

    private static readonly TimeSpan s_command = TimeSpan.FromSeconds(20);
    private readonly IActivityLog _log;

    public SshKeyInstaller(IActivityLog log)
    {
        _log = log;
    }

    /// <summary>Checks an OpenSSH public key line; returns it trimmed.</summary>
    /// <exception cref="ArgumentException">Not a single-line OpenSSH public key.</exception>
    public static string ValidatePublicKey(string publicKey)
    {
        var line = (publicKey ?? string.Empty).Trim();
        if (!s_publicKey.IsMatch(line))
        {
            throw new ArgumentException(
                "The public key is not one OpenSSH line such as 'ssh-ed25519 AAAA... comment'.");
        }

        return line;
    }

    public async Task<SshKeyInstallResult> InstallAsync(
        DeviceShell admin,
        string userName,
        string publicKey,
        SshLogin keyLogin,
        bool disablePasswordLogin,
        Func<SshLogin, CancellationToken, Task<DeviceShell>> reconnect,
        CancellationToken ct)
    {
        var key = ValidatePublicKey(publicKey);
        var result = new SshKeyInstallResult(admin.Host, userName);
        result.KeyAdded = await AppendKeyAsync(admin, userName, key, ct).ConfigureAwait(false);
        result.KeyLoginWorks = await KeyLoginWorksAsync(reconnect, keyLogin, 1, ct).ConfigureAwait(false);
        if (!result.KeyLoginWorks)
        {
            if (result.KeyAdded)
            {
                await RemoveKeyAsync(admin, userName, key, ct).ConfigureAwait(false);
            }

            result.Detail = "the key was installed but a key login failed, so it was removed again and "
                + "password login was left on";
            return result;
        }

        if (!disablePasswordLogin)
        {
            result.Detail = "key installed and key login proved";
            return result;
        }

        await DisablePasswordsAsync(admin, keyLogin, reconnect, result, ct).ConfigureAwait(false);
        return result;
    }

    private static async Task<string> HomeOfAsync(DeviceShell admin, string user, CancellationToken ct)
    {
        var home = await admin.RunAsync($"awk -F: -v u={DeviceShell.ShellQuote(user)} '$1==u {{print $6}}' /etc/passwd",
            s_command, ct).ConfigureAwait(false);
        var path = home.StandardOutput.Trim();
        if (!home.Succeeded || !path.StartsWith("/", StringComparison.Ordinal) || path.IndexOf('\n') >= 0)
        {
            throw new DeviceShellException(SshFailure.ProtocolError, $"{admin.Host} has no account '{user}'.");
        }

        return path;
    }

    private async Task<bool> AppendKeyAsync(DeviceShell admin, string user, string key, CancellationToken ct)
    {
        var home = DeviceShell.ShellQuote(await HomeOfAsync(admin, user, ct).ConfigureAwait(false));
        var script = $"k=$(cat); d={home}/.ssh; f=$d/authorized_keys; mkdir -p \"$d\" && chmod 700 \"$d\" "
            + "&& touch \"$f\" && chmod 600 \"$f\" && chown -R " + DeviceShell.ShellQuote(user) + " \"$d\" "
            + "&& if grep -qxF \"$k\" \"$f\"; then echo present; "
            + "else printf '%s\\n' \"$k\" >> \"$f\" && echo added; fi";
        var run = await admin.RunAsync(script, key + "\n", s_command, ct).ConfigureAwait(false);
        if (!run.Succeeded)
        {
            throw new DeviceShellException(SshFailure.ProtocolError,
                $"{admin.Host}: writing authorized_keys failed (exit {run.ExitStatus}): {run.StandardError.Trim()}");
        }

        _log.Verbose($"Add-IoTSshKey: {admin.Host}: key for '{user}' {run.StandardOutput.Trim()}.");
        return run.StandardOutput.Contains("added");
    }

    private static async Task RemoveKeyAsync(DeviceShell admin, string user, string key, CancellationToken ct)
    {
        var home = DeviceShell.ShellQuote(await HomeOfAsync(admin, user, ct).ConfigureAwait(false));
        var script = $"k=$(cat); f={home}/.ssh/authorized_keys; grep -vxF \"$k\" \"$f\" > \"$f.new\"; "
            + "cat \"$f.new\" > \"$f\"; rm -f \"$f.new\"";
        await admin.RunAsync(script, key + "\n", s_command, ct).ConfigureAwait(false);
    }

    /// <summary>Fresh key logins, retried while a restarted server comes back.</summary>
    private static async Task<bool> KeyLoginWorksAsync(
        Func<SshLogin, CancellationToken, Task<DeviceShell>> reconnect, SshLogin keyLogin, int tries,
        CancellationToken ct)
    {
        for (var attempt = 1; attempt <= tries; attempt++)
        {
            try
            {
                using var shell = await reconnect(keyLogin, ct).ConfigureAwait(false);
                var probe = await shell.RunAsync("true", s_command, ct).ConfigureAwait(false);
                if (probe.Succeeded)
                {
                    return true;
                }
            }
            catch (DeviceShellException) when (attempt < tries)
            {
                // The server may still be restarting.
            }
            catch (DeviceShellException)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        }

        return false;
    }

    private async Task DisablePasswordsAsync(
        DeviceShell admin,
        SshLogin keyLogin,
        Func<SshLogin, CancellationToken, Task<DeviceShell>> reconnect,
        SshKeyInstallResult result,
        CancellationToken ct)
    {
        var plan = await ServerSwitch.FindAsync(admin, ct).ConfigureAwait(false);
        if (plan is null)
        {
            result.Detail = "key installed and proved; password login NOT turned off: neither a dropbear init "
                + "script, uci dropbear config nor sshd_config was found";
            return;
        }

        result.Server = plan.Server;
        var apply = await admin.RunAsync(plan.ApplyScript, s_command, ct).ConfigureAwait(false);
        if (!apply.Succeeded)
        {
            result.Detail = $"key installed and proved; turning password login off failed ({plan.Server}, exit "
                + $"{apply.ExitStatus}: {apply.StandardOutput.Trim()} {apply.StandardError.Trim()}); nothing changed";
            return;
        }

        if (await KeyLoginWorksAsync(reconnect, keyLogin, 10, ct).ConfigureAwait(false))
        {
            result.PasswordLoginDisabled = true;
            result.Detail = $"key installed and proved; password login turned off ({plan.Server}) and key login "
                + "proved again";
            return;
        }

        var restore = await admin.RunAsync(plan.RestoreScript, s_command, ct).ConfigureAwait(false);
        result.Detail = restore.Succeeded
            ? $"key login failed after turning password login off ({plan.Server}); the old configuration was restored"
            : "key login failed after turning password login off and restoring failed "
                + $"({plan.Server}): use the console";
        _log.Warning($"Add-IoTSshKey: {admin.Host}: {result.Detail}.");
    }
}
