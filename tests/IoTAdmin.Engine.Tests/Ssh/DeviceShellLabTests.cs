using System.Text;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Engine.Tests.Ssh;

/// <summary>
/// The SSH layer against the lab: dropbear with a password on cam1 and gw1, OpenSSH with a key on
/// hvac1:48022. Run under flock /run/iotlab-tests.lock; these tests change no device state outside /tmp.
/// </summary>
[Collection("Lab")]
public sealed class DeviceShellLabTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("cam1")]
    [InlineData("gw1")]
    [InlineData("hvac1")]
    public async Task Run_ShouldReturnOutputAndExitStatus(string device)
    {
        var (host, port, login) = LabDevices.Ssh(device);
        var policy = LabDevices.TrustOnFirstUse();
        using var shell = await LabDevices.Bounded(
            DeviceShell.ConnectAsync(host, port, login, policy, s_timeout, CancellationToken.None));

        var id = await LabDevices.Bounded(shell.RunAsync("id -u; echo err >&2; exit 3", s_timeout, default));

        Assert.Equal("0", id.StandardOutput.Trim());
        Assert.Equal(3, id.ExitStatus);
        Assert.Equal(ShellMode.Exec, id.Mode);
        Assert.Contains("err", id.StandardError);
        Assert.True(shell.HostKeyPinnedNow);
        Assert.StartsWith("SHA256:", shell.HostKeyFingerprint);
        Assert.Equal(shell.HostKeyFingerprint, policy.Store.Find(host, port)!.Fingerprint);
        Assert.StartsWith("SSH-2.0-", shell.ServerVersion);
    }

    [Fact]
    public async Task Run_WhenDeviceKeepsTalking_ShouldStopAtTheDeadlineWithPartialOutput()
    {
        // BR-06: output every 200 ms must not extend the deadline.
        var (host, port, login) = LabDevices.Ssh("cam1");
        using var shell = await DeviceShell.ConnectAsync(
            host, port, login, LabDevices.TrustOnFirstUse(), s_timeout, CancellationToken.None);

        var result = await LabDevices.Bounded(shell.RunAsync(
            "i=0; while [ $i -lt 300 ]; do printf .; sleep 0.2; i=$((i+1)); done", TimeSpan.FromSeconds(2), default),
            seconds: 30);

        Assert.True(result.TimedOut);
        Assert.Null(result.ExitStatus);
        Assert.Contains(".", result.StandardOutput);
        var after = await LabDevices.Bounded(shell.RunAsync("echo still-usable", s_timeout, default));
        Assert.Equal("still-usable", after.StandardOutput.Trim());
    }

    [Fact]
    public async Task Run_WithStandardInput_ShouldFeedTheCommand()
    {
        var (host, port, login) = LabDevices.Ssh("gw1");
        using var shell = await DeviceShell.ConnectAsync(
            host, port, login, LabDevices.TrustOnFirstUse(), s_timeout, CancellationToken.None);

        var result = await LabDevices.Bounded(shell.RunAsync("wc -c", "12345\n", s_timeout, default));

        Assert.Equal("6", result.StandardOutput.Trim());
    }

    [Theory]
    [InlineData("cam1")]
    [InlineData("hvac1")]
    public async Task UploadThenDownload_ShouldRoundTripBinaryContent(string device)
    {
        var (host, port, login) = LabDevices.Ssh(device);
        using var shell = await DeviceShell.ConnectAsync(
            host, port, login, LabDevices.TrustOnFirstUse(), s_timeout, CancellationToken.None);
        var content = new byte[70000];
        new Random(4).NextBytes(content);
        var path = "/tmp/iotadmin-upload-" + Guid.NewGuid().ToString("N")[..8];

        await LabDevices.Bounded(Task.Run(async () =>
        {
            await shell.UploadAsync(new MemoryStream(content), path, default);
            return true;
        }));
        var back = await LabDevices.Bounded(shell.DownloadAsync(path, 100000, default));
        var tooBig = await Assert.ThrowsAsync<DeviceShellException>(() => shell.DownloadAsync(path, 1000, default));
        await shell.RunAsync("rm -f " + DeviceShell.ShellQuote(path), s_timeout, default);

        Assert.Equal(content, back);
        Assert.Contains("larger than", tooBig.Message);
    }

    [Fact]
    public async Task Download_MissingFile_ShouldSayItDoesNotExist()
    {
        var (host, port, login) = LabDevices.Ssh("hvac1");
        using var shell = await DeviceShell.ConnectAsync(
            host, port, login, LabDevices.TrustOnFirstUse(), s_timeout, CancellationToken.None);

        var error = await Assert.ThrowsAsync<DeviceShellException>(
            () => shell.DownloadAsync("/nonexistent/file", 1000, default));

        Assert.Equal(SshFailure.TransferFailed, error.Failure);
    }

    [Fact]
    public async Task Connect_WithChangedPinnedKey_ShouldThrowWithBothFingerprintsAndKeepThePin()
    {
        var (host, port, login) = LabDevices.Ssh("cam1");
        var policy = LabDevices.TrustOnFirstUse();
        using (var first = await DeviceShell.ConnectAsync(host, port, login, policy, s_timeout, default))
        {
            Assert.True(first.HostKeyPinnedNow);
        }

        var real = policy.Store.Find(host, port)!;
        const string Forged = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        policy.Store.Pin(host, port, real.Algorithm, Forged);

        var error = await Assert.ThrowsAsync<HostKeyChangedException>(
            () => DeviceShell.ConnectAsync(host, port, login, policy, s_timeout, default));

        Assert.Equal(Forged, error.PinnedFingerprint);
        Assert.Equal(real.Fingerprint, error.PresentedFingerprint);
        Assert.Contains(Forged, error.Message);
        Assert.Contains(real.Fingerprint, error.Message);
        Assert.Equal(Forged, policy.Store.Find(host, port)!.Fingerprint);
    }

    [Fact]
    public async Task Connect_UnknownKeyWithoutConsent_ShouldRefuseAndPinNothing()
    {
        var (host, port, login) = LabDevices.Ssh("gw1");
        var policy = new HostKeyPolicy(new KnownHostsStore(LabDevices.TempStorePath()));

        var error = await Assert.ThrowsAsync<HostKeyNotTrustedException>(
            () => DeviceShell.ConnectAsync(host, port, login, policy, s_timeout, default));

        Assert.StartsWith("SHA256:", error.PresentedFingerprint);
        Assert.Empty(policy.Store.List());
        policy.ExpectedFingerprint = error.PresentedFingerprint;
        using var shell = await DeviceShell.ConnectAsync(host, port, login, policy, s_timeout, default);
        Assert.Equal(error.PresentedFingerprint, shell.HostKeyFingerprint);
    }

    [Fact]
    public async Task Connect_WithWrongPassword_ShouldBeAuthenticationFailedWithoutThePassword()
    {
        var (host, port, _) = LabDevices.Ssh("cam1");
        var login = SshLogin.WithPassword("root", "wrong-secret-4711");

        var error = await Assert.ThrowsAsync<DeviceShellException>(() => DeviceShell.ConnectAsync(
            host, port, login, LabDevices.TrustOnFirstUse(), s_timeout, default));

        Assert.Equal(SshFailure.AuthenticationFailed, error.Failure);
        Assert.DoesNotContain("wrong-secret-4711", error.ToString());
    }

    [Fact]
    public async Task Connect_ToClosedPort_ShouldBeConnectionFailed()
    {
        var (_, _, login) = LabDevices.Ssh("cam1");

        var error = await Assert.ThrowsAsync<DeviceShellException>(() => DeviceShell.ConnectAsync(
            LabDevices.Address("hvac1"), 22, login, LabDevices.TrustOnFirstUse(), s_timeout, default));

        Assert.Equal(SshFailure.ConnectionFailed, error.Failure);
    }
}

/// <summary>Lab tests run one at a time.</summary>
[CollectionDefinition("Lab", DisableParallelization = true)]
public sealed class LabCollection
{
}
