using IoTAdmin.Engine.Ssh;
using IoTAdmin.Engine.Tests.Probes;

namespace IoTAdmin.Engine.Tests.Ssh;

/// <summary>BR-08: a server that accepts exec requests but never answers them; the shell still works.</summary>
[Collection("Daemons")]
public sealed class PtyFallbackTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Run_WhenExecNeverAnswers_ShouldFallBackToPtyShell()
    {
        var folder = DaemonProcess.TempFolder();
        var port = DaemonProcess.FreePort();
        var keygen = DaemonProcess.Require("/usr/bin/ssh-keygen", "openssh-client");
        DaemonFiles.Run(keygen, "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(folder, "host"));
        DaemonFiles.Run(keygen, "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(folder, "client"));
        File.Copy(Path.Combine(folder, "client.pub"), Path.Combine(folder, "authorized_keys"));

        // The forced command swallows every exec request silently and serves only interactive shells.
        var gate = Path.Combine(folder, "gate.sh");
        File.WriteAllText(gate, "#!/bin/sh\n[ -n \"$SSH_ORIGINAL_COMMAND\" ] && exec sleep 600\nexec /bin/sh -i\n");
        File.SetUnixFileMode(gate, (UnixFileMode)0x1ED);
        var config = Path.Combine(folder, "sshd_config");
        File.WriteAllText(config, $"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder}/host\n"
            + $"AuthorizedKeysFile {folder}/authorized_keys\nStrictModes no\nPermitRootLogin yes\n"
            + $"PasswordAuthentication no\nUsePAM no\nForceCommand {gate}\nPidFile {folder}/sshd.pid\n");
        var sshd = DaemonProcess.Require("/usr/sbin/sshd", "openssh-server");
        using var daemon = DaemonProcess.StartIsolated(
            port, new[] { ("tmpfs", "/run") }, sshd, "-D", "-e", "-f", config);
        var login = SshLogin.WithKeyFile("root", Path.Combine(folder, "client"));

        using var shell = await LabDevices.Bounded(DeviceShell.ConnectAsync(
            "127.0.0.1", port, login, LabDevices.TrustOnFirstUse(), s_timeout, default));
        var first = await LabDevices.Bounded(shell.RunAsync("echo one; (exit 4)", s_timeout, default));
        var second = await LabDevices.Bounded(shell.RunAsync("printf 'a\\nb\\n'", s_timeout, default));
        var input = await LabDevices.Bounded(shell.RunAsync("wc -l", "x\ny\n", s_timeout, default));

        Assert.True(first.Mode == ShellMode.PtyShell, $"{first.Mode} {daemon.Output}");
        Assert.Equal("one", first.StandardOutput.Trim());
        Assert.Equal(4, first.ExitStatus);
        Assert.Equal("a\nb", second.StandardOutput.Trim());
        Assert.Equal(0, second.ExitStatus);
        Assert.Equal("2", input.StandardOutput.Trim());
    }
}
