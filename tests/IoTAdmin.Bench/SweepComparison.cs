using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Discovery;
using IoTAdmin.Engine.Snmp;

/// <summary>
/// SNMP sweep speed of <see cref="SnmpSweepDiscovery"/> against onesixtyone over the same /24 with the
/// same communities: hosts per second, and the agents each found. Targets are only 127.0.0.0/24
/// (with snmpd on a few addresses) and, when the lab is up, the lab's 10.47.0.0/24.
/// </summary>
internal static class SweepComparison
{
    private const string LabFacts = "/var/lib/iotadmin-lab/lab.json";
    private const int Runs = 3;
    private const int HostCount = 254;
    private static readonly string[] s_communities = { "public", "private" };
    private static readonly string[] s_loopbackAgents = { "127.0.0.2", "127.0.0.3", "127.0.0.10", "127.0.0.200" };
    private static readonly Regex s_foundLine = new(@"^\d+\.\d+\.\d+\.\d+ \[", RegexOptions.Multiline);
    private static readonly TimeSpan s_toolLimit = TimeSpan.FromSeconds(120);

    public static async Task<List<BenchResult>> RunAsync()
    {
        var results = new List<BenchResult>();
        var onesixtyone = ExternalTool.Find("onesixtyone");
        if (onesixtyone is null)
        {
            Console.WriteLine("SKIP sweep vs onesixtyone: onesixtyone is not installed "
                + "(apt-get install onesixtyone; tests/lab/lab.sh install should add it).");
            return results;
        }

        using var folder = new TempFolder("iotadmin-bench-sweep-");
        File.WriteAllLines(Path.Combine(folder.Path, "communities.txt"), s_communities);
        await LoopbackAsync(onesixtyone, folder.Path, results);
        if (File.Exists(LabFacts))
        {
            results.AddRange(await CompareAsync("lab 10.47.0.0/24", "10.47.0", SnmpSweepDiscovery.DefaultPort,
                onesixtyone, folder.Path));
        }
        else
        {
            Console.WriteLine($"SKIP sweep of the lab /24: {LabFacts} does not exist (run build.ps1 LabUp).");
        }

        return results;
    }

    private static async Task LoopbackAsync(string onesixtyone, string folder, List<BenchResult> results)
    {
        var snmpd = ExternalTool.Find("snmpd");
        if (snmpd is null)
        {
            Console.WriteLine("SKIP sweep of 127.0.0.0/24: snmpd is not installed (apt-get install snmpd).");
            return;
        }

        var port = ExternalTool.FreeUdpPort();
        using var agents = await StartLoopbackAgentsAsync(snmpd, folder, port);
        if (agents is null)
        {
            return;
        }

        Console.WriteLine($"Loopback sweep targets: 127.0.0.1-254, snmpd on {string.Join(", ", s_loopbackAgents)}.");
        results.AddRange(await CompareAsync("127.0.0.0/24", "127.0.0", port, onesixtyone, folder));
    }

    private static async Task<BackgroundProcess?> StartLoopbackAgentsAsync(string snmpd, string folder, int port)
    {
        var persist = Directory.CreateDirectory(Path.Combine(folder, "persist")).FullName;
        var config = Path.Combine(folder, "snmpd.conf");
        var endpoints = string.Join(",", s_loopbackAgents.Select(a => $"udp:{a}:{port}"));
        File.WriteAllLines(config, new[]
        {
            $"agentAddress {endpoints}", "rocommunity public 127.0.0.0/8", "sysDescr IoTAdmin bench agent",
        });
        File.WriteAllText(Path.Combine(persist, "snmpd.conf"), string.Empty);
        var process = new BackgroundProcess(
            snmpd,
            new[]
            {
                "-f", "-Lo", "-C", "-c", config + "," + Path.Combine(persist, "snmpd.conf"), "-m", "", "-I", "-smux",
            },
            new Dictionary<string, string> { ["SNMP_PERSISTENT_DIR"] = persist });
        using var client = new SnmpClient();
        var probe = new SnmpRequestOptions { Timeout = TimeSpan.FromMilliseconds(300), Retries = 0 };
        var oid = new[] { ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0") };
        for (var attempt = 0; attempt < 30 && !process.HasExited; attempt++)
        {
            try
            {
                var agent = new IPEndPoint(IPAddress.Parse(s_loopbackAgents[^1]), port);
                await client.GetAsync(agent, SnmpVersion.V2c, "public", oid, probe, default);
                return process;
            }
            catch (SnmpTimeoutException)
            {
                await Task.Delay(100);
            }
        }

        Console.WriteLine($"SKIP sweep of 127.0.0.0/24: snmpd did not answer on port {port}: {process.Output}");
        process.Dispose();
        return null;
    }

    private static async Task<List<BenchResult>> CompareAsync(
        string name, string prefix, int port, string onesixtyone, string folder)
    {
        var hosts = Path.Combine(folder, "hosts.txt");
        File.WriteAllLines(hosts, Enumerable.Range(1, HostCount).Select(i => $"{prefix}.{i}"));
        var arguments = new[]
        {
            "-c", Path.Combine(folder, "communities.txt"), "-i", hosts, "-w", "0", "-p", port.ToString(),
        };

        await SweepAsync(prefix, port); // warm-up: JIT and socket set-up are not part of the figure
        var ours = new List<(TimeSpan Elapsed, int Found)>();
        var theirs = new List<(TimeSpan Elapsed, int Found)>();
        for (var run = 0; run < Runs; run++)
        {
            ours.Add(await SweepAsync(prefix, port));
            var tool = ExternalTool.Run(onesixtyone, arguments, s_toolLimit);
            theirs.Add((tool.Elapsed, tool.TimedOut ? 0 : s_foundLine.Matches(tool.Output).Count));
        }

        return Report(name, ours, theirs);
    }

    private static async Task<(TimeSpan Elapsed, int Found)> SweepAsync(string prefix, int port)
    {
        var options = new DiscoveryOptions();
        options.Subnets.Add($"{prefix}.0/24");
        options.Communities.Clear();
        options.Communities.AddRange(s_communities);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();
        var found = await new SnmpSweepDiscovery(port).DiscoverAsync(options, NullActivityLog.Instance, limit.Token);
        clock.Stop();
        var withCommunity = found.Count(o =>
            o.Attributes.TryGetValue("snmp.community.accepted", out var accepted) && accepted == "TRUE");
        return (clock.Elapsed, withCommunity);
    }

    private static List<BenchResult> Report(
        string name,
        List<(TimeSpan Elapsed, int Found)> ours,
        List<(TimeSpan Elapsed, int Found)> theirs)
    {
        var ourRate = HostCount / ExternalTool.Median(ours.Select(o => o.Elapsed)).TotalSeconds;
        var theirRate = HostCount / ExternalTool.Median(theirs.Select(t => t.Elapsed)).TotalSeconds;
        var ourFound = ours.Min(o => o.Found);
        var theirFound = theirs.Max(t => t.Found);
        Console.WriteLine($"Sweep {name}: ours {ourRate:N1} hosts/s ({ourFound} agents with a community), "
            + $"onesixtyone -w 0 {theirRate:N1} hosts/s ({theirFound} agents), ratio {ourRate / theirRate:N2} "
            + $"(median of {Runs} runs, {HostCount} hosts, {s_communities.Length} communities)");
        return new List<BenchResult>
        {
            BenchResult.Ratio($"Sweep {name}: hosts/s ours/onesixtyone", ourRate / theirRate, 1.0),
            BenchResult.Ratio($"Sweep {name}: agents found ours/onesixtyone",
                theirFound == 0 ? 1.0 : (double)ourFound / theirFound, 1.0),
        };
    }
}

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix)
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, true);
        }
        catch (IOException)
        {
            // A process that was just killed may still hold a file; the folder is in /tmp.
        }
    }
}
