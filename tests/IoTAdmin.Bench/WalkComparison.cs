using System.Diagnostics;
using System.Net;
using IoTAdmin.Engine.Snmp;

/// <summary>
/// A full GetBulk walk of the largest recording in tests/data/recordings/snmprec that snmpsimd serves
/// completely, on 127.0.0.1: <see cref="SnmpClient.WalkAsync(IPEndPoint, SnmpVersion, string, ObjectIdentifier,
/// SnmpRequestOptions, CancellationToken)"/> against snmpbulkwalk, both with max-repetitions 10.
/// </summary>
internal static class WalkComparison
{
    private static readonly string Recordings = FindRecordings();
    private const int Runs = 3;
    private const int Candidates = 5;
    private static readonly ObjectIdentifier s_root = ObjectIdentifier.Parse("1.3.6.1");
    private static readonly TimeSpan s_toolLimit = TimeSpan.FromSeconds(120);

    /// <summary>The repository's recordings, found above the folder the bench runs from.</summary>
    private static string FindRecordings()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "data", "recordings", "snmprec");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Combine("tests", "data", "recordings", "snmprec");
    }

    public static async Task<List<BenchResult>> RunAsync()
    {
        var snmpsimd = ExternalTool.Find("snmpsimd");
        var snmpbulkwalk = ExternalTool.Find("snmpbulkwalk");
        var recordings = Directory.Exists(Recordings)
            ? new DirectoryInfo(Recordings).GetFiles("*.snmprec").OrderByDescending(f => f.Length).Take(Candidates)
                .ToList()
            : new List<FileInfo>();
        if (snmpsimd is null || snmpbulkwalk is null || recordings.Count == 0)
        {
            Console.WriteLine("SKIP walk vs snmpbulkwalk: needs snmpsimd (apt-get install snmpsim), snmpbulkwalk "
                + $"(apt-get install snmp) and a recording in {Recordings}.");
            return new List<BenchResult>();
        }

        using var folder = new TempFolder("iotadmin-bench-walk-");
        var port = ExternalTool.FreeUdpPort();
        using var agent = await StartAsync(snmpsimd, recordings, folder.Path, port);
        if (agent is null)
        {
            return new List<BenchResult>();
        }

        var recording = Choose(snmpbulkwalk, recordings, port);
        return recording is null
            ? new List<BenchResult>()
            : await CompareAsync(snmpbulkwalk, recording.Name, Community(recording), port);
    }

    /// <summary>
    /// The largest recording snmpbulkwalk can walk to the end over snmpsimd: a recording with a value
    /// snmpsimd cannot encode makes it drop the answer, and then neither walk can finish.
    /// </summary>
    private static FileInfo? Choose(string snmpbulkwalk, IReadOnlyList<FileInfo> recordings, int port)
    {
        foreach (var recording in recordings)
        {
            var check = ExternalTool.Run(snmpbulkwalk, Arguments(Community(recording), port), s_toolLimit);
            if (check.ExitCode == 0 && !check.TimedOut)
            {
                return recording;
            }

            Console.WriteLine($"Walk: passing over {recording.Name} ({recording.Length:N0} bytes): snmpbulkwalk over "
                + $"snmpsimd stopped after {CountVariables(check.Output)} variables: {check.Error.Trim()}");
        }

        Console.WriteLine($"SKIP walk vs snmpbulkwalk: none of the {recordings.Count} largest recordings walks.");
        return null;
    }

    /// <summary>
    /// The variables snmpbulkwalk printed: lines that start with an OID, less its endOfMibView notes
    /// ("No more variables left in this MIB View"), which are no variables.
    /// </summary>
    private static int CountVariables(string output) =>
        output.Split('\n').Count(line => line.StartsWith(".1.", StringComparison.Ordinal)
            && !line.Contains("No more variables left", StringComparison.Ordinal));

    private static string Community(FileInfo recording) => Path.GetFileNameWithoutExtension(recording.Name);

    private static string[] Arguments(string community, int port) =>
        new[] { "-v2c", "-c", community, "-On", $"127.0.0.1:{port}", s_root.ToString() };

    private static async Task<BackgroundProcess?> StartAsync(
        string snmpsimd, IReadOnlyList<FileInfo> recordings, string folder, int port)
    {
        var data = Directory.CreateDirectory(Path.Combine(folder, "data")).FullName;
        var cache = Directory.CreateDirectory(Path.Combine(folder, "cache")).FullName;
        var copies = recordings.Select(r => r.CopyTo(Path.Combine(data, r.Name)).FullName).ToList();
        if (!OperatingSystem.IsWindows())
        {
            OpenToNobody(folder, data, cache, copies);
        }

        var process = new BackgroundProcess(snmpsimd, new[]
        {
            $"--data-dir={data}", $"--cache-dir={cache}", $"--agent-udpv4-endpoint=127.0.0.1:{port}",
            "--process-user=nobody", "--process-group=nogroup", "--logging-method=null",
        });
        if (await WaitUntilAnsweringAsync(process, port, Community(recordings[0])))
        {
            return process;
        }

        var output = process.Output;
        Console.WriteLine("SKIP walk vs snmpbulkwalk: snmpsimd did not answer within 60 s: "
            + output.Substring(Math.Max(0, output.Length - 2000)));
        process.Dispose();
        return null;
    }

    /// <summary>snmpsimd drops its privileges to nobody: its data and cache folders must be open to it.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void OpenToNobody(string folder, string data, string cache, IEnumerable<string> copies)
    {
        const UnixFileMode Open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(folder, Open);
        File.SetUnixFileMode(data, Open);
        File.SetUnixFileMode(cache, Open | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
        foreach (var copy in copies)
        {
            File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    private static async Task<bool> WaitUntilAnsweringAsync(BackgroundProcess process, int port, string community)
    {
        using var client = new SnmpClient();
        var probe = new SnmpRequestOptions { Timeout = TimeSpan.FromMilliseconds(500), Retries = 0 };
        var agent = new IPEndPoint(IPAddress.Loopback, port);
        var oid = new[] { ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0") };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
        {
            try
            {
                await client.GetAsync(agent, SnmpVersion.V2c, community, oid, probe, default);
                return true;
            }
            catch (SnmpTimeoutException)
            {
                await Task.Delay(200);
            }
        }

        return false;
    }

    private static async Task<List<BenchResult>> CompareAsync(
        string snmpbulkwalk, string file, string community, int port)
    {
        var arguments = Arguments(community, port);
        await WalkAsync(community, port); // warm-up: JIT and the agent's index are not part of the figure
        var ours = new List<(TimeSpan Elapsed, int Variables)>();
        var theirs = new List<(TimeSpan Elapsed, int Variables)>();
        for (var run = 0; run < Runs; run++)
        {
            ours.Add(await WalkAsync(community, port));
            var tool = ExternalTool.Run(snmpbulkwalk, arguments, s_toolLimit);
            theirs.Add((tool.Elapsed, tool.TimedOut || tool.ExitCode != 0 ? 0 : CountVariables(tool.Output)));
        }

        var ourTime = ExternalTool.Median(ours.Select(o => o.Elapsed));
        var theirTime = ExternalTool.Median(theirs.Select(t => t.Elapsed));
        var ourCount = ours.Min(o => o.Variables);
        var theirCount = theirs.Max(t => t.Variables);
        var ratio = theirTime.TotalMilliseconds / ourTime.TotalMilliseconds;
        Console.WriteLine($"Walk of {file} via snmpsimd: ours {ourTime.TotalMilliseconds:N0} ms "
            + $"({ourCount} variables), "
            + $"snmpbulkwalk {theirTime.TotalMilliseconds:N0} ms ({theirCount} variables, process start included), "
            + $"speed ratio ours/theirs {ratio:N2} (median of {Runs} runs, max-repetitions 10 both)");
        return new List<BenchResult>
        {
            BenchResult.Ratio($"Walk {file}: speed ours/snmpbulkwalk", ratio, 1.0),
            BenchResult.Ratio($"Walk {file}: variables ours/snmpbulkwalk",
                theirCount == 0 ? 0 : (double)ourCount / theirCount, 1.0),
        };
    }

    private static async Task<(TimeSpan Elapsed, int Variables)> WalkAsync(string community, int port)
    {
        var options = new SnmpRequestOptions
        {
            Timeout = TimeSpan.FromSeconds(2), Retries = 2, MaxRepetitions = 10, MaxWalkRequests = 100_000,
        };
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var client = new SnmpClient();
        var clock = Stopwatch.StartNew();
        SnmpWalkResult walk;
        try
        {
            walk = await client.WalkAsync(
                new IPEndPoint(IPAddress.Loopback, port), SnmpVersion.V2c, community, s_root, options, limit.Token);
        }
        catch (SnmpTimeoutException ex)
        {
            Console.WriteLine($"Our walk got no answer: {ex.Message}");
            return (clock.Elapsed, 0);
        }

        clock.Stop();
        if (!walk.IsComplete)
        {
            Console.WriteLine($"Our walk stopped early ({walk.StopReason}): {walk.Problem}");
        }

        return (clock.Elapsed, walk.Variables.Count);
    }
}
