using System.Net;
using IoTAdmin.Engine.Exposure;
using IoTAdmin.Engine.Probes;
using IoTAdmin.Engine.Tests.Probes;

namespace IoTAdmin.Engine.Tests.Exposure;

/// <summary>
/// The scanner against hostile peers on 127.0.0.1 (tarpit, endless banner, garbage, endless HTTP
/// headers) and a real OpenSSH sshd: every port gets a result, the bad ones a reason, and the good
/// one is still identified in the same scan.
/// </summary>
[Collection("Daemons")]
public sealed class PortScannerPeerTests
{
    private static readonly ScanOptions s_options = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(1),
        BannerWait = TimeSpan.FromMilliseconds(500),
        IdentifyTimeout = TimeSpan.FromSeconds(3),
    };

    [Fact]
    public async Task Scan_WithHostilePeersBesideARealSshd_ShouldReportEachAndStillIdentifySsh()
    {
        using var tarpit = HostilePeer.Tarpit();
        using var endless = HostilePeer.EndlessBanner();
        using var garbage = HostilePeer.Garbage();
        using var headers = HostilePeer.EndlessHeaders();
        using var sshd = StartSshd(out var sshPort);
        var closed = DaemonProcess.FreePort();
        var ports = new[] { tarpit.Port, endless.Port, garbage.Port, headers.Port, sshPort, closed };

        // A hang fails the test through this token instead of blocking the run.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var results = await new PortScanner(s_options).ScanAsync(new[] { IPAddress.Loopback }, ports, null,
            bound.Token);

        var byPort = results.ToDictionary(r => r.Port);
        Assert.Equal(ports.Length, results.Count);
        Assert.Equal(PortState.Closed, byPort[closed].State);
        Assert.Equal("ssh", byPort[sshPort].Name);
        Assert.Equal("OpenSSH", byPort[sshPort].Product);
        Assert.Null(byPort[tarpit.Port].Name);
        Assert.False(string.IsNullOrEmpty(byPort[tarpit.Port].Detail));
        Assert.Equal(PortState.Open, byPort[endless.Port].State);
        Assert.True(byPort[endless.Port].Banner!.Length <= 160);
        Assert.Null(byPort[garbage.Port].Name);
        Assert.Equal("http", byPort[headers.Port].Name);
    }

    [Fact]
    public async Task RawHttp_WithEndlessHeaders_ShouldStopAtTheHeadLimit()
    {
        using var headers = HostilePeer.EndlessHeaders();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var response = await RawHttp.SendAsync("127.0.0.1", headers.Port, false, "GET", "/", TimeSpan.FromSeconds(5),
            bound.Token);

        Assert.True(response.Answered, response.Error);
        Assert.True(response.Truncated);
        Assert.Equal(200, response.StatusCode);
        Assert.True(response.Headers.Count <= RawHttp.MaxHeaders);
    }

    [Fact]
    public async Task TlsAudit_WithGarbageAndTarpit_ShouldAcceptNoVersionAndExplainTheCertificate()
    {
        using var garbage = HostilePeer.Garbage();
        using var tarpit = HostilePeer.Tarpit();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var fromGarbage = await TlsAudit.AuditAsync("127.0.0.1", garbage.Port, "127.0.0.1", TimeSpan.FromSeconds(1),
            bound.Token);
        var fromTarpit = await TlsAudit.AuditAsync("127.0.0.1", tarpit.Port, "127.0.0.1", TimeSpan.FromSeconds(1),
            bound.Token);

        foreach (var audit in new[] { fromGarbage, fromTarpit })
        {
            Assert.Empty(audit.Offered);
            Assert.Null(audit.Subject);
            Assert.False(string.IsNullOrEmpty(audit.CertificateError));
        }
    }

    private static DaemonProcess StartSshd(out int port)
    {
        var folder = DaemonProcess.TempFolder();
        port = DaemonProcess.FreePort();
        var key = Path.Combine(folder, "host_ed25519");
        DaemonFiles.Run(DaemonProcess.Require("/usr/bin/ssh-keygen", "openssh-client"), "-q", "-t", "ed25519", "-N",
            "", "-f", key);
        var config = Path.Combine(folder, "sshd_config");
        File.WriteAllText(config, $"Port {port}\nListenAddress 127.0.0.1\nHostKey {key}\nPidFile {folder}/sshd.pid\n"
            + "UsePAM no\n");
        var sshd = DaemonProcess.Require("/usr/sbin/sshd", "openssh-server");
        return DaemonProcess.StartIsolated(port, new[] { ("tmpfs", "/run") }, sshd, "-D", "-e", "-f", config);
    }
}
