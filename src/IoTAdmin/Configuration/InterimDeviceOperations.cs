using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Configuration;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Commands;

/// <summary>
/// Device changes the configuration engine needs whose owning engine (issue 4's Set-IoTPassword and
/// Add-IoTSshKey) had not landed when this was written: password rotation and key-only SSH. Each is
/// small, runs over issue 4's DeviceShell and proves its effect; each should be replaced by a call
/// into the owning engine once that exists, which changes only <see cref="ModuleDeviceAccess"/>.
/// </summary>
internal static class InterimDeviceOperations
{
    /// <summary>Sets the password with chpasswd (input on stdin), proves the new one logs in and the old one fails.</summary>
    public static async Task ChangePasswordAsync(
        ModuleDeviceAccess access,
        ConfigurationTarget target,
        SshLogin current,
        string account,
        string newPassword,
        CancellationToken cancellationToken)
    {
        if (newPassword.IndexOfAny(new[] { ':', '\n', '\r' }) >= 0)
        {
            throw new ConfigurationException($"The new password for {account} contains ':' or a line break.");
        }

        using (var shell = await access.OpenAsync(target, current, cancellationToken).ConfigureAwait(false))
        {
            var set = await shell.RunAsync(
                "if command -v chpasswd >/dev/null 2>&1; then chpasswd; else busybox chpasswd -c sha512; fi",
                $"{account}:{newPassword}\n", access.Timeout, cancellationToken).ConfigureAwait(false);
            if (!set.Succeeded)
            {
                throw new ConfigurationException($"{target}: chpasswd for {account} failed (exit "
                    + $"{set.ExitStatus?.ToString() ?? "none"}): {set.StandardError.Trim()}");
            }
        }

        await ProveNewPasswordAsync(access, target, account, newPassword, cancellationToken).ConfigureAwait(false);
        if (current.UserName == account && current.Password is not null)
        {
            await ProveRefusedAsync(access, target, current, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Appends the keys to the login account's authorized_keys, proves login with -KeyFile, then
    /// turns password login off (dropbear -s, or sshd PasswordAuthentication no) and restarts the
    /// SSH server; the current session survives the restart.
    /// </summary>
    public static async Task RequireKeyLoginAsync(
        ModuleDeviceAccess access,
        ConfigurationTarget target,
        IReadOnlyList<string> keys,
        SshLogin? proof,
        CancellationToken cancellationToken)
    {
        if (proof is null)
        {
            throw new ConfigurationException(
                $"{target}: key-only SSH needs -KeyFile, the private key that proves key login before password "
                + "login is turned off; nothing was changed.");
        }

        using var shell = await access.OpenAsync(target, access.LoginFor(target), cancellationToken)
            .ConfigureAwait(false);
        await RunAsync(shell, access, "umask 077; mkdir -p \"$HOME/.ssh\" && touch \"$HOME/.ssh/authorized_keys\" && "
            + "while IFS= read -r k; do grep -qxF \"$k\" \"$HOME/.ssh/authorized_keys\" || "
            + "printf '%s\\n' \"$k\" >> \"$HOME/.ssh/authorized_keys\"; done",
            string.Join("\n", keys) + "\n", "authorizing the keys", target, cancellationToken).ConfigureAwait(false);

        using (await access.OpenAsync(target, proof, cancellationToken).ConfigureAwait(false))
        {
            // Key login works: only now may password login go.
        }

        await RunAsync(shell, access, DisablePasswordLoginCommand, null, "turning password login off", target,
            cancellationToken).ConfigureAwait(false);
    }

    private const string DisablePasswordLoginCommand =
        "changed=0; for s in /etc/init.d/S??dropbear; do [ -f \"$s\" ] || continue; "
        + "grep -q 'dropbear -F' \"$s\" && ! grep -q 'dropbear -F -s' \"$s\" && "
        + "sed -i 's/dropbear -F/dropbear -F -s/' \"$s\" && changed=1; "
        + "[ $changed = 1 ] && \"$s\" restart >/dev/null 2>&1; done; "
        + "if [ -f /etc/ssh/sshd_config ]; then "
        + "sed -i -E 's/^[[:space:]]*#?[[:space:]]*PasswordAuthentication.*/PasswordAuthentication no/' "
        + "/etc/ssh/sshd_config; grep -q '^PasswordAuthentication no' /etc/ssh/sshd_config || "
        + "sed -i '1i PasswordAuthentication no' /etc/ssh/sshd_config; "
        + "for s in /etc/init.d/S??sshd; do [ -x \"$s\" ] && \"$s\" restart >/dev/null 2>&1; done; "
        + "command -v systemctl >/dev/null 2>&1 && systemctl reload ssh 2>/dev/null; fi; true";

    private static async Task RunAsync(
        DeviceShell shell,
        ModuleDeviceAccess access,
        string command,
        string? input,
        string what,
        ConfigurationTarget target,
        CancellationToken cancellationToken)
    {
        var result = await shell.RunAsync(command, input, access.Timeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ConfigurationException($"{target}: {what} failed (exit {result.ExitStatus?.ToString() ?? "none"}"
                + $"{(result.TimedOut ? ", timed out" : "")}): {result.StandardError.Trim()}");
        }
    }

    private static async Task ProveNewPasswordAsync(
        ModuleDeviceAccess access, ConfigurationTarget target, string account, string password,
        CancellationToken cancellationToken)
    {
        using var shell = await access.OpenAsync(target, SshLogin.WithPassword(account, password), cancellationToken)
            .ConfigureAwait(false);
        await RunAsync(shell, access, "true", null, "logging in with the new password", target, cancellationToken)
            .ConfigureAwait(false);
    }

    private static async Task ProveRefusedAsync(
        ModuleDeviceAccess access, ConfigurationTarget target, SshLogin old, CancellationToken cancellationToken)
    {
        try
        {
            using (await access.OpenAsync(target, old, cancellationToken).ConfigureAwait(false))
            {
            }
        }
        catch (DeviceShellException ex) when (ex.Failure == SshFailure.AuthenticationFailed)
        {
            return;
        }

        throw new ConfigurationException($"{target}: the old password of {old.UserName} still logs in after the change.");
    }
}
