using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IoTAdmin.Engine.Tests.Probes;

/// <summary>Collection for tests that start real daemons on 127.0.0.1; they run one at a time.</summary>
[CollectionDefinition("Daemons", DisableParallelization = true)]
public sealed class DaemonCollection
{
}

/// <summary>A real daemon started by a test on loopback, in its own temp folder, killed on dispose.</summary>
internal sealed class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DaemonProcess(Process process)
    {
        _process = process;
    }

    /// <summary>A fresh folder under /tmp, removed when the test process exits.</summary>
    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "iotadmin-probe-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(path);
        return path;
    }

    /// <summary>Fails the test (never skips) when a daemon binary is missing.</summary>
    public static string Require(string path, string package)
    {
        Assert.True(File.Exists(path), $"{path} is missing: install the Debian package {package}");
        return path;
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Runs the command inside a private mount namespace after the given bind mounts.</summary>
    public static DaemonProcess StartIsolated(
        int port,
        IEnumerable<(string Source, string Target)> binds,
        string command,
        params string[] arguments)
    {
        var mounts = string.Join(" && ", binds.Select(b => b.Source == "tmpfs"
            ? $"mount -t tmpfs tmpfs {b.Target} && mkdir -p {b.Target}/sshd"
            : $"mount --bind {b.Source} {b.Target}"));
        var script = (mounts.Length > 0 ? mounts + " && " : string.Empty) + "exec \"$0\" \"$@\"";
        var unshare = new[] { "--mount", "--propagation", "private", "sh", "-c", script, command };
        var all = unshare.Concat(arguments).ToArray();
        return Start(port, Require("/usr/bin/unshare", "util-linux"), all);
    }

    public static DaemonProcess Start(int port, string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        var daemon = new DaemonProcess(process);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        daemon.WaitForPort(port);
        return daemon;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(3000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A daemon may still hold a file; /tmp is cleaned by the system eventually.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private void WaitForPort(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"daemon exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        Dispose();
        Assert.Fail($"daemon did not listen on 127.0.0.1:{port} within 10 s: {Output}");
    }
}

/// <summary>A log that keeps every message, to prove no password reaches it.</summary>
internal sealed class RecordingLog : IoTAdmin.Engine.Diagnostics.IActivityLog
{
    private readonly List<string> _messages = new();

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return _messages.ToList();
            }
        }
    }

    public void Verbose(string message) => Add(message);

    public void Warning(string message) => Add(message);

    public void Debug(string message) => Add(message);

    private void Add(string message)
    {
        lock (_messages)
        {
            _messages.Add(message);
        }
    }
}
