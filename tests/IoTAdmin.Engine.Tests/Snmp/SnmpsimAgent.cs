using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Tests.Support;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>
/// One snmpsimd (Debian's snmpsim 0.4.5) on 127.0.0.1 and a free UDP port, serving every recording of
/// tests/data/recordings/snmprec; the file name minus .snmprec is the community. Killed on dispose. snmpsimd drops
/// to nobody/nogroup, so the data folder is world-readable and the cache folder world-writable
/// (lab-notes gotcha 21). It is not respawned: a crash fails the next test with its last output.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SnmpsimAgent : IDisposable
{
    public const string SnmpsimdPath = "/usr/bin/snmpsimd";
    private const int OutputTailLines = 60;

    private readonly Queue<string> _tail = new();
    private readonly Process _process;

    public SnmpsimAgent()
    {
        RequireTool(SnmpsimdPath, "snmpsim");
        RequireTool("/usr/bin/snmpbulkwalk", "snmp");
        Root = Directory.CreateTempSubdirectory("iotadmin-snmpsim-").FullName;
        Communities = CopyRecordings(Path.Combine(Root, "data"));
        var cache = Directory.CreateDirectory(Path.Combine(Root, "cache")).FullName;
        File.SetUnixFileMode(Root, Mode("rwxr-xr-x"));
        File.SetUnixFileMode(cache, Mode("rwxrwxrwx"));
        Port = FreeUdpPort();
        _process = Start(Path.Combine(Root, "data"), cache);
        WaitUntilAnswering();
    }

    /// <summary>The communities served, one per recording, in ordinal order.</summary>
    public IReadOnlyList<string> Communities { get; }

    public string Root { get; }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public string Target => $"127.0.0.1:{Port}";

    /// <summary>The recordings in tests/data/recordings/snmprec, each a community, listed from the folder.</summary>
    public static IReadOnlyList<string> RecordingNames() =>
        Directory.GetFiles(SharedData.PathOf("snmprec"), "*.snmprec")
            .Select(Path.GetFileNameWithoutExtension)
            .Select(name => name!)
            .OrderBy(name => name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Fails with snmpsimd's last output when it has died (it crashes on some packets).</summary>
    public void RequireRunning()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException(
                $"snmpsimd exited with code {_process.ExitCode}. Its last output:\n{Tail()}");
        }
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
            Directory.Delete(Root, true);
        }
    }

    private static IReadOnlyList<string> CopyRecordings(string data)
    {
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, Mode("rwxr-xr-x"));
        var names = RecordingNames();
        foreach (var name in names)
        {
            var copy = Path.Combine(data, name + ".snmprec");
            File.Copy(SharedData.PathOf("snmprec", name + ".snmprec"), copy);
            File.SetUnixFileMode(copy, Mode("rw-r--r--"));
        }

        return names;
    }

    private Process Start(string data, string cache)
    {
        var start = new ProcessStartInfo(SnmpsimdPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        var arguments = new[]
        {
            "--data-dir=" + data, "--cache-dir=" + cache, $"--agent-udpv4-endpoint={Target}",
            "--process-user=nobody", "--process-group=nogroup", "--logging-method=null",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > OutputTailLines)
            {
                _tail.Dequeue();
            }
        }
    }

    private string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    private void WaitUntilAnswering()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                SnmpdAgent.RunTool(
                    "/usr/bin/snmpgetnext", "-v2c", "-c", Communities[0], "-m", "", "-t", "0.5", "-r", "0",
                    Target, "1.3.6.1");
                return;
            }
            catch (InvalidOperationException)
            {
                Thread.Sleep(200);
            }
        }

        var log = Tail();
        Dispose();
        throw new InvalidOperationException($"snmpsimd did not answer on {Target} within 30 s. Its output:\n{log}");
    }

    private static UnixFileMode Mode(string text)
    {
        var bits = new[]
        {
            UnixFileMode.UserRead, UnixFileMode.UserWrite, UnixFileMode.UserExecute,
            UnixFileMode.GroupRead, UnixFileMode.GroupWrite, UnixFileMode.GroupExecute,
            UnixFileMode.OtherRead, UnixFileMode.OtherWrite, UnixFileMode.OtherExecute,
        };
        var mode = UnixFileMode.None;
        for (var i = 0; i < bits.Length; i++)
        {
            mode |= text[i] == '-' ? UnixFileMode.None : bits[i];
        }

        return mode;
    }

    private static void RequireTool(string path, string package)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} is missing: these tests need the Debian package {package}. Run the lab install "
                + "(tests/lab/lab.sh install) or apt-get install snmpsim snmp, and run the tests again.");
        }
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
