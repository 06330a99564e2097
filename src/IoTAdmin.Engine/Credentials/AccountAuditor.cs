using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Engine.Credentials;

/// <summary>
/// Reads a device's accounts over SSH (/etc/passwd plus /etc/shadow) and flags extra uid-0 accounts,
/// empty passwords and well-known vendor default accounts that can still log in (SYS.4.4.M13, M15).
/// Disables accounts by locking the password and setting a no-login shell. Password hashes are read
/// only to classify them and are never kept.
/// </summary>
public static class AccountAuditor
{
    /// <summary>Accounts that vendor firmware ships for support or first use and admins rarely need.</summary>
    public static IReadOnlyCollection<string> DefaultAccountNames { get; } = new HashSet<string>(
        new[] { "admin", "support", "guest", "user", "default", "ubnt", "service", "tech", "test", "operator",
            "supervisor", "installer", "admin1", "mother", "888888", "666666", "vstarcam2015" },
        StringComparer.OrdinalIgnoreCase);

    private static readonly string[] s_noLoginShells = { "nologin", "false", "sync", "shutdown", "halt" };
    private static readonly TimeSpan s_command = TimeSpan.FromSeconds(20);

    public static async Task<IReadOnlyList<DeviceAccount>> ReadAsync(DeviceShell shell, CancellationToken ct)
    {
        var passwd = await shell.RunAsync("cat /etc/passwd", s_command, ct).ConfigureAwait(false);
        if (!passwd.Succeeded)
        {
            throw new DeviceShellException(SshFailure.ProtocolError, $"{shell.Host}: /etc/passwd is not readable.");
        }

        var shadow = await shell.RunAsync("cat /etc/shadow 2>/dev/null", s_command, ct).ConfigureAwait(false);
        return Parse(shell.Host, passwd.StandardOutput, shadow.Succeeded ? shadow.StandardOutput : string.Empty);
    }

    /// <summary>Builds the accounts from the two files' text; bad lines are skipped.</summary>
    public static IReadOnlyList<DeviceAccount> Parse(string address, string passwd, string shadow)
    {
        var shadowFields = shadow.Split('\n').Select(l => l.Split(':')).Where(f => f.Length >= 2)
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
        var accounts = new List<DeviceAccount>();
        foreach (var line in passwd.Split('\n'))
        {
            var f = line.TrimEnd('\r').Split(':');
            if (f.Length < 7 || f[0].Length == 0
                || !int.TryParse(f[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var uid)
                || !int.TryParse(f[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var gid))
            {
                continue;
            }

            var account = new DeviceAccount(address, f[0], uid, gid, f[5], f[6]);
            var field = f[1] == "x" ? (shadowFields.TryGetValue(f[0], out var hash) ? hash : null) : f[1];
            account.PasswordState = Classify(field);
            account.HasLoginShell = f[6].Length > 0
                && !s_noLoginShells.Any(s => f[6].EndsWith(s, StringComparison.Ordinal));
            account.IsUnneededDefault = account.CanLogIn && DefaultAccountNames.Contains(f[0]);
            Judge(account);
            accounts.Add(account);
        }

        return accounts;
    }

    /// <summary>
    /// Locks the password and sets a no-login shell. Refuses the account the session is logged in as
    /// and root, so the admin keeps a way in.
    /// </summary>
    public static async Task<DeviceAccount> DisableAsync(
        DeviceShell shell, string loginUser, string userName, CancellationToken ct)
    {
        if (string.Equals(userName, loginUser, StringComparison.Ordinal) || userName == "root")
        {
            throw new InvalidOperationException(
                $"'{userName}' is the account used to log in or root; disabling it could lock the admin out.");
        }

        var before = (await ReadAsync(shell, ct).ConfigureAwait(false)).FirstOrDefault(a => a.UserName == userName)
            ?? throw new InvalidOperationException($"{shell.Host} has no account '{userName}'.");
        var quoted = DeviceShell.ShellQuote(userName);
        var noLogin = "$(for s in /sbin/nologin /usr/sbin/nologin /bin/false; do [ -x $s ] && echo $s && break; done)";
        var script = $"u={quoted}; n={noLogin}; (passwd -l \"$u\" || usermod -L \"$u\") >/dev/null 2>&1; "
            + "cp /etc/passwd /etc/passwd.iotadmin-backup && "
            + "awk -F: -v OFS=: -v u=\"$u\" -v n=\"$n\" '$1==u {$7=n} {print}' /etc/passwd "
            + "> /etc/passwd.iotadmin-new && "
            + "cat /etc/passwd.iotadmin-new > /etc/passwd && rm -f /etc/passwd.iotadmin-new";
        var run = await shell.RunAsync(script, s_command, ct).ConfigureAwait(false);
        var after = (await ReadAsync(shell, ct).ConfigureAwait(false)).First(a => a.UserName == before.UserName);
        if (!run.Succeeded || after.CanLogIn)
        {
            throw new DeviceShellException(SshFailure.ProtocolError,
                $"{shell.Host}: '{userName}' could still log in after disabling (exit {run.ExitStatus}).");
        }

        return after;
    }

    private static PasswordState Classify(string? field)
    {
        if (field is null)
        {
            return PasswordState.Unknown;
        }

        if (field.Length == 0)
        {
            return PasswordState.Empty;
        }

        return field[0] == '!' || field[0] == '*' ? PasswordState.Locked : PasswordState.Set;
    }

    private static void Judge(DeviceAccount account)
    {
        if (account.IsExtraUid0)
        {
            account.Issues.Add($"'{account.UserName}' has uid 0: a second superuser");
        }

        if (account.PasswordState == PasswordState.Empty && account.HasLoginShell)
        {
            account.Issues.Add($"'{account.UserName}' has an empty password and a login shell");
        }

        if (account.IsUnneededDefault)
        {
            account.Issues.Add($"'{account.UserName}' is a vendor default account that can log in");
        }
    }
}
