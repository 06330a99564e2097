using IoTAdmin.Engine.Maintenance;

namespace IoTAdmin.Engine.Tests.Maintenance;

/// <summary>
/// Snapshots of a device's processes from /proc/PID/stat lines in the kernel's own format (the name in
/// parentheses may hold spaces and parentheses), and what survives a restart.
/// </summary>
public sealed class ProcessSnapshotTests
{
    private const string BootA = "6b3f0c9e-2a41-4d7c-9a55-0f1e2d3c4b5a";
    private const string BootB = "0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a";
    private const string Init = "1 (init) S 0 1 1 0 -1 4194560 900 0 0 0 3 9 0 0 20 0 1 0 12 2412544 270 x";
    private const string KernelThread = "7 (kworker/0:1-events) I 2 0 0 0 -1 69238880 0 0 0 0 0 1 0 0 20 0 1 0 40 0 x";
    private const string Dropbear = "150 (dropbear) S 1 150 150 0 -1 4194624 80 0 0 0 0 1 0 0 20 0 1 0 310 9 9 x";
    private const string Odd = "333 (a) b (c)) S 1 333 333 0 -1 4194304 10 0 0 0 0 0 0 0 20 0 1 0 4711 9 9 x";

    // A name with a line break, as the device's script folds it into one line.
    private const string Folded = "444 (evil name) S 1 444 444 0 -1 4194304 1 0 0 0 0 0 0 0 20 0 1 0 5000 9 9 x";

    [Fact]
    public void Parse_ShouldKeepUserProcessesAndLeaveInitAndKernelThreadsOut()
    {
        var snapshot = ProcessSnapshot.Parse(Output(BootA, Init, KernelThread, Dropbear, Odd, Folded));

        Assert.NotNull(snapshot);
        Assert.Equal(3, snapshot!.Count);
    }

    [Fact]
    public void Survivors_AfterACommandThatRestartedNothing_ShouldNameTheProcessesStillRunning()
    {
        var before = ProcessSnapshot.Parse(Output(BootA, Init, Dropbear, Odd))!;
        var after = ProcessSnapshot.Parse(Output(BootA, Init, Dropbear, Odd))!;

        Assert.Equal(new[] { "150 (dropbear)", "333 (a) b (c))" }, before.Survivors(after));
    }

    [Fact]
    public void Survivors_AfterInitRestartedEveryProcess_ShouldBeNone()
    {
        // Same PID by chance, but a later start tick: a new process.
        var restarted = Dropbear.Replace(" 310 ", " 9310 ");
        var before = ProcessSnapshot.Parse(Output(BootA, Init, Dropbear))!;
        var after = ProcessSnapshot.Parse(Output(BootA, Init, restarted))!;

        Assert.Empty(before.Survivors(after));
    }

    [Fact]
    public void Survivors_AfterARealReboot_ShouldBeNoneEvenWithTheSamePidsAndTicks()
    {
        var before = ProcessSnapshot.Parse(Output(BootA, Init, Dropbear))!;
        var after = ProcessSnapshot.Parse(Output(BootB, Init, Dropbear))!;

        Assert.Empty(before.Survivors(after));
    }

    [Theory]
    [InlineData("")]
    [InlineData("awk: /proc/stat: No such file or directory\n")]
    [InlineData("boot 6b3f0c9e\n1 (init) S 0 1 1\n")]
    [InlineData("boot \n150 (dropbear) S 1 150 150 0 -1 4194624 80 0 0 0 0 1 0 0 20 0 1 0 310 9 9\n")]
    public void Parse_WithoutBootTimeOrProcesses_ShouldGiveNull(string output) =>
        Assert.Null(ProcessSnapshot.Parse(output));

    private static string Output(string boot, params string[] stats) =>
        $"boot {boot}\n" + string.Concat(stats.Select(s => s + "\n\n"));
}
