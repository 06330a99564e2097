using System.Diagnostics;

namespace IoTAdmin.Engine.Tests.Probes;

/// <summary>Writes the temp account and key files the daemons read inside their mount namespace.</summary>
internal static class DaemonFiles
{
    public static string Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} failed: {error}");
        return output.Trim();
    }

    /// <summary>passwd, shadow and shells files for one account, for bind mounting over /etc.</summary>
    public static (string Passwd, string Shadow, string Shells) Accounts(
        string folder, string user, string password, string shell)
    {
        var hash = Run(DaemonProcess.Require("/usr/bin/openssl", "openssl"), "passwd", "-6", password);
        var passwd = Path.Combine(folder, "passwd");
        var shadow = Path.Combine(folder, "shadow");
        var shells = Path.Combine(folder, "shells");
        // sshd's privilege separation needs its own account in the file it sees.
        File.WriteAllText(passwd, $"root:x:0:0:root:{folder}:{shell}\n{user}:x:1000:1000:{user}:{folder}:{shell}\n"
            + "sshd:x:100:65534::/run/sshd:/usr/sbin/nologin\n");
        File.WriteAllText(shadow, $"root:{hash}:19000:0:99999:7:::\n{user}:{hash}:19000:0:99999:7:::\n");
        File.WriteAllText(shells, $"/bin/sh\n{shell}\n");
        return (passwd, shadow, shells);
    }

    /// <summary>A stand-in login shell: prints a root prompt and waits, so nothing runs on the host.</summary>
    public static string FakeShell(string folder)
    {
        var path = Path.Combine(folder, "fakesh");
        File.WriteAllText(path, "#!/bin/sh\nprintf 'cam1# '\nsleep 5\n");
        if (!OperatingSystem.IsLinux())
        {
            return path;
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }
}
