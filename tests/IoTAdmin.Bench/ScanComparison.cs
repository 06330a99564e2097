using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IoTAdmin.Engine.Exposure;
using IoTAdmin.Engine.Probes;

/// <summary>
/// TCP connect scan of the lab fleet's top IoT ports by <see cref="PortScanner"/> against
/// `nmap -sT -T4` over the same hosts and ports: nmap's time divided by ours (higher is better),
/// and the open ports each found, which must be the same. Targets are only the lab's devices.
/// </summary>
internal static class ScanComparison
{
    private const string LabFacts = "/var/lib/iotadmin-lab/lab.json";
    private const int Runs = 3;
    private static readonly Regex s_openPort = new(@"(\d+)/open/tcp");
    private static readonly TimeSpan s_toolLimit = TimeSpan.FromSeconds(120);

    public static async Task<List<BenchResult>> RunAsync()
    {
        var results = new List<BenchResult>();
        var nmap = ExternalTool.Find("nmap");
        if (nmap is null || !File.Exists(LabFacts))
        {
            Console.WriteLine("SKIP scan vs nmap: " + (nmap is null
                ? "nmap is not installed (tests/lab/lab.sh install adds it)."
                : $"{LabFacts} does not exist (run build.ps1 LabUp)."));
            return results;
        }

        var hosts = LabHosts();
        var ports = IoTPortSets.TopTcp(IoTPortSets.TopTcpSize);
        var ours = await TimeOursAsync(hosts, ports);
        var theirs = TimeNmap(nmap, hosts, ports);
        var name = $"Scan: {hosts.Count} lab hosts x {ports.Count} IoT ports vs nmap -sT -T4";
        var same = ours.Open.SetEquals(theirs.Open);
        Console.WriteLine($"{name}: ours {ours.Time.TotalMilliseconds:N0} ms, "
            + $"nmap {theirs.Time.TotalMilliseconds:N0} ms; open ports ours [{string.Join(", ", ours.Open.Order())}] "
            + $"nmap [{string.Join(", ", theirs.Open.Order())}]");
        if (!same)
        {
            Console.WriteLine("  The open ports differ: the comparison fails.");
        }

        var ratio = theirs.Time.TotalMilliseconds / Math.Max(1, ours.Time.TotalMilliseconds);
        results.Add(BenchResult.Ratio(name + (same ? string.Empty : " (OPEN PORTS DIFFER)"), same ? ratio : 0, 1.0));
        return results;
    }

    private static List<IPAddress> LabHosts()
    {
        using var facts = JsonDocument.Parse(File.ReadAllText(LabFacts));
        return facts.RootElement.GetProperty("devices").EnumerateArray()
            .Select(d => IPAddress.Parse(d.GetProperty("address").GetString()!))
            .ToList();
    }

    private static async Task<(TimeSpan Time, HashSet<string> Open)> TimeOursAsync(
        IReadOnlyList<IPAddress> hosts,
        IReadOnlyList<int> ports)
    {
        var scanner = new PortScanner(new ScanOptions { IdentifyServices = false });
        await scanner.ScanAsync(hosts, ports, null, CancellationToken.None);
        var timings = new List<TimeSpan>();
        IReadOnlyList<NetworkService> last = Array.Empty<NetworkService>();
        for (var run = 0; run < Runs; run++)
        {
            var clock = Stopwatch.StartNew();
            last = await scanner.ScanAsync(hosts, ports, null, CancellationToken.None);
            timings.Add(clock.Elapsed);
        }

        var open = last.Where(s => s.State == PortState.Open).Select(s => $"{s.Address}:{s.Port}").ToHashSet();
        return (ExternalTool.Median(timings), open);
    }

    private static (TimeSpan Time, HashSet<string> Open) TimeNmap(
        string nmap,
        IReadOnlyList<IPAddress> hosts,
        IReadOnlyList<int> ports)
    {
        var arguments = new List<string> { "-sT", "-T4", "-Pn", "-n", "--open", "-oG", "-", "-p" };
        arguments.Add(string.Join(",", ports));
        arguments.AddRange(hosts.Select(h => h.ToString()));
        var timings = new List<TimeSpan>();
        var open = new HashSet<string>();
        for (var run = 0; run < Runs; run++)
        {
            var result = ExternalTool.Run(nmap, arguments, s_toolLimit);
            timings.Add(result.Elapsed);
            open = ParseGrepable(result.Output);
        }

        return (ExternalTool.Median(timings), open);
    }

    // Grepable lines: "Host: 10.47.0.11 ()\tPorts: 22/open/tcp//ssh///, 23/open/tcp//telnet///".
    private static HashSet<string> ParseGrepable(string output)
    {
        var open = new HashSet<string>();
        foreach (var line in output.Split('\n').Where(l => l.StartsWith("Host: ") && l.Contains("Ports:")))
        {
            var host = line.Split(' ')[1];
            foreach (Match match in s_openPort.Matches(line))
            {
                open.Add($"{host}:{match.Groups[1].Value}");
            }
        }

        return open;
    }
}
