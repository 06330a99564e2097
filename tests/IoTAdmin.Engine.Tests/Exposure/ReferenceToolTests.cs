using System.Diagnostics;
using System.Text.RegularExpressions;
using IoTAdmin.Engine.Exposure;
using IoTAdmin.Engine.Probes;
using IoTAdmin.Engine.Tests.Probes;

namespace IoTAdmin.Engine.Tests.Exposure;

/// <summary>
/// Verdicts against the reference tools on deliberately legacy servers started on 127.0.0.1: the
/// SSH audit against ssh-audit on an OpenSSH sshd offering SHA-1 and 1024-bit key exchange, CBC
/// and MD5; the TLS audit against sslscan on an openssl s_server accepting TLS 1.0 to 1.3 with a
/// 1024-bit RSA certificate signed with SHA-1.
/// </summary>
[Collection("Daemons")]
public sealed class ReferenceToolTests
{
    private static readonly Regex s_sshAuditLine = new(@"^\((kex|key|enc|mac)\) (\S+)\s.*?-- \[(\w+)\]");
    private static readonly Regex s_sshAuditMore = new(@"^\s+`- \[(\w+)\]");
    private static readonly Regex s_sslscanProtocol = new(@"^(SSLv3|TLSv1\.[0-3])\s+(enabled|disabled)",
        RegexOptions.Multiline);

    [Fact]
    public async Task SshAudit_OnLegacySshd_ShouldFailAndWarnTheSameAlgorithmsAsSshAudit()
    {
        var extra = "KexAlgorithms diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,"
            + "diffie-hellman-group14-sha256,curve25519-sha256,ecdh-sha2-nistp256\n"
            + "Ciphers aes128-cbc,3des-cbc,aes128-ctr,aes256-gcm@openssh.com\n"
            + "MACs hmac-md5,hmac-sha1,hmac-sha2-256,hmac-sha2-256-etm@openssh.com\n"
            + "HostKeyAlgorithms ssh-rsa,rsa-sha2-256,rsa-sha2-512\nUsePAM no\n";
        using var sshd = StartSshd("rsa", extra, out var port);

        var hello = await SshProbe.ReadServerHelloAsync("127.0.0.1", port, TimeSpan.FromSeconds(5),
            CancellationToken.None);
        var ours = SshAlgorithmAudit.Grade(hello.Identification, hello.KexInit!);
        var theirs = RunSshAudit(port);

        var ourVerdicts = ours.Algorithms.Where(a => theirs.ContainsKey(a.Name))
            .ToDictionary(a => a.Name, a => a.Grade.ToString().ToLowerInvariant());
        var theirVerdicts = theirs.Where(t => ourVerdicts.ContainsKey(t.Key))
            .ToDictionary(t => t.Key, t => t.Value == "info" ? "ok" : t.Value);
        Assert.True(ourVerdicts.Count >= 12, $"compared only {string.Join(", ", ourVerdicts.Keys)}");
        Assert.Equal(theirVerdicts.OrderBy(v => v.Key), ourVerdicts.OrderBy(v => v.Key));
        Assert.Equal(AuditGrade.Fail, ours.Overall);
    }

    [Fact]
    public async Task TlsAudit_OnLegacyServer_ShouldFindTheVersionsAndKeySslscanFinds()
    {
        var folder = DaemonProcess.TempFolder();
        var (certificate, key) = MakeLegacyCertificate(folder);
        var port = DaemonProcess.FreePort();
        var emptyConfig = Path.Combine(folder, "openssl.cnf");
        File.WriteAllText(emptyConfig, string.Empty);
        using var server = StartOpenSslServer(port, certificate, key, emptyConfig);

        var ours = await TlsAudit.AuditAsync("127.0.0.1", port, "127.0.0.1", TimeSpan.FromSeconds(5),
            CancellationToken.None);
        var sslscan = RunTool("/usr/bin/sslscan", "sslscan", new[] { "--no-colour", "--no-ciphersuites",
            "--no-groups", "--no-heartbleed", $"127.0.0.1:{port}" }, new Dictionary<string, string>
            {
                ["OPENSSL_CONF"] = emptyConfig,
            });

        var theirs = s_sslscanProtocol.Matches(sslscan).Where(m => m.Groups[2].Value == "enabled")
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(theirs, ours.Offered.Select(TlsHello.Label).ToList());
        Assert.Contains("TLSv1.0", theirs);
        Assert.Contains("RSA Key Strength:    1024", sslscan);
        Assert.Equal(1024, ours.KeySize);
        Assert.Contains(ours.Findings, f => f.Grade == AuditGrade.Fail && f.Text.Contains("TLSv1.0"));
        Assert.Contains(ours.Findings, f => f.Grade == AuditGrade.Fail && f.Text.Contains("1024 bits"));
        Assert.Contains(ours.Findings, f => f.Grade == AuditGrade.Fail && f.Text.Contains("sha1"));
        Assert.Contains(ours.Findings, f => f.Grade == AuditGrade.Fail && f.Text.Contains("not 127.0.0.1"));
        Assert.True(ours.SelfSigned);
    }

    private static Dictionary<string, string> RunSshAudit(int port)
    {
        var output = RunTool("/usr/bin/ssh-audit", "ssh-audit", new[] { "-n", "-p", port.ToString(), "127.0.0.1" },
            null);
        var verdicts = new Dictionary<string, string>();
        string? current = null;
        foreach (var line in output.Split('\n'))
        {
            var first = s_sshAuditLine.Match(line);
            if (first.Success)
            {
                current = first.Groups[2].Value;
                verdicts[current] = first.Groups[3].Value;
                continue;
            }

            var more = s_sshAuditMore.Match(line);
            if (more.Success && current is not null && Rank(more.Groups[1].Value) > Rank(verdicts[current]))
            {
                verdicts[current] = more.Groups[1].Value;
            }
        }

        return verdicts;
    }

    private static int Rank(string verdict) => verdict switch { "fail" => 2, "warn" => 1, _ => 0 };

    private static string RunTool(string path, string package, string[] arguments, Dictionary<string, string>? env)
    {
        DaemonProcess.Require(path, package);
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(60000))
        {
            process.Kill(true);
            Assert.Fail($"{path} did not finish within 60 s");
        }

        return output.Result;
    }

    private static DaemonProcess StartSshd(string keyType, string extra, out int port)
    {
        var folder = DaemonProcess.TempFolder();
        port = DaemonProcess.FreePort();
        var key = Path.Combine(folder, "host_" + keyType);
        DaemonFiles.Run(DaemonProcess.Require("/usr/bin/ssh-keygen", "openssh-client"), "-q", "-t", keyType, "-N",
            "", "-f", key);
        var config = Path.Combine(folder, "sshd_config");
        File.WriteAllText(config, $"Port {port}\nListenAddress 127.0.0.1\nHostKey {key}\nPidFile {folder}/sshd.pid\n"
            + extra);
        var sshd = DaemonProcess.Require("/usr/sbin/sshd", "openssh-server");
        return DaemonProcess.StartIsolated(port, new[] { ("tmpfs", "/run") }, sshd, "-D", "-e", "-f", config);
    }

    private static (string Certificate, string Key) MakeLegacyCertificate(string folder)
    {
        var certificate = Path.Combine(folder, "legacy-cert.pem");
        var key = Path.Combine(folder, "legacy-key.pem");
        DaemonFiles.Run(DaemonProcess.Require("/usr/bin/openssl", "openssl"), "req", "-x509", "-newkey", "rsa:1024",
            "-sha1", "-nodes", "-days", "30", "-subj", "/CN=legacy.example", "-keyout", key, "-out", certificate);
        return (certificate, key);
    }

    private static DaemonProcess StartOpenSslServer(int port, string certificate, string key, string config)
    {
        var script = $"OPENSSL_CONF={config} exec /usr/bin/openssl s_server -accept 127.0.0.1:{port} -cert "
            + $"{certificate} -key {key} -cipher ALL:@SECLEVEL=0 -www -quiet";
        return DaemonProcess.Start(port, "/bin/sh", "-c", script);
    }
}
