using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Tests.Probes;

/// <summary>SSH probe edge cases against OpenSSH sshd started on 127.0.0.1 in a private mount namespace.</summary>
[Collection("Daemons")]
public sealed class SshDaemonTests
{
    private const string Secret = "xc3511";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task TryPasswordLogin_WithKeyboardInteractiveOnly_ShouldAnswerPromptWithPassword()
    {
        // BR-05: PasswordAuthentication no, KbdInteractiveAuthentication yes, PAM asks "Password:".
        var folder = DaemonProcess.TempFolder();
        var files = DaemonFiles.Accounts(folder, "admin", Secret, "/bin/sh");
        var port = DaemonProcess.FreePort();
        var config = SshdConfig(
            folder, port, "ed25519", "PasswordAuthentication no\nKbdInteractiveAuthentication yes\nUsePAM yes\n");
        var binds = new[] { ("tmpfs", "/run"), (files.Passwd, "/etc/passwd"), (files.Shadow, "/etc/shadow") };
        using var daemon = DaemonProcess.StartIsolated(port, binds, Sshd(), "-D", "-e", "-f", config);

        var right = await SshProbe.TryPasswordLoginAsync(
            "127.0.0.1", port, new CredentialPair("admin", Secret), s_timeout, CancellationToken.None);
        var wrong = await SshProbe.TryPasswordLoginAsync(
            "127.0.0.1", port, new CredentialPair("admin", "wrong1"), s_timeout, CancellationToken.None);

        Assert.True(right.Outcome == LoginOutcome.Accepted, $"{right.Outcome}: {right.Detail}\n{daemon.Output}");
        Assert.Equal(LoginOutcome.Rejected, wrong.Outcome);
        Assert.StartsWith("SHA256:", right.HostKeyFingerprint);
    }

    [Fact]
    public async Task TryPasswordLogin_WithDsaOnlyServer_ShouldNameBothAlgorithmLists()
    {
        // BR-02: only an ssh-dss host key, which SSH.NET no longer speaks.
        var folder = DaemonProcess.TempFolder();
        var port = DaemonProcess.FreePort();
        var config = SshdConfig(
            folder, port, "dsa", "HostKeyAlgorithms ssh-dss\nPasswordAuthentication yes\nUsePAM no\n");
        var binds = new[] { ("tmpfs", "/run") };
        using var daemon = DaemonProcess.StartIsolated(port, binds, Sshd(), "-D", "-e", "-f", config);

        var result = await SshProbe.TryPasswordLoginAsync(
            "127.0.0.1", port, new CredentialPair("root", Secret), s_timeout, CancellationToken.None);

        Assert.True(result.Outcome == LoginOutcome.NoCommonAlgorithm, $"{result.Outcome}: {result.Detail}");
        Assert.Contains("server offers kex [", result.Detail);
        Assert.Contains("host keys [ssh-dss]", result.Detail);
        Assert.Contains("we offer kex [", result.Detail);
        Assert.StartsWith("SSH-2.0-OpenSSH", result.ServerIdentification);
    }

    private static string Sshd() => DaemonProcess.Require("/usr/sbin/sshd", "openssh-server");

    private static string SshdConfig(string folder, int port, string keyType, string extra)
    {
        var key = Path.Combine(folder, "host_" + keyType);
        var keygen = DaemonProcess.Require("/usr/bin/ssh-keygen", "openssh-client");
        DaemonFiles.Run(keygen, "-q", "-t", keyType, "-N", "", "-f", key);
        var config = Path.Combine(folder, "sshd_config");
        File.WriteAllText(config, $"Port {port}\nListenAddress 127.0.0.1\nHostKey {key}\nAuthorizedKeysFile /dev/null\n"
            + $"StrictModes no\nPidFile {folder}/sshd.pid\n" + extra);
        return config;
    }
}
