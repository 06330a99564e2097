using System.Diagnostics;
using System.Net;
using System.Text;
using IoTAdmin.Engine.Traffic;

/// <summary>
/// Test-IoTTraffic's engine over one million flow records (nftables LOG lines, and NetFlow v5 datagrams),
/// against a plain read of the same file: throughput, peak managed heap, and the share of plain-read speed.
/// </summary>
internal static class TrafficComparison
{
    private const int Records = 1_000_000;

    public static IEnumerable<BenchResult> Run(string folder)
    {
        var log = Path.Combine(folder, "flows-1m.log");
        var netflow = Path.Combine(folder, "flows-1m.nf5");
        WriteFirewallLog(log);
        WriteNetFlowV5(netflow);
        try
        {
            // A plain read of binary datagrams runs at memory speed, so decoding is held to a smaller share of it.
            return Measure("nftables LOG lines", log, PlainLines, 0.05)
                .Concat(Measure("NetFlow v5", netflow, PlainBytes, 0.004)).ToList();
        }
        finally
        {
            File.Delete(log);
            File.Delete(netflow);
        }
    }

    private static IEnumerable<BenchResult> Measure(string what, string path, Func<string, long> plainRead,
        double shareGoal)
    {
        plainRead(path);
        var plainClock = Stopwatch.StartNew();
        plainRead(path);
        plainClock.Stop();

        var (seconds, peakMegabytes, counts) = Analyze(path);
        var perSecond = counts.Records / seconds;
        var share = plainClock.Elapsed.TotalSeconds / seconds;
        var megabytes = new FileInfo(path).Length / 1e6;
        Console.WriteLine($"Traffic {what}: {counts.Records:N0} records ({megabytes:N0} MB) in {seconds:N2} s,"
            + $" {counts.Forbidden:N0} forbidden, {counts.Errors} errors;"
            + $" plain read {plainClock.Elapsed.TotalSeconds:N2} s"
            + $" ({seconds / plainClock.Elapsed.TotalSeconds:N1}x slower); peak heap {peakMegabytes:N0} MB");
        if (counts.Records != Records || counts.Errors != 0)
        {
            throw new InvalidOperationException(
                $"The {what} run read {counts.Records} records, {counts.Errors} errors.");
        }

        yield return new BenchResult($"Traffic: 1M {what}, records/s (peak heap MB)", perSecond, "ops/s", 150_000,
            peakMegabytes, 64);
        yield return BenchResult.Ratio($"Traffic: 1M {what}, share of plain-read speed", share, shareGoal);
    }

    private static (double Seconds, double PeakMegabytes, TrafficCounts Counts) Analyze(string path)
    {
        var policy = new TrafficPolicy();
        policy.AddDevice(new PolicyDevice(IpNetwork.Parse("10.47.0.0/24"), "Camera", "cams"));
        policy.AllowForProfile("Camera", AllowRule.Parse("10.47.0.1"));
        policy.AllowForProfile("Camera", AllowRule.Parse("tcp:192.0.2.10:443"));
        var analyzer = new TrafficAnalyzer(policy, keepAllowed: false, _ => { });
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(true);
        long peak = 0;
        using var sampler = new Timer(_ => peak = Math.Max(peak, GC.GetTotalMemory(false)), null, 0, 5);
        var clock = Stopwatch.StartNew();
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 65536))
        {
            analyzer.ReadSource(Path.GetFileName(path), stream, FlowFormat.Auto);
        }

        clock.Stop();
        peak = Math.Max(peak, GC.GetTotalMemory(false));
        return (clock.Elapsed.TotalSeconds, (peak - baseline) / 1e6, analyzer.Counts);
    }

    private static long PlainLines(string path)
    {
        using var reader = new StreamReader(path);
        long lines = 0;
        while (reader.ReadLine() != null)
        {
            lines++;
        }

        return lines;
    }

    private static long PlainBytes(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 65536);
        var buffer = new byte[65536];
        long total = 0;
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            total += n;
        }

        return total;
    }

    private static void WriteFirewallLog(string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        for (var i = 0; i < Records; i++)
        {
            var device = 10 + i % 200;
            var destination = i % 10 == 0 ? $"198.51.100.{i % 250}" : "10.47.0.1";
            writer.Write($"Dec  3 11:{i / 60000 % 60:00}:{i / 1000 % 60:00} gw kernel: [ {i / 1000}.{i % 1000:000}] ");
            writer.Write($"IOTLAB IN= OUT=eth0 SRC=10.47.0.{device} DST={destination} LEN=60 TOS=0x00 PREC=0x00");
            writer.Write($" TTL=64 ID={i % 65536} DF PROTO=TCP SPT={30000 + i % 30000} DPT={(i % 3 == 0 ? 443 : 22)}");
            writer.Write(" WINDOW=64240 RES=0x00 SYN URGP=0\n");
        }
    }

    private static void WriteNetFlowV5(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var datagram = new byte[24 + 30 * 48];
        for (var written = 0; written < Records;)
        {
            var count = Math.Min(30, Records - written);
            Array.Clear(datagram);
            Put(datagram, 0, 5, 2);
            Put(datagram, 2, (uint)count, 2);
            Put(datagram, 4, 3_600_000, 4);
            Put(datagram, 8, 1_764_763_200, 4);
            for (var r = 0; r < count; r++, written++)
            {
                var at = 24 + r * 48;
                var destination = written % 10 == 0 ? new byte[] { 198, 51, 100, (byte)(written % 250) }
                    : new byte[] { 10, 47, 0, 1 };
                new byte[] { 10, 47, 0, (byte)(10 + written % 200) }.CopyTo(datagram, at);
                destination.CopyTo(datagram, at + 4);
                Put(datagram, at + 16, 3, 4);
                Put(datagram, at + 20, 180, 4);
                Put(datagram, at + 24, 3_500_000, 4);
                Put(datagram, at + 28, 3_599_000, 4);
                Put(datagram, at + 32, (uint)(30000 + written % 30000), 2);
                Put(datagram, at + 34, written % 3 == 0 ? 443u : 22u, 2);
                datagram[at + 38] = 6;
            }

            file.Write(datagram, 0, 24 + count * 48);
        }
    }

    private static void Put(byte[] data, int at, uint value, int length)
    {
        for (var i = length - 1; i >= 0; i--, value >>= 8)
        {
            data[at + i] = (byte)value;
        }
    }
}
