using System;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Engine.Credentials;

/// <summary>The outcome of one password change; never holds a password.</summary>
public sealed class PasswordChangeResult
{
    public PasswordChangeResult(string address, string userName)
    {
        Address = address;
        UserName = userName;
    }

    public string Address { get; }

    public string UserName { get; }

    /// <summary>The tool that changed it: chpasswd or passwd.</summary>
    public string Method { get; set; } = string.Empty;

    public bool Changed { get; set; }

    /// <summary>A fresh SSH login with the new password worked (null: password login is off).</summary>
    public bool? NewPasswordWorks { get; set; }

    /// <summary>A fresh SSH login with the old password was refused (null: not checked).</summary>
    public bool? OldPasswordRefused { get; set; }

    public bool RolledBack { get; set; }

    /// <summary>The password was changed but the proof logins could not be made (connection lost).</summary>
    public bool VerificationFailed { get; set; }

    public string Detail { get; set; } = string.Empty;
}

/// <summary>
/// Changes an account's password over SSH on Linux, BusyBox and OpenWrt style devices: chpasswd when
/// present (BusyBox and shadow-utils both have it), else passwd fed through standard input. The new
/// password only travels through standard input, never the command line. The old shadow entry is
/// kept in memory first; when a fresh login with the new password fails, it is written back with
/// "chpasswd -e" through the still open session. Known limit: a device that keeps passwords outside
/// /etc/shadow (a vendor database) is changed through its passwd tool only and cannot be rolled back.
/// </summary>
public sealed class PasswordChanger
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(20);
    private readonly IActivityLog _log;

    public PasswordChanger(IActivityLog log)
    {
        _log = log;
    }

    /// <summary>
    /// Changes the password of <paramref name="userName"/> through an open admin session;
    /// <paramref name="reconnect"/> opens the fresh sessions of the verification logins.
    /// </summary>
    public async Task<PasswordChangeResult> ChangeAsync(
        DeviceShell admin,
        string userName,
        string? oldPassword,
        string newPassword,
        Func<SshLogin, CancellationToken, Task<DeviceShell>> reconnect,
        CancellationToken ct)
    {
        var result = new PasswordChangeResult(admin.Host, userName);
        var unsuitable = PasswordPolicy.Unsuitable(newPassword);
        if (unsuitable is not null || !IsSafeUserName(userName))
        {
            throw new ArgumentException(unsuitable ?? $"'{userName}' is not a valid account name.");
        }

        var oldEntry = await ReadShadowEntryAsync(admin, userName, ct).ConfigureAwait(false);
        await SetAsync(admin, userName, newPassword, result, ct).ConfigureAwait(false);
        result.Changed = true;
        _log.Verbose($"Set-IoTPassword: {admin.Host}: changed the password of '{userName}' with {result.Method}.");

        try
        {
            await VerifyAsync(admin, userName, oldPassword, newPassword, oldEntry, reconnect, result, ct)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DeviceShellException || ex is HostKeyException)
        {
            // The change is made: the caller must learn that, with the new password, even if the device
            // dropped the connection before it could be proved.
            result.VerificationFailed = true;
            result.Detail = $"the password WAS changed with {result.Method}, but verifying it failed: {ex.Message}";
        }

        return result;
    }

    private async Task VerifyAsync(
        DeviceShell admin,
        string userName,
        string? oldPassword,
        string newPassword,
        string? oldEntry,
        Func<SshLogin, CancellationToken, Task<DeviceShell>> reconnect,
        PasswordChangeResult result,
        CancellationToken ct)
    {
        result.NewPasswordWorks = await TryLoginAsync(reconnect, userName, newPassword, ct).ConfigureAwait(false);
        if (result.NewPasswordWorks == false)
        {
            await RollBackAsync(admin, userName, oldEntry, result, ct).ConfigureAwait(false);
            return;
        }

        if (oldPassword is not null && oldPassword != newPassword)
        {
            var oldWorks = await TryLoginAsync(reconnect, userName, oldPassword, ct).ConfigureAwait(false);
            result.OldPasswordRefused = oldWorks is null ? null : !oldWorks;
        }

        result.Detail = Describe(result);
    }

    private static bool IsSafeUserName(string name) =>
        name.Length > 0 && name.Length <= 64
        && System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z0-9_][A-Za-z0-9_.-]*$");

    private static async Task<string?> ReadShadowEntryAsync(DeviceShell admin, string user, CancellationToken ct)
    {
        var read = await admin.RunAsync($"grep '^{user}:' /etc/shadow", s_commandTimeout, ct).ConfigureAwait(false);
        var line = read.Succeeded ? read.StandardOutput.Trim() : string.Empty;
        var fields = line.Split(':');
        return fields.Length >= 2 && fields[1].Length > 0 ? fields[1] : null;
    }

    private static async Task SetAsync(
        DeviceShell admin, string user, string password, PasswordChangeResult result, CancellationToken ct)
    {
        var chpasswd = await admin.RunAsync($"command -v chpasswd >/dev/null && chpasswd", $"{user}:{password}\n",
            s_commandTimeout, ct).ConfigureAwait(false);
        if (chpasswd.Succeeded)
        {
            result.Method = "chpasswd";
            return;
        }

        // passwd asks twice; BusyBox and shadow-utils both read the answers from standard input.
        var passwd = await admin.RunAsync($"passwd {user}", $"{password}\n{password}\n", s_commandTimeout, ct)
            .ConfigureAwait(false);
        if (passwd.Succeeded)
        {
            result.Method = "passwd";
            return;
        }

        throw new DeviceShellException(SshFailure.ProtocolError,
            $"{admin.Host} changed nothing: chpasswd exit {Exit(chpasswd)}, passwd exit {Exit(passwd)} "
            + $"({Clean(passwd.StandardError + passwd.StandardOutput, password)}).");
    }

    private static string Exit(ShellCommandResult r) => r.TimedOut ? "timeout" : r.ExitStatus?.ToString() ?? "none";

    private static string Clean(string text, string secret)
    {
        var trimmed = text.Replace(secret, "***").Trim();
        return trimmed.Length > 200 ? trimmed.Substring(0, 200) : trimmed;
    }

    /// <summary>True: logged in; false: refused; null: the server allows no password login.</summary>
    private static async Task<bool?> TryLoginAsync(
        Func<SshLogin, CancellationToken, Task<DeviceShell>> reconnect,
        string user,
        string password,
        CancellationToken ct)
    {
        try
        {
            using var shell = await reconnect(SshLogin.WithPassword(user, password), ct).ConfigureAwait(false);
            var probe = await shell.RunAsync("true", s_commandTimeout, ct).ConfigureAwait(false);
            return probe.Succeeded || !probe.TimedOut;
        }
        catch (DeviceShellException ex) when (ex.Failure == SshFailure.AuthenticationFailed)
        {
            var passwordAllowed = ex.Message.IndexOf("password", StringComparison.OrdinalIgnoreCase) >= 0
                || ex.Message.IndexOf("keyboard-interactive", StringComparison.OrdinalIgnoreCase) >= 0;
            return passwordAllowed ? false : (bool?)null;
        }
    }

    private async Task RollBackAsync(
        DeviceShell admin, string user, string? oldHash, PasswordChangeResult result, CancellationToken ct)
    {
        if (oldHash is null)
        {
            result.Detail = "the new password does not log in and the old entry could not be read: "
                + "NOT rolled back, check the account on the console";
            return;
        }

        var restore = await admin.RunAsync("chpasswd -e", $"{user}:{oldHash}\n", s_commandTimeout, ct)
            .ConfigureAwait(false);
        result.RolledBack = restore.Succeeded;
        result.Detail = restore.Succeeded
            ? "the new password does not log in; the old password was restored"
            : "the new password does not log in and restoring the old one failed: check the account on the console";
        _log.Warning($"Set-IoTPassword: {admin.Host}: '{user}': {result.Detail}.");
    }

    private static string Describe(PasswordChangeResult result)
    {
        var newText = result.NewPasswordWorks == true ? "the new password logs in"
            : "password login is off, so the new password was not tried over SSH";
        var oldText = result.OldPasswordRefused switch
        {
            true => "the old one is refused",
            false => "the OLD ONE STILL LOGS IN (a second password source on the device?)",
            _ => "the old one was not checked",
        };
        return $"changed with {result.Method}; {newText}; {oldText}";
    }
}
