using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Credentials;

namespace IoTAdmin.Engine.Configuration.Settings;

/// <summary>
/// SshKeyOnly: password login off on the device's SSH server (dropbear -s, or -g for a root login;
/// OpenSSH PasswordAuthentication no) and every wanted public key authorized. The change is the
/// Add-IoTSshKey engine's (issue 4), which proves key login before it turns passwords off.
/// </summary>
internal sealed class SshKeyOnlySetting : IConfigurationSetting
{
    private const string ReadCommand =
        "for s in /etc/init.d/S??dropbear /etc/default/dropbear; do [ -f \"$s\" ] && "
        + "grep -h 'dropbear' \"$s\" | sed 's/^/dropbear: /'; done; "
        + "[ -f /etc/ssh/sshd_config ] && echo 'sshd: present' && grep -iE '^[[:space:]]*(PasswordAuthentication|KbdInteractiveAuthentication)' "
        + "/etc/ssh/sshd_config | sed 's/^/sshd: /'; "
        + "for f in \"$HOME/.ssh/authorized_keys\" /etc/dropbear/authorized_keys; do "
        + "[ -f \"$f\" ] && head -c 65536 \"$f\" | sed 's/^/key: /'; done; true";

    public string Name => "SshKeyOnly";

    public bool IsManaged(DesiredConfiguration desired) => desired.SshKeyOnly == true;

    public async Task<SettingObservation> ObserveAsync(SettingContext context, CancellationToken cancellationToken)
    {
        var text = await context.RunCheckedAsync(ReadCommand, "reading the SSH server configuration",
            cancellationToken).ConfigureAwait(false);
        var lines = ShellText.Lines(text);
        var rootLogin = context.Access.LoginUser(context.Target) == "root";
        var passwordOff = PasswordLoginOff(lines, rootLogin);
        if (passwordOff is null)
        {
            throw new ConfigurationException($"{context.Target}: no dropbear or OpenSSH configuration found.");
        }

        var installed = lines.Where(l => l.StartsWith("key: ", StringComparison.Ordinal))
            .Select(l => OpenSshPublicKey.Body(l.Substring(5))).Where(k => k is not null).ToList();
        var wanted = context.Desired.AuthorizedKeys;
        var missing = wanted.Where(k => !installed.Contains(OpenSshPublicKey.Body(k))).ToList();
        var seen = new SettingObservation(
            $"password login off; {wanted.Count} key(s) authorized",
            $"password login {(passwordOff.Value ? "off" : "on")}; {installed.Count} key(s) authorized"
                + (missing.Count > 0 ? $", {missing.Count} wanted key(s) missing" : string.Empty),
            passwordOff.Value && missing.Count == 0);
        if (seen.InDesiredState)
        {
            return seen;
        }

        if (wanted.Count == 0 && installed.Count == 0)
        {
            seen.NotRemediable = "No AuthorizedKeys are configured and none is installed: turning password login "
                + "off would lock every admin out.";
            return seen;
        }

        seen.Plan.Add(new PlannedOperation(
            Name,
            "Authorize the SSH keys and turn password login off",
            $"{context.Access.EngineName("RequireKeyLogin")} ({wanted.Count} key(s), prove key login first, "
                + "then -DisablePasswordLogin)",
            async (c, ct) =>
            {
                await c.Access.RequireKeyLoginAsync(c.Target, wanted, ct).ConfigureAwait(false);
                c.Reconnect();
            }));
        return seen;
    }

    /// <summary>True or false from the daemon's options; null when no SSH server configuration was found.</summary>
    internal static bool? PasswordLoginOff(IReadOnlyList<string> lines, bool rootLogin)
    {
        // The dropbear command line is the one with options; comments and "svc_stop dropbear" have none.
        var dropbear = lines.Where(l => l.StartsWith("dropbear: ", StringComparison.Ordinal))
            .Select(l => l.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Skip(1).FirstOrDefault()?.StartsWith("#", StringComparison.Ordinal) != true)
            .Where(w => w.Any(x => x.StartsWith("-", StringComparison.Ordinal))).ToList();
        if (dropbear.Count > 0)
        {
            var words = dropbear.SelectMany(w => w).ToList();
            return words.Contains("-s") || (rootLogin && words.Contains("-g"));
        }

        var sshd = lines.Where(l => l.StartsWith("sshd: ", StringComparison.Ordinal)).ToList();
        if (sshd.Count == 0)
        {
            return null;
        }

        // OpenSSH takes the first value it reads for a keyword; without one, password login is on.
        var password = sshd.FirstOrDefault(l =>
            l.IndexOf("PasswordAuthentication", StringComparison.OrdinalIgnoreCase) >= 0);
        return password is not null && password.TrimEnd().EndsWith(" no", StringComparison.OrdinalIgnoreCase);
    }
}
