using System.Diagnostics;
using IoTAdmin.Engine.DeviceLogs;

namespace IoTAdmin.Engine.Tests.DeviceLogs;

/// <summary>The collection script run by BusyBox's own sh, as on a device, over files the test writes.</summary>
public sealed class DeviceLogCollectorTests : IDisposable
{
    private readonly string _folder =
        Path.Combine(Path.GetTempPath(), "iotadmin-devlog-" + Guid.NewGuid().ToString("N"));

    public DeviceLogCollectorTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TheScriptTailsEachNamedFileOnceUnderItsMarker()
    {
        var dropbear = Path.Combine(_folder, "drop bear.log");
        File.WriteAllLines(dropbear, Enumerable.Range(1, 10).Select(i =>
            $"[7{i}] Dec 03 19:56:3{i % 10} Bad password attempt for 'root' from 10.47.0.1:{40000 + i}"));
        var collector = new DeviceLogCollector { MaxLinesPerSource = 3 };
        collector.ExtraFiles.Add(dropbear);
        collector.ExtraFiles.Add(dropbear);
        collector.ExtraFiles.Add(Path.Combine(_folder, "missing.log"));

        var output = RunBusyBoxSh(collector.BuildCommand());
        var events = DeviceLogCollector.Parse("cam1", output, new DeviceLogParser()).ToList();

        var fromFile = events.Where(e => e.Source == dropbear).ToList();
        Assert.Equal(3, fromFile.Count);
        Assert.All(fromFile, e => Assert.Equal(DeviceLogEventKind.FailedLogin, e.Kind));
        Assert.Equal(40010, fromFile[^1].SourcePort);
        Assert.DoesNotContain(events, e => e.Source.EndsWith("missing.log", StringComparison.Ordinal));
    }

    private static string RunBusyBoxSh(string script)
    {
        Assert.True(File.Exists("/bin/busybox"), "busybox is missing: install the Debian package busybox-static");
        var start = new ProcessStartInfo("/bin/busybox")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(10_000));
        return output;
    }
}
