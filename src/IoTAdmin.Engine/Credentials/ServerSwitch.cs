using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Engine.Credentials;

/// <summary>
/// The shell scripts that turn SSH password login off persistently for one server flavour, and undo
/// it from a backup. Restarts run detached (setsid/nohup) so the admin session survives them.
/// </summary>
internal sealed class ServerSwitch
{
    private const string Backup = ".iotadmin-backup";

    private ServerSwitch(string server, string applyScript, string restoreScript)
    {
        Server = server;
        ApplyScript = applyScript;
        RestoreScript = restoreScript;
    }

    public string Server { get; }

    public string ApplyScript { get; }

    public string RestoreScript { get; }

    public static async Task<ServerSwitch?> FindAsync(DeviceShell admin, CancellationToken ct)
    {
        var probe = await admin.RunAsync(
            "if [ -f /etc/config/dropbear ] && command -v uci >/dev/null; then echo uci; "
            + "elif s=$(grep -l 'dropbear .*-[pFrEP]' /etc/init.d/* 2>/dev/null | head -n 1) && [ -n \"$s\" ]; "
            + "then echo \"init $s\"; "
            + "elif [ -f /etc/ssh/sshd_config ]; then echo openssh; fi",
            System.TimeSpan.FromSeconds(20), ct).ConfigureAwait(false);
        var answer = probe.StandardOutput.Trim();
        if (answer == "uci")
        {
            return Uci();
        }

        if (answer.StartsWith("init /", System.StringComparison.Ordinal) && answer.IndexOf('\'') < 0)
        {
            return DropbearInit(answer.Substring(5));
        }

        return answer == "openssh" ? OpenSsh() : null;
    }

    private static ServerSwitch Uci() => new ServerSwitch("dropbear-uci",
        "cp /etc/config/dropbear /etc/config/dropbear" + Backup
        + " && uci set dropbear.@dropbear[0].PasswordAuth=off && uci set dropbear.@dropbear[0].RootPasswordAuth=off"
        + " && uci commit dropbear && (setsid /etc/init.d/dropbear restart </dev/null >/dev/null 2>&1 &)",
        "cp /etc/config/dropbear" + Backup + " /etc/config/dropbear"
        + " && (setsid /etc/init.d/dropbear restart </dev/null >/dev/null 2>&1 &)");

    /// <summary>Adds -s (no password logins for any account) right after the dropbear command word.</summary>
    private static ServerSwitch DropbearInit(string script)
    {
        var quoted = DeviceShell.ShellQuote(script);
        var apply = $"cp {quoted} {quoted}{Backup} && "
            + $"if ! grep -q 'dropbear .* -s\\( \\|$\\)' {quoted}; then "
            + $"sed -i 's/\\(dropbear\\)\\( \\+-[pFrEP]\\)/\\1 -s\\2/' {quoted}; fi && "
            + $"grep -q 'dropbear -s ' {quoted} && "
            + $"(setsid sh -c 'sleep 1; {script} stop; sleep 1; {script} start' </dev/null >/dev/null 2>&1 &) && "
            + WaitForDropbearWithoutPasswords();
        var restore = $"cp {quoted}{Backup} {quoted} && "
            + $"(setsid sh -c 'sleep 1; {script} stop; sleep 1; {script} start' </dev/null >/dev/null 2>&1 &)";
        return new ServerSwitch("dropbear", apply, restore);
    }

    /// <summary>
    /// Waits (at most about 10 s) until a process whose program is dropbear runs with a separate -s
    /// argument, so key login is proved against the restarted server, not the old one. Matching on
    /// argv fields keeps this script's own shell (whose text names dropbear) out. No "exit": in PTY
    /// mode that would end the admin's shell.
    /// </summary>
    private static string WaitForDropbearWithoutPasswords() =>
        "{ n=0; ok=1; while [ $n -lt 50 ] && [ $ok = 1 ]; do for p in /proc/[0-9]*/cmdline; do "
        + "a=$(tr '\\000' '\\n' < $p 2>/dev/null); case \"$(echo \"$a\" | head -n 1)\" in "
        + "*dropbear) echo \"$a\" | grep -qx -- '-s' && ok=0;; esac; done; "
        + "[ $ok = 1 ] && sleep 0.2; n=$((n+1)); done; [ $ok = 0 ]; }";

    private static ServerSwitch OpenSsh()
    {
        const string Config = "/etc/ssh/sshd_config";
        var apply = $"cp {Config} {Config}{Backup} && "
            + $"sed -i -e '/^[# ]*PasswordAuthentication /d' -e '/^[# ]*KbdInteractiveAuthentication /d' "
            + $"-e '/^[# ]*ChallengeResponseAuthentication /d' {Config} && "
            + $"sed -i '1i PasswordAuthentication no\\nKbdInteractiveAuthentication no' {Config} && "
            + $"if sshd=$(command -v sshd || echo /usr/sbin/sshd) && $sshd -t -f {Config}; then "
            + "kill -HUP $(cat /run/sshd.pid 2>/dev/null || cat /var/run/sshd.pid) && sleep 1; "
            + $"else cp {Config}{Backup} {Config}; echo 'sshd -t refused the change'; false; fi";
        var restore = $"cp {Config}{Backup} {Config} && "
            + "kill -HUP $(cat /run/sshd.pid 2>/dev/null || cat /var/run/sshd.pid)";
        return new ServerSwitch("openssh", apply, restore);
    }
}
