using System.Net.Sockets;
using System.Text;
using IoTAdmin.Engine.Exposure;
using IoTAdmin.Engine.Tests.Probes;

namespace IoTAdmin.Engine.Tests.Exposure;

/// <summary>
/// The embedded-web-server checks against a real lighttpd on 127.0.0.1, once left as installed
/// (directory listing, default page, open admin page, versioned Server tag, no HSTS) and once
/// hardened; TRACE echo is played by a scripted peer since Debian's web servers refuse TRACE.
/// </summary>
[Collection("Daemons")]
public sealed class WebServerChecksTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Checks_OnCarelessLighttpd_ShouldFailEachWeakness()
    {
        using var server = StartLighttpd(hardened: false, out var port);
        var endpoint = new WebEndpoint("127.0.0.1", port, tls: true);

        var admin = await WebServerChecks.AdminWithoutAuthAsync(endpoint, s_timeout, CancellationToken.None);
        var listing = await WebServerChecks.DirectoryListingAsync(endpoint, s_timeout, CancellationToken.None);
        var banner = await WebServerChecks.ServerBannerAsync(endpoint, s_timeout, CancellationToken.None);
        var page = await WebServerChecks.DefaultPageAsync(endpoint, s_timeout, CancellationToken.None);
        var hsts = await WebServerChecks.HstsAsync(endpoint, s_timeout, CancellationToken.None);
        var trace = await WebServerChecks.TraceAsync(endpoint, s_timeout, CancellationToken.None);

        Assert.True(admin.Grade == AuditGrade.Fail, admin.Evidence);
        Assert.Contains("/admin/", admin.Evidence);
        Assert.True(listing.Grade == AuditGrade.Fail, listing.Evidence);
        Assert.Contains("/images/", listing.Evidence);
        Assert.True(banner.Grade == AuditGrade.Fail, banner.Evidence);
        Assert.Contains("lighttpd/1.4", banner.Evidence);
        Assert.True(page.Grade == AuditGrade.Fail, page.Evidence);
        Assert.True(hsts.Grade == AuditGrade.Fail, hsts.Evidence);
        Assert.True(trace.Grade == AuditGrade.Ok, trace.Evidence);
    }

    [Fact]
    public async Task Checks_OnHardenedLighttpd_ShouldPassEach()
    {
        using var server = StartLighttpd(hardened: true, out var port);
        var endpoint = new WebEndpoint("127.0.0.1", port, tls: true);

        var results = new[]
        {
            await WebServerChecks.AdminWithoutAuthAsync(endpoint, s_timeout, CancellationToken.None),
            await WebServerChecks.DirectoryListingAsync(endpoint, s_timeout, CancellationToken.None),
            await WebServerChecks.ServerBannerAsync(endpoint, s_timeout, CancellationToken.None),
            await WebServerChecks.DefaultPageAsync(endpoint, s_timeout, CancellationToken.None),
            await WebServerChecks.HstsAsync(endpoint, s_timeout, CancellationToken.None),
        };

        Assert.All(results, r => Assert.True(r.Grade == AuditGrade.Ok, r.Evidence));
    }

    [Fact]
    public async Task Trace_WithServerEchoingTheRequest_ShouldFail()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var echo = EchoTraceOnceAsync(listener);

        var trace = await WebServerChecks.TraceAsync(new WebEndpoint("127.0.0.1", port, false), s_timeout,
            CancellationToken.None);

        listener.Stop();
        await echo;
        Assert.True(trace.Grade == AuditGrade.Fail, trace.Evidence);
    }

    private static async Task EchoTraceOnceAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var read = await stream.ReadAtLeastAsync(buffer, 1, throwOnEndOfStream: false);
        var request = Encoding.ASCII.GetString(buffer, 0, read);
        var answer = "HTTP/1.1 200 OK\r\nContent-Type: message/http\r\n"
            + $"Content-Length: {request.Length}\r\n\r\n{request}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
    }

    private static DaemonProcess StartLighttpd(bool hardened, out int port)
    {
        var folder = DaemonProcess.TempFolder();
        var www = Directory.CreateDirectory(Path.Combine(folder, "www")).FullName;
        Directory.CreateDirectory(Path.Combine(www, "images"));
        Directory.CreateDirectory(Path.Combine(www, "admin"));
        File.WriteAllText(Path.Combine(www, "images", "logo.jpg"), "x");
        File.WriteAllText(Path.Combine(www, "index.html"), hardened
            ? "<html><body><form><input type=\"password\" name=\"p\"></form>Settings after login</body></html>"
            : "<html><body><h1>It works!</h1></body></html>");
        File.WriteAllText(Path.Combine(www, "admin", "index.html"), hardened
            ? "<html><body>Please log in: <input type=\"password\"></body></html>"
            : "<html><body><h2>Network settings</h2><a href=\"reboot.cgi\">Reboot</a></body></html>");
        var (certificate, key) = MakeCertificate(folder);
        port = DaemonProcess.FreePort();
        var config = Path.Combine(folder, "lighttpd.conf");
        File.WriteAllText(config, string.Join("\n", new[]
        {
            "server.modules = (\"mod_openssl\", \"mod_setenv\", \"mod_indexfile\", \"mod_dirlisting\", "
                + "\"mod_staticfile\")",
            $"server.document-root = \"{www}\"", "server.bind = \"127.0.0.1\"", $"server.port = {port}",
            $"server.pid-file = \"{folder}/lighttpd.pid\"", "index-file.names = (\"index.html\")",
            "ssl.engine = \"enable\"", $"ssl.pemfile = \"{certificate}\"", $"ssl.privkey = \"{key}\"",
            hardened ? "server.tag = \"Camera\"" : "server.tag = \"lighttpd/1.4.69\"",
            $"dir-listing.activate = \"{(hardened ? "disable" : "enable")}\"",
            hardened ? "setenv.add-response-header = (\"Strict-Transport-Security\" => \"max-age=31536000\")" : "",
        }));
        var lighttpd = DaemonProcess.Require("/usr/sbin/lighttpd", "lighttpd");
        return DaemonProcess.Start(port, lighttpd, "-D", "-f", config);
    }

    private static (string Certificate, string Key) MakeCertificate(string folder)
    {
        var certificate = Path.Combine(folder, "cert.pem");
        var key = Path.Combine(folder, "key.pem");
        DaemonFiles.Run(DaemonProcess.Require("/usr/bin/openssl", "openssl"), "req", "-x509", "-newkey", "ec",
            "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30", "-subj", "/CN=127.0.0.1", "-addext",
            "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate);
        return (certificate, key);
    }
}
