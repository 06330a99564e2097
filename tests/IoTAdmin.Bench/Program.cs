using System.Diagnostics;
using System.Text.Json;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Discovery;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Reporting;
using IoTAdmin.Engine.Snmp;

// Speed and memory goals of the engine. Each case states its goal; a missed goal fails the run.
// Figures are wall-clock on whatever machine runs them, so goals leave room for a busy 2-core box.
var outputFolder = args.Length > 0 ? args[0] : Path.Combine(Environment.CurrentDirectory, "bench");
Directory.CreateDirectory(outputFolder);

var cases = new List<BenchResult>
{
    Bench.Throughput("SNMP: decode a v2c response of 10 variables", 200_000, 100_000, SnmpCases.Decode()),
    Bench.Throughput("SNMP: encode a v2c GET of 10 OIDs", 200_000, 100_000, SnmpCases.Encode()),
    Bench.Once("Discovery: merge 30,000 observations of 10,000 addresses", 2_000, 300, DiscoveryCases.Merge()),
    Bench.Once($"Report: HTML for 1,000 devices x {ReportCases.RuleCount} rules", 3_000, 400, ReportCases.Html()),
    Bench.Once($"Report: JSON for 1,000 devices x {ReportCases.RuleCount} rules", 2_000, 200, ReportCases.Json()),
};

cases.AddRange(InventoryBench.Run());

// Comparisons with the reference tools over real agents; each skips with a reason when a tool is missing.
cases.AddRange(await SweepComparison.RunAsync());
cases.AddRange(await WalkComparison.RunAsync());
cases.AddRange(await ScanComparison.RunAsync());
cases.AddRange(TrafficComparison.Run(outputFolder));

Console.WriteLine($"{"case",-60} {"measured",16} {"goal",16} {"alloc MB",9}  ok");
foreach (var result in cases)
{
    Console.WriteLine(result);
}

var path = Path.Combine(outputFolder, "results.json");
File.WriteAllText(path, JsonSerializer.Serialize(cases, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"Results written to {path}");
var missed = cases.Count(c => !c.MetGoal);
Console.WriteLine(missed == 0 ? "All goals met." : $"{missed} goal(s) missed.");
return missed == 0 ? 0 : 1;

/// <summary>One measured case and whether it met its goal.</summary>
internal sealed record BenchResult(string Name, double Measured, string Unit, double Goal, double AllocatedMegabytes,
    double AllocationGoalMegabytes)
{
    public bool MetGoal => (HigherIsBetter ? Measured >= Goal : Measured <= Goal)
        && AllocatedMegabytes <= AllocationGoalMegabytes;

    private bool HigherIsBetter => Unit == "ops/s" || Unit == "x";

    /// <summary>A comparison with a reference tool: ours divided by theirs, higher is better.</summary>
    public static BenchResult Ratio(string name, double measured, double goal) =>
        new(name, measured, "x", goal, 0, double.MaxValue);

    public override string ToString()
    {
        var comparison = HigherIsBetter ? ">=" : "<=";
        var format = Unit == "x" ? "N2" : "N0";
        return $"{Name,-60} {Measured.ToString(format),10} {Unit,-5} {comparison}{Goal.ToString(format),10} {Unit,-3} "
            + $"{AllocatedMegabytes,9:N1}  " + (MetGoal ? "yes" : "NO");
    }
}

internal static class Bench
{
    /// <summary>Runs an operation many times after a warm-up and reports operations per second.</summary>
    public static BenchResult Throughput(string name, int iterations, double goalPerSecond, Action operation)
    {
        for (var i = 0; i < iterations / 10; i++)
        {
            operation();
        }

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            operation();
        }

        clock.Stop();
        var perSecond = iterations / clock.Elapsed.TotalSeconds;
        var megabytesPerMillion = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) * 1e6 / iterations / 1e6;

        // Allocation goal for throughput cases: under 4 KB per operation (4,000 MB per million).
        return new BenchResult(name, perSecond, "ops/s", goalPerSecond, megabytesPerMillion, 4_000);
    }

    /// <summary>Runs a large operation once after one warm-up and reports milliseconds and megabytes.</summary>
    public static BenchResult Once(string name, double goalMilliseconds, double goalMegabytes, Action operation)
    {
        operation();
        GC.Collect();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        operation();
        clock.Stop();
        var megabytes = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / 1e6;
        return new BenchResult(name, clock.Elapsed.TotalMilliseconds, "ms", goalMilliseconds, megabytes, goalMegabytes);
    }
}

internal static class SnmpCases
{
    private static readonly ObjectIdentifier[] s_oids = Enumerable.Range(1, 10)
        .Select(i => ObjectIdentifier.Parse($"1.3.6.1.2.1.2.2.1.{i}.1"))
        .ToArray();

    public static Action Decode()
    {
        var variables = s_oids.Select((oid, i) => new SnmpVariable(oid, SnmpValue.FromString($"interface value {i}")));
        var response = SnmpPdu.Response(4242, SnmpErrorStatus.NoError, 0, variables);
        var bytes = new SnmpCommunityMessage(SnmpVersion.V2c, "public", response).Encode();
        return () => SnmpMessage.Decode(bytes);
    }

    public static Action Encode() =>
        () => new SnmpCommunityMessage(SnmpVersion.V2c, "public", SnmpPdu.Get(4242, s_oids)).Encode();
}

internal static class DiscoveryCases
{
    public static Action Merge()
    {
        var observations = Enumerable.Range(0, 10_000).SelectMany(Observe).ToList();
        return () => DeviceMerger.Merge(observations);
    }

    private static IEnumerable<DiscoveryObservation> Observe(int index)
    {
        var address = $"10.{index / 65536 % 256}.{index / 256 % 256}.{index % 256}";
        var snmp = new DiscoveryObservation(address, DiscoveryProtocol.Snmp)
        {
            Name = $"device{index}",
            Description = "Linux camera firmware V5.4.5",
        };
        snmp.Services.Add(new DeviceService("snmp", ServiceTransport.Udp, 161, DiscoveryProtocol.Snmp));
        var mdns = new DiscoveryObservation(address, DiscoveryProtocol.Mdns) { Name = $"device{index}" };
        mdns.Services.Add(new DeviceService("http", ServiceTransport.Tcp, 80, DiscoveryProtocol.Mdns));
        mdns.Services.Add(new DeviceService("rtsp", ServiceTransport.Tcp, 554, DiscoveryProtocol.Mdns));
        var ssdp = new DiscoveryObservation(address, DiscoveryProtocol.Ssdp) { Vendor = "Example", Model = "Cam 1" };
        ssdp.Attributes["upnp.deviceType"] = "urn:schemas-upnp-org:device:Basic:1";
        return new[] { snmp, mdns, ssdp };
    }
}

internal static class ReportCases
{
    private static readonly Lazy<AuditReport> s_report = new(Build);

    public static int RuleCount => new BaselineAuditor().Rules.Count;

    /// <summary>Writes the page as Export-IoTReport does: through a TextWriter, never as one string.</summary>
    public static Action Html() => () =>
    {
        using var writer = new StreamWriter(Stream.Null);
        new HtmlReportWriter().Write(s_report.Value, writer);
    };

    public static Action Json() => () => JsonReportWriter.ToJson(s_report.Value);

    private static AuditReport Build()
    {
        var rules = new BaselineAuditor().Rules;
        var devices = Enumerable.Range(0, 1_000)
            .Select(i => new IoTDevice($"10.0.{i / 256}.{i % 256}") { Name = $"camera-{i}", Vendor = "Example" })
            .ToList();
        var results = devices.SelectMany(device => rules.Select((rule, r) => new RuleResult(
            device.Address, device.Name, rule, (RuleOutcome)((r + device.Address.Length) % 4),
            $"evidence for {rule.Id} on {device.Address} <with markup & quotes \"here\">")));
        return new AuditReport(DateTimeOffset.UnixEpoch, "IoTAdmin", "0.1.0", "SYS.4.4-Basic", devices, results);
    }
}
