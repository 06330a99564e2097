using System.Security.Cryptography;
using System.Text;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.Rules;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Tests.Probes;

/// <summary>Probes and rules against real daemons started on 127.0.0.1 (no mocks).</summary>
[Collection("Daemons")]
public sealed class DaemonProbeTests
{
    private const string Secret = "xc3511";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task CredSshRule_WithDropbearDefaultPassword_ShouldFailWithMaskedEvidence()
    {
        var dropbear = DaemonProcess.Require("/usr/sbin/dropbear", "dropbear-bin");
        var folder = DaemonProcess.TempFolder();
        var key = Path.Combine(folder, "ed25519");
        DaemonFiles.Run(DaemonProcess.Require("/usr/bin/dropbearkey", "dropbear-bin"), "-t", "ed25519", "-f", key);
        var files = DaemonFiles.Accounts(folder, "admin", Secret, "/bin/sh");
        var port = DaemonProcess.FreePort();
        using var daemon = DaemonProcess.StartIsolated(port, Binds(files), dropbear,
            "-F", "-E", "-p", $"127.0.0.1:{port}", "-r", key, "-P", Path.Combine(folder, "pid"));
        var (context, log) = Context("root", "wrong1", "root", Secret);

        var result = await new CredSshRule().EvaluateAsync(Device("ssh", port), context, CancellationToken.None);

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Contains($"SSH 127.0.0.1:{port} accepted the default login root / ********", result.Evidence);
        Assert.Contains("SHA256:", result.Evidence);
        AssertNoSecret(result, log);
    }

    [Fact]
    public async Task SshProbe_WithDropbear_ShouldReadIdentificationAndKexInit()
    {
        var dropbear = DaemonProcess.Require("/usr/sbin/dropbear", "dropbear-bin");
        var folder = DaemonProcess.TempFolder();
        var key = Path.Combine(folder, "ed25519");
        DaemonFiles.Run(DaemonProcess.Require("/usr/bin/dropbearkey", "dropbear-bin"), "-t", "ed25519", "-f", key);
        var port = DaemonProcess.FreePort();
        using var daemon = DaemonProcess.Start(port, dropbear, "-F", "-E", "-p", $"127.0.0.1:{port}", "-r", key,
            "-P", Path.Combine(folder, "pid"));

        var hello = await SshProbe.ReadServerHelloAsync("127.0.0.1", port, s_timeout, CancellationToken.None);

        Assert.StartsWith("dropbear", hello.Identification!.SoftwareVersion);
        Assert.Contains("curve25519-sha256", hello.KexInit!.KeyExchangeAlgorithms);
    }

    [Fact]
    public async Task CredSshRule_WithKeyOnlySshd_ShouldPassPublickeyOnly()
    {
        var sshd = DaemonProcess.Require("/usr/sbin/sshd", "openssh-server");
        var folder = DaemonProcess.TempFolder();
        var key = Path.Combine(folder, "host_ed25519");
        var keygen = DaemonProcess.Require("/usr/bin/ssh-keygen", "openssh-client");
        DaemonFiles.Run(keygen, "-q", "-t", "ed25519", "-N", "", "-f", key);
        var port = DaemonProcess.FreePort();
        var config = Path.Combine(folder, "sshd_config");
        File.WriteAllText(config, $"Port {port}\nListenAddress 127.0.0.1\nHostKey {key}\nPasswordAuthentication no\n"
            + "KbdInteractiveAuthentication no\nUsePAM no\nAuthorizedKeysFile /dev/null\nStrictModes no\n"
            + $"PidFile {folder}/sshd.pid\n");
        var binds = new[] { ("tmpfs", "/run") };
        using var daemon = DaemonProcess.StartIsolated(port, binds, sshd, "-D", "-e", "-f", config);
        var (context, log) = Context("root", Secret);

        var result = await new CredSshRule().EvaluateAsync(Device("ssh", port), context, CancellationToken.None);

        Assert.Equal(RuleOutcome.Pass, result.Outcome);
        Assert.Contains("publickey only", result.Evidence);
        AssertNoSecret(result, log);
    }

    [Fact]
    public async Task CredTelnetRule_WithBusyboxTelnetd_ShouldFailOnDefaultLogin()
    {
        var busybox = DaemonProcess.Require("/usr/bin/busybox", "busybox-static");
        var folder = DaemonProcess.TempFolder();
        var shell = DaemonFiles.FakeShell(folder);
        var files = DaemonFiles.Accounts(folder, "admin", Secret, shell);
        var login = Path.Combine(folder, "login");
        File.CreateSymbolicLink(login, busybox);
        var motd = Path.Combine(folder, "motd");
        File.WriteAllText(motd, string.Empty);
        var port = DaemonProcess.FreePort();
        var binds = Binds(files).Append((motd, "/etc/motd"));
        using var daemon = DaemonProcess.StartIsolated(port, binds, busybox,
            "telnetd", "-F", "-b", $"127.0.0.1:{port}", "-l", login);
        var (context, log) = Context("root", "wrong1", "root", Secret);

        var result = await new CredTelnetRule().EvaluateAsync(Device("telnet", port), context, CancellationToken.None);

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Contains($"Telnet 127.0.0.1:{port} accepted the default login root / ********", result.Evidence);
        Assert.Contains("root/********", result.Evidence);
        AssertNoSecret(result, log);
    }

    [Fact]
    public async Task Auditor_WithBusyboxTelnetdAndWrongPasswords_ShouldPassCredentialRuleAndFailTelnetOpen()
    {
        var busybox = DaemonProcess.Require("/usr/bin/busybox", "busybox-static");
        var folder = DaemonProcess.TempFolder();
        var files = DaemonFiles.Accounts(folder, "admin", Secret, DaemonFiles.FakeShell(folder));
        var login = Path.Combine(folder, "login");
        File.CreateSymbolicLink(login, busybox);
        var port = DaemonProcess.FreePort();
        using var daemon = DaemonProcess.StartIsolated(port, Binds(files), busybox,
            "telnetd", "-F", "-b", $"127.0.0.1:{port}", "-l", login);
        var (context, log) = Context("root", "wrong1");
        var auditor = new BaselineAuditor(new[] { "IOT-CRED-TELNET", "IOT-TELNET-OPEN" });

        var audit = await auditor.AuditDeviceAsync(Device("telnet", port), context, CancellationToken.None);

        Assert.False(audit.Unreachable);
        Assert.Equal(RuleOutcome.Pass, audit.Results[0].Outcome);
        Assert.Contains("rejected root/********", audit.Results[0].Evidence);
        Assert.Equal(RuleOutcome.Fail, audit.Results[1].Outcome);
        Assert.All(log.Messages, m => Assert.DoesNotContain("wrong1", m));
    }

    [Fact]
    public async Task CredHttpRule_WithPresentationUrl_ShouldAlsoRequestIt()
    {
        var busybox = DaemonProcess.Require("/usr/bin/busybox", "busybox-static");
        var folder = DaemonProcess.TempFolder();
        var www = Directory.CreateDirectory(Path.Combine(folder, "www")).FullName;
        Directory.CreateDirectory(Path.Combine(www, "admin"));
        File.WriteAllText(Path.Combine(www, "index.html"), "open");
        File.WriteAllText(Path.Combine(www, "admin", "index.html"), "admin");
        File.WriteAllText(Path.Combine(folder, "httpd.conf"), "/admin:admin:1234\n");
        var port = DaemonProcess.FreePort();
        using var daemon = DaemonProcess.Start(port, busybox, "httpd", "-f", "-p", $"127.0.0.1:{port}", "-h", www,
            "-c", Path.Combine(folder, "httpd.conf"), "-r", "NVR");
        var device = Device("http", port);
        var observation = new DiscoveryObservation("127.0.0.1", DiscoveryProtocol.Ssdp);
        observation.Attributes["upnp.presentationURL"] = "/admin/";
        observation.Attributes["ssdp.location"] = $"http://127.0.0.1:{port}/desc.xml";
        device.Observations.Add(observation);
        var (context, _) = Context("admin", "admin", "admin", "1234");

        var result = await new CredHttpRule().EvaluateAsync(device, context, CancellationToken.None);

        Assert.True(result.Outcome == RuleOutcome.Fail, result.Evidence);
        Assert.Contains($"http://127.0.0.1:{port}/admin/ asks Basic realm=\"NVR\"", result.Evidence);
        Assert.Contains("admin / ********", result.Evidence);
    }

    [Fact]
    public async Task TelnetOpenRule_WithBusyboxTelnetd_ShouldFail()
    {
        var busybox = DaemonProcess.Require("/usr/bin/busybox", "busybox-static");
        var port = DaemonProcess.FreePort();
        using var daemon = DaemonProcess.Start(
            port, busybox, "telnetd", "-F", "-b", $"127.0.0.1:{port}", "-l", "/bin/false");
        var (context, _) = Context("root", Secret);

        var result = await new TelnetOpenRule().EvaluateAsync(Device("telnet", port), context, CancellationToken.None);

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Contains(port.ToString(), result.Evidence);
    }

    [Fact]
    public async Task CredHttpRule_WithBusyboxHttpdBasic_ShouldFailOnAdminAdmin()
    {
        var busybox = DaemonProcess.Require("/usr/bin/busybox", "busybox-static");
        var folder = DaemonProcess.TempFolder();
        var www = Directory.CreateDirectory(Path.Combine(folder, "www")).FullName;
        File.WriteAllText(Path.Combine(www, "index.html"), "<html>cam</html>");
        File.WriteAllText(Path.Combine(folder, "httpd.conf"), "A:*\n/:admin:admin\n");
        var port = DaemonProcess.FreePort();
        using var daemon = DaemonProcess.Start(port, busybox, "httpd", "-f", "-p", $"127.0.0.1:{port}", "-h", www,
            "-c", Path.Combine(folder, "httpd.conf"), "-r", "IPCam");
        var (context, log) = Context("admin", "wrong1", "admin", "admin");

        var result = await new CredHttpRule().EvaluateAsync(Device("http", port), context, CancellationToken.None);
        var notls = await new WebNoTlsRule().EvaluateAsync(Device("http", port), context, CancellationToken.None);

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Contains("Basic realm=\"IPCam\"", result.Evidence);
        Assert.Contains("admin / ********", result.Evidence);
        Assert.DoesNotContain("admin:admin", result.Evidence);
        Assert.Equal(RuleOutcome.Fail, notls.Outcome);
    }

    [Fact]
    public async Task HttpAuthProbe_WithLighttpdDigest_ShouldAcceptRightAndRejectWrongPassword()
    {
        var lighttpd = DaemonProcess.Require("/usr/sbin/lighttpd", "lighttpd");
        var folder = DaemonProcess.TempFolder();
        var hash = MD5.HashData(Encoding.UTF8.GetBytes($"admin:BMS-4000:{Secret}"));
        var digest = Convert.ToHexString(hash).ToLowerInvariant();
        File.WriteAllText(Path.Combine(folder, "htdigest"), $"admin:BMS-4000:{digest}\n");
        File.WriteAllText(Path.Combine(folder, "index.html"), "bms");
        var port = DaemonProcess.FreePort();
        var config = LighttpdConfig(folder, port,
            "server.modules += (\"mod_auth\", \"mod_authn_file\")\n"
            + $"auth.backend = \"htdigest\"\nauth.backend.htdigest.userfile = \"{folder}/htdigest\"\n"
            + "auth.require = (\"/\" => (\"method\" => \"digest\", \"realm\" => \"BMS-4000\", "
            + "\"require\" => \"valid-user\"))\n");
        using var daemon = DaemonProcess.Start(port, lighttpd, "-D", "-f", config);
        var url = new Uri($"http://127.0.0.1:{port}/index.html");

        var challenge = await HttpAuthProbe.GetAsync(url, s_timeout, CancellationToken.None);
        var right = await HttpAuthProbe.TryLoginAsync(
            challenge, new CredentialPair("admin", Secret), s_timeout, CancellationToken.None);
        var wrong = await HttpAuthProbe.TryLoginAsync(
            challenge, new CredentialPair("admin", "nope"), s_timeout, CancellationToken.None);

        Assert.NotNull(challenge.Digest);
        Assert.Equal(LoginOutcome.Accepted, right.Status);
        Assert.Equal(LoginOutcome.Rejected, wrong.Status);
    }

    [Fact]
    public async Task WebNoTlsRule_WithLighttpdRedirectToHttps_ShouldPass()
    {
        var lighttpd = DaemonProcess.Require("/usr/sbin/lighttpd", "lighttpd");
        var folder = DaemonProcess.TempFolder();
        var port = DaemonProcess.FreePort();
        var config = LighttpdConfig(folder, port,
            "server.modules += (\"mod_redirect\")\nurl.redirect = (\"^/(.*)\" => \"https://127.0.0.1:8443/$1\")\n");
        using var daemon = DaemonProcess.Start(port, lighttpd, "-D", "-f", config);
        var (context, _) = Context("admin", "admin");

        var result = await new WebNoTlsRule().EvaluateAsync(Device("http", port), context, CancellationToken.None);

        Assert.Equal(RuleOutcome.Pass, result.Outcome);
        Assert.Contains("https://127.0.0.1:8443/", result.Evidence);
    }

    [Theory]
    [InlineData(true, RuleOutcome.Fail, "CONNACK 0")]
    [InlineData(false, RuleOutcome.Pass, "CONNACK 5")]
    public async Task MqttAnonRule_WithMosquitto_ShouldMatchAllowAnonymous(
        bool anonymous,
        RuleOutcome expected,
        string evidence)
    {
        var mosquitto = DaemonProcess.Require("/usr/sbin/mosquitto", "mosquitto");
        var folder = DaemonProcess.TempFolder();
        var port = DaemonProcess.FreePort();
        var config = Path.Combine(folder, "mosquitto.conf");
        File.WriteAllText(config, $"per_listener_settings false\nlistener {port} 127.0.0.1\n"
            + $"allow_anonymous {(anonymous ? "true" : "false")}\npersistence false\nlog_dest stderr\n");
        using var daemon = DaemonProcess.Start(port, mosquitto, "-c", config);
        var (context, _) = Context("admin", "admin");

        var result = await new MqttAnonRule().EvaluateAsync(Device("mqtt", port), context, CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Contains(evidence, result.Evidence);
        Assert.Contains("MQTT 3.1.1", result.Evidence);
    }

    private static IoTDevice Device(string service, int port)
    {
        var device = new IoTDevice("127.0.0.1") { Name = "test-device" };
        device.AddService(new DeviceService(service, ServiceTransport.Tcp, port, DiscoveryProtocol.Mdns));
        return device;
    }

    private static (AuditContext Context, RecordingLog Log) Context(params string[] pairs)
    {
        var options = new AuditOptions
        {
            ProbeTimeout = s_timeout,
            DelayBetweenAttempts = TimeSpan.FromMilliseconds(50),
        };
        for (var index = 0; index < pairs.Length; index += 2)
        {
            options.Credentials.Add(new CredentialPair(pairs[index], pairs[index + 1]));
        }

        var log = new RecordingLog();
        return (new AuditContext(options, log), log);
    }

    private static void AssertNoSecret(RuleResult result, RecordingLog log)
    {
        Assert.DoesNotContain(Secret, result.Evidence);
        Assert.NotEmpty(log.Messages);
        Assert.All(log.Messages, m => Assert.DoesNotContain(Secret, m));
        Assert.All(log.Messages, m => Assert.DoesNotContain(Secret[..1] + "*******", m));
    }

    private static IEnumerable<(string, string)> Binds((string Passwd, string Shadow, string Shells) files) =>
        new[] { (files.Passwd, "/etc/passwd"), (files.Shadow, "/etc/shadow"), (files.Shells, "/etc/shells") };

    private static string LighttpdConfig(string folder, int port, string extra)
    {
        var config = Path.Combine(folder, "lighttpd.conf");
        File.WriteAllText(config, $"server.document-root = \"{folder}\"\nserver.port = {port}\n"
            + "server.bind = \"127.0.0.1\"\n"
            + $"server.errorlog = \"{folder}/error.log\"\nserver.modules = ()\n" + extra);
        return config;
    }
}
