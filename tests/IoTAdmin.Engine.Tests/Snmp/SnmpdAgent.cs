using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>
/// A real net-snmp agent on 127.0.0.1 and a free high UDP port, with its own config and persistent
/// directory in a temp folder; killed on dispose. Fails loudly when the lab tools are not installed.
/// </summary>
public sealed class SnmpdAgent : IDisposable
{
    public const string SnmpdPath = "/usr/sbin/snmpd";
    public const string V3User = "auditor";
    public const string V3AuthPassword = "auth-pass-2026";
    public const string V3PrivPassword = "priv-pass-2026";
    public const string SysDescr = "Hikvision DS-2CD2142FWD-I firmware V5.4.5";
    public const string SysName = "testcam";

    private readonly StringBuilder _output = new();
    private readonly string _config;
    private Process _process;

    public SnmpdAgent()
        : this(withCommunity: true, Array.Empty<string>())
    {
    }

    /// <summary>Starts an agent; without a community it answers only SNMPv3.</summary>
    internal SnmpdAgent(bool withCommunity, IReadOnlyList<string> extraConfig)
    {
        RequireTool(SnmpdPath);
        RequireTool("/usr/bin/snmpget");
        RequireTool("/usr/bin/snmpwalk");
        Directory = System.IO.Directory.CreateTempSubdirectory("iotadmin-snmpd-").FullName;
        Port = FreeUdpPort();
        _config = Path.Combine(Directory, "snmpd.conf");
        File.WriteAllText(_config, Config(withCommunity, extraConfig));
        _process = Start(_config);
        WaitUntilAnswering();
    }

    /// <summary>An agent with no community at all, which answers only SNMPv3.</summary>
    public static SnmpdAgent StartV3Only() => new(withCommunity: false, Array.Empty<string>());

    /// <summary>
    /// Stops snmpd with SIGTERM, so it saves its engine ID and boots, and starts it again on the same
    /// port: engineBoots goes up by one and engineTime starts from zero.
    /// </summary>
    public void Restart()
    {
        RunTool("/bin/kill", "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!_process.WaitForExit(10000))
        {
            throw new InvalidOperationException("snmpd did not stop within 10 s of SIGTERM.");
        }

        _process.Dispose();
        _process = Start(_config);
        WaitUntilAnswering();
    }

    public int Port { get; }

    public string Directory { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public string Target => $"127.0.0.1:{Port}";

    /// <summary>Runs a net-snmp command-line tool and returns its standard output.</summary>
    public static string RunTool(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(20000))
        {
            process.Kill(true);
            throw new TimeoutException($"{tool} did not finish within 20 s.");
        }

        return process.ExitCode == 0
            ? output.Result
            : throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {error.Result}");
    }

    /// <summary>The engine ID as snmpget -v3 reads snmpEngineID.0 with the configured user.</summary>
    public string EngineIdFromSnmpget()
    {
        var output = RunTool(
            "/usr/bin/snmpget", "-v3", "-u", V3User, "-l", "authPriv", "-a", "SHA", "-A", V3AuthPassword,
            "-x", "AES", "-X", V3PrivPassword, "-On", "-Ox", "-m", "", "-t", "2", "-r", "1", Target,
            "1.3.6.1.6.3.10.2.1.1.0");
        var hex = output.Substring(output.IndexOf("Hex-STRING:", StringComparison.Ordinal) + "Hex-STRING:".Length);
        return new string(hex.Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(true);
                _process.WaitForExit(5000);
            }
        }
        finally
        {
            _process.Dispose();
            System.IO.Directory.Delete(Directory, true);
        }
    }

    private string Config(bool withCommunity, IReadOnlyList<string> extraConfig)
    {
        var lines = new List<string>
        {
            $"agentAddress udp:127.0.0.1:{Port}",
            $"sysDescr {SysDescr}",
            "sysObjectID .1.3.6.1.4.1.39165.1.1",
            $"sysName {SysName}",
            "sysLocation lab rack 3",
            "sysContact ops@example.org",
            "sysServices 72",
            $"createUser {V3User} SHA \"{V3AuthPassword}\" AES \"{V3PrivPassword}\"",
            $"rouser -s usm {V3User} priv",
        };
        if (withCommunity)
        {
            lines.Add("rocommunity public 127.0.0.1");
        }

        lines.AddRange(extraConfig);

        return string.Join('\n', lines) + '\n';
    }

    private Process Start(string config)
    {
        var start = new ProcessStartInfo(SnmpdPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // -C skips the system's files, and with them the persistent one: name it, so that engine ID
        // and boots survive a restart as on a real device.
        var persist = Path.Combine(Directory, "persist");
        var persistentConfig = Path.Combine(persist, "snmpd.conf");
        System.IO.Directory.CreateDirectory(persist);
        if (!File.Exists(persistentConfig))
        {
            File.WriteAllText(persistentConfig, string.Empty);
        }

        var configs = config + "," + persistentConfig;
        foreach (var argument in new[] { "-f", "-Lo", "-C", "-c", configs, "-m", "", "-I", "-smux" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SNMP_PERSISTENT_DIR"] = persist;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private void WaitUntilAnswering()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                break;
            }

            try
            {
                RunTool("/usr/bin/snmpget", "-v3", "-u", V3User, "-l", "authPriv", "-a", "SHA", "-A", V3AuthPassword,
                    "-x", "AES", "-X", V3PrivPassword, "-m", "", "-t", "0.3", "-r", "0", Target, "1.3.6.1.2.1.1.5.0");
                return;
            }
            catch (InvalidOperationException)
            {
                Thread.Sleep(100);
            }
        }

        string log;
        lock (_output)
        {
            log = _output.ToString();
        }

        Dispose();
        throw new InvalidOperationException($"snmpd did not answer on {Target} within 15 s. Its output:\n{log}");
    }

    private static void RequireTool(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} is missing: these integration tests need net-snmp. Run the lab install "
                + "(tests/lab/lab.sh install, see shared/lab-notes.md section 1) and run the tests again.");
        }
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
