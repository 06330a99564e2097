using System.Diagnostics;
using System.Text;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Inventory.Store;

/// <summary>
/// The inventory at fleet scale: 100,000 devices added to a new file, merged again, queried by tag and
/// exported to CSV. Each step runs once on a fresh temporary file; the goals leave room for a busy box.
/// </summary>
internal static class InventoryBench
{
    private const int DeviceCount = 100_000;
    private const int TagCount = 10;

    public static List<BenchResult> Run()
    {
        var folder = Path.Combine(Path.GetTempPath(), "iotadmin-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var store = InventoryStore.Open(Path.Combine(folder, "inventory.db"), "bench");
            var results = new List<BenchResult>
            {
                Measure("Inventory: add 100,000 new devices", 60_000, 4_000, () => AddAll(store, "a")),
                Measure("Inventory: merge 100,000 known devices", 90_000, 6_000, () => AddAll(store, "b")),
                Measure("Inventory: query 1 tag of 10 (10,000 hits)", 3_000, 400, () => QueryTag(store)),
                Measure("Inventory: read 100,000 and write CSV", 15_000, 2_000, () => ExportCsv(store, folder)),
            };
            var size = new FileInfo(Path.Combine(folder, "inventory.db")).Length / 1e6;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1e6;
            Console.WriteLine($"Inventory of {DeviceCount:N0} devices: file {size:N1} MB, "
                + $"peak working set {peak:N0} MB");
            return results;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IEnumerable<DeviceUpdate> Updates(string round) =>
        Enumerable.Range(0, DeviceCount).Select(i => new DeviceUpdate($"10.{i / 65536}.{i / 256 % 256}.{i % 256}")
        {
            Name = $"device-{i}",
            Vendor = "Example",
            Model = "Cam " + (i % 7),
            Profile = (DeviceProfile)(i % 4),
            Owner = "team-" + (i % 50),
            Location = $"building {i % 20}, floor {i % 5}",
            Tags = TagSet.Parse(new[] { $"site-{i % TagCount};{round}" }),
        });

    private static void AddAll(InventoryStore store, string round) =>
        store.Add(Updates(round), returnEntries: false);

    private static void QueryTag(InventoryStore store)
    {
        var query = new InventoryQuery();
        query.Tags.Add("site-3");
        var found = store.Find(query).Count;
        if (found != DeviceCount / TagCount)
        {
            throw new InvalidOperationException($"The tag query found {found} devices, not {DeviceCount / TagCount}.");
        }
    }

    private static void ExportCsv(InventoryStore store, string folder)
    {
        var devices = store.Find(new InventoryQuery());
        using var writer = new StreamWriter(Path.Combine(folder, "export.csv"), false, new UTF8Encoding(false));
        writer.WriteLine("\"Address\",\"Name\",\"Profile\",\"Owner\",\"Location\",\"Tags\",\"State\"");
        foreach (var d in devices)
        {
            writer.WriteLine($"\"{d.Address}\",\"{d.Name}\",\"{d.Profile}\",\"{d.Owner}\",\"{d.Location}\","
                + $"\"{d.Tags}\",\"{d.State}\"");
        }
    }

    private static BenchResult Measure(string name, double goalMilliseconds, double goalMegabytes, Action step)
    {
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        step();
        clock.Stop();
        var megabytes = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1e6;
        Console.WriteLine($"{name}: {clock.Elapsed.TotalSeconds:N2} s, {megabytes:N0} MB allocated");
        var milliseconds = clock.Elapsed.TotalMilliseconds;
        return new BenchResult(name, milliseconds, "ms", goalMilliseconds, megabytes, goalMegabytes);
    }
}
