using System.Diagnostics;
using IoTAdmin.Engine.Exposure;
using IoTAdmin.Engine.Tests.Probes;

namespace IoTAdmin.Engine.Tests.Exposure;

/// <summary>
/// The disable script run by BusyBox ash in private mount and PID namespaces over a scratch /etc
/// holding the three BusyBox styles (an S??telnetd script, an inetd.conf line, an inittab respawn
/// line), so the host's own /etc and processes are never touched.
/// </summary>
[Collection("Daemons")]
public sealed class ServiceDisableScriptTests
{
    [Theory]
    [InlineData("/usr/bin/busybox", "sh")]
    [InlineData("/bin/bash", null)]
    public void Script_ShouldBeValidShell(string shell, string? applet)
    {
        var script = ServiceDisableScript.Build("telnet", dryRun: false);
        var folder = DaemonProcess.TempFolder();
        var path = Path.Combine(folder, "disable.sh");
        File.WriteAllText(path, script);
        var arguments = applet is null ? new[] { "-n", path } : new[] { applet, "-n", path };

        var (exit, output) = Run(DaemonProcess.Require(shell, "busybox-static or bash"), arguments);

        Assert.True(exit == 0, output);
    }

    [Theory]
    [InlineData("telnet; reboot")]
    [InlineData("$(id)")]
    [InlineData("")]
    [InlineData("a b")]
    public void Build_WithHostileName_ShouldRefuse(string name)
    {
        Assert.Throws<ArgumentException>(() => ServiceDisableScript.Build(name, dryRun: false));
    }

    [Fact]
    public void Script_OnBusyBoxStyles_ShouldDisableEachAndReportIt()
    {
        var (output, etc) = RunOnScratchEtc(dryRun: false);

        var actions = ServiceDisableScript.ParseActions(output);
        Assert.True(ServiceDisableScript.Completed(output), output);
        Assert.Contains("initd:/etc/init.d/S30telnetd->/etc/init.d/K30telnetd", actions);
        Assert.Contains("inetd:/etc/inetd.conf", actions);
        Assert.Contains("inittab:/etc/inittab", actions);
        Assert.Contains("telnetd stopped", File.ReadAllText(Path.Combine(etc, "stopped.log")));
        Assert.True(File.Exists(Path.Combine(etc, "init.d", "K30telnetd")));
        Assert.False(File.Exists(Path.Combine(etc, "init.d", "S30telnetd")));
        Assert.StartsWith("#IoTAdmin# telnet", File.ReadAllLines(Path.Combine(etc, "inetd.conf"))[0]);
        Assert.StartsWith("ftp", File.ReadAllLines(Path.Combine(etc, "inetd.conf"))[1]);
        Assert.Contains("#IoTAdmin# ::respawn:/usr/sbin/telnetd", File.ReadAllText(Path.Combine(etc, "inittab")));
    }

    [Fact]
    public void Script_RunAgain_ShouldChangeNothingAndSayWhereTheServiceIsOff()
    {
        var (_, etc) = RunOnScratchEtc(dryRun: false);

        var again = RunOn(Path.GetDirectoryName(etc)!, etc, dryRun: false);

        Assert.Empty(ServiceDisableScript.ParseActions(again));
        var off = ServiceDisableScript.ParseAlreadyOff(again);
        Assert.Contains("initd:/etc/init.d/K30telnetd", off);
        Assert.Contains("inetd:/etc/inetd.conf", off);
        Assert.Contains("inittab:/etc/inittab", off);
    }

    [Theory]
    [InlineData("telnet", 23)]
    [InlineData("telnetd", 23)]
    [InlineData("dropbear", 22)]
    [InlineData("lighttpd", 80)]
    [InlineData("avahi-daemon", null)]
    public void StandardPort_ShouldKnowDaemonsByTheirOwnName(string service, int? port)
    {
        Assert.Equal(port, ServiceDisableScript.StandardPort(service));
    }

    [Fact]
    public void Script_InDryRun_ShouldReportButChangeNothing()
    {
        var (output, etc) = RunOnScratchEtc(dryRun: true);

        Assert.Contains("initd:/etc/init.d/S30telnetd->/etc/init.d/K30telnetd",
            ServiceDisableScript.ParseActions(output));
        Assert.True(File.Exists(Path.Combine(etc, "init.d", "S30telnetd")));
        Assert.StartsWith("telnet", File.ReadAllLines(Path.Combine(etc, "inetd.conf"))[0]);
        Assert.False(File.Exists(Path.Combine(etc, "stopped.log")));
    }

    private static (string Output, string Etc) RunOnScratchEtc(bool dryRun)
    {
        var folder = DaemonProcess.TempFolder();
        var etc = Directory.CreateDirectory(Path.Combine(folder, "etc")).FullName;
        var initd = Directory.CreateDirectory(Path.Combine(etc, "init.d")).FullName;
        var service = Path.Combine(initd, "S30telnetd");
        File.WriteAllText(service, "#!/bin/sh\n[ \"$1\" = stop ] && echo 'telnetd stopped' >> /etc/stopped.log\n");
        File.SetUnixFileMode(service, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(etc, "inetd.conf"),
            "telnet stream tcp nowait root /usr/sbin/telnetd telnetd\n"
            + "ftp stream tcp nowait root /usr/sbin/ftpd ftpd\n");
        File.WriteAllText(Path.Combine(etc, "inittab"), "::sysinit:/etc/init.d/rcS\n::respawn:/usr/sbin/telnetd -F\n");
        return (RunOn(folder, etc, dryRun), etc);
    }

    /// <summary>Runs the disable script with <paramref name="etc"/> as the /etc of a private mount namespace.</summary>
    private static string RunOn(string folder, string etc, bool dryRun)
    {
        var script = Path.Combine(folder, "disable.sh");
        File.WriteAllText(script, ServiceDisableScript.Build("telnet", dryRun));
        var busybox = DaemonProcess.Require("/usr/bin/busybox", "busybox-static");
        var setup = $"mount --bind {etc} /etc && mount -t tmpfs tmpfs /run && exec {busybox} sh {script}";
        var (exit, output) = Run(DaemonProcess.Require("/usr/bin/unshare", "util-linux"),
            new[] { "--mount", "--propagation", "private", "--pid", "--fork", "sh", "-c", setup });
        Assert.True(exit == 0, output);
        return output;
    }

    private static (int Exit, string Output) Run(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30000))
        {
            process.Kill(true);
        }

        return (process.ExitCode, output.Result + error.Result);
    }
}
