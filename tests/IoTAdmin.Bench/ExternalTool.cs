using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

/// <summary>The result of one run of a command-line tool.</summary>
internal sealed record ToolRun(int ExitCode, string Output, string Error, TimeSpan Elapsed, bool TimedOut);

/// <summary>
/// Runs the reference tools of the comparisons (onesixtyone, snmpbulkwalk) and the agents they are
/// measured against, each with a hard time limit; whatever it starts is killed on dispose or timeout.
/// </summary>
internal static class ExternalTool
{
    /// <summary>The full path of a tool in the usual binary folders, or null when it is not installed.</summary>
    public static string? Find(string name) =>
        new[] { "/usr/bin", "/usr/sbin", "/usr/local/bin", "/bin", "/sbin" }
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);

    /// <summary>Runs a tool to the end (or kills it at the limit) and times it from start to exit.</summary>
    public static ToolRun Run(string path, IEnumerable<string> arguments, TimeSpan limit)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExit((int)limit.TotalMilliseconds);
        clock.Stop();
        if (!exited)
        {
            process.Kill(true);
            process.WaitForExit(5000);
        }
        else
        {
            process.WaitForExit();
        }

        return new ToolRun(exited ? process.ExitCode : -1, output.Result, error.Result, clock.Elapsed, !exited);
    }

    /// <summary>A UDP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    /// <summary>The median of a few timings, so one slow run on a busy machine does not decide.</summary>
    public static TimeSpan Median(IEnumerable<TimeSpan> timings)
    {
        var sorted = timings.OrderBy(t => t).ToList();
        return sorted[sorted.Count / 2];
    }
}

/// <summary>A background process (snmpd, snmpsimd) with its output kept for error messages.</summary>
internal sealed class BackgroundProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public BackgroundProcess(
        string path,
        IEnumerable<string> arguments,
        IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

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
            if (!_process.HasExited)
            {
                _process.Kill(true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
