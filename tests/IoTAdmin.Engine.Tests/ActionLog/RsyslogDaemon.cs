using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IoTAdmin.Engine.Tests.ActionLog;

/// <summary>
/// Debian's rsyslogd on 127.0.0.1 with UDP and either plain TCP or TLS (gtls, a CA the test makes) inputs,
/// writing each message's PRI, version, host, app, msgid and text to a file the test reads.
/// </summary>
internal sealed class RsyslogDaemon : IDisposable
{
    private const string Rsyslogd = "/usr/sbin/rsyslogd";
    private readonly Process _process;

    private RsyslogDaemon(string folder, bool tls)
    {
        Folder = folder;
        UdpPort = FreeUdpPort();
        TcpPort = FreeTcpPort();
        if (tls)
        {
            MakeCertificates();
        }

        File.WriteAllText(Path.Combine(folder, "rsyslog.conf"), Config(tls));
        _process = Process.Start(new ProcessStartInfo(Rsyslogd,
            $"-n -f {folder}/rsyslog.conf -i {folder}/rsyslogd.pid")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        WaitForListener();
    }

    public string Folder { get; }

    public int UdpPort { get; }

    public int TcpPort { get; }

    public string CaPath => Path.Combine(Folder, "ca.pem");

    public static RsyslogDaemon Start(bool tls)
    {
        Assert.True(File.Exists(Rsyslogd), "rsyslogd is missing: install the Debian packages rsyslog rsyslog-gnutls");
        var folder = Path.Combine(Path.GetTempPath(), "iotadmin-rsyslog-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return new RsyslogDaemon(folder, tls);
    }

    /// <summary>Waits (bounded) until the output holds <paramref name="count"/> lines.</summary>
    public string[] WaitForLines(int count)
    {
        var path = Path.Combine(Folder, "out.log");
        for (var i = 0; i < 100; i++)
        {
            if (File.Exists(path))
            {
                var lines = File.ReadAllLines(path);
                if (lines.Length >= count)
                {
                    return lines;
                }
            }

            Thread.Sleep(50);
        }

        return File.Exists(path) ? File.ReadAllLines(path) : Array.Empty<string>();
    }

    public void Dispose()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private string Config(bool tls)
    {
        var global = $"global(workDirectory=\"{Folder}\" maxMessageSize=\"64k\"";
        global += tls
            ? $" DefaultNetstreamDriver=\"gtls\" DefaultNetstreamDriverCAFile=\"{Folder}/ca.pem\""
              + $" DefaultNetstreamDriverCertFile=\"{Folder}/cert.pem\""
              + $" DefaultNetstreamDriverKeyFile=\"{Folder}/key.pem\")"
            : ")";
        var tcpModule = tls
            ? "module(load=\"imtcp\" StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\" StreamDriver.Authmode=\"anon\")"
            : "module(load=\"imtcp\")";
        return string.Join("\n",
            global,
            tcpModule,
            $"input(type=\"imtcp\" address=\"127.0.0.1\" port=\"{TcpPort}\")",
            "module(load=\"imudp\")",
            $"input(type=\"imudp\" address=\"127.0.0.1\" port=\"{UdpPort}\")",
            "template(name=\"fields\" type=\"string\""
                + " string=\"%PRI%|%PROTOCOL-VERSION%|%HOSTNAME%|%APP-NAME%|%MSGID%|%msg%\\n\")",
            $"*.* action(type=\"omfile\" file=\"{Folder}/out.log\" template=\"fields\")",
            string.Empty);
    }

    private void MakeCertificates()
    {
        Run("openssl", "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2"
            + $" -subj /CN=IoTAdminTestCA -keyout {Folder}/ca-key.pem -out {Folder}/ca.pem");
        Run("openssl", "req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost"
            + $" -keyout {Folder}/key.pem -out {Folder}/req.pem");
        File.WriteAllText(Path.Combine(Folder, "ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Run("openssl", $"x509 -req -in {Folder}/req.pem -CA {Folder}/ca.pem -CAkey {Folder}/ca-key.pem"
            + $" -CAcreateserial -days 2 -extfile {Folder}/ext.cnf -out {Folder}/cert.pem");
    }

    private static void Run(string tool, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(20_000) && process.ExitCode == 0, $"{tool} {arguments} failed");
    }

    private void WaitForListener()
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, TcpPort);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        Assert.Fail("rsyslogd did not start listening: " + _process.StandardError.ReadToEnd());
    }

    private static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static int FreeUdpPort()
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
    }
}
