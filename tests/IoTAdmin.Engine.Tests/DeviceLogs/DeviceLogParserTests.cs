using IoTAdmin.Engine.DeviceLogs;

namespace IoTAdmin.Engine.Tests.DeviceLogs;

/// <summary>Lines as the lab's dropbear and OpenSSH, BusyBox syslogd, OpenWrt logread and rsyslog write them.</summary>
public sealed class DeviceLogParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DropbearStderrLinesGiveFailedLoginsWithTheClientOfTheirConnection()
    {
        var parser = new DeviceLogParser(Now);

        const string File = "/var/log/dropbear.log";
        var connect = parser.Parse("cam1", File, "[74] Dec 03 19:56:36 Child connection from 10.47.0.1:38934");
        var unknown = parser.Parse("cam1", File, "[74] Dec 03 19:56:36 Login attempt for nonexistent user");
        var bad = parser.Parse("cam1", File,
            "[75] Dec 03 19:56:36 Bad password attempt for 'root' from 10.47.0.1:3894");

        Assert.Equal(DeviceLogEventKind.Other, connect.Kind);
        Assert.Equal((DeviceLogEventKind.InvalidUser, "10.47.0.1", 38934), (unknown.Kind, unknown.SourceAddress,
            unknown.SourcePort!.Value));
        Assert.Equal((DeviceLogEventKind.FailedLogin, "root", "10.47.0.1", 3894),
            (bad.Kind, bad.User, bad.SourceAddress, bad.SourcePort!.Value));
        Assert.Equal(("dropbear", 75), (bad.Program, bad.ProcessId!.Value));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 19, 56, 36, TimeSpan.Zero), bad.Time);
    }

    [Fact]
    public void BareSshdLinesTakeTheProgramFromTheFileName()
    {
        var entry = new DeviceLogParser(Now).Parse("hvac1", "/var/log/sshd.log",
            "Accepted publickey for root from 10.47.0.1 port 51820 ssh2: ED25519 SHA256:FaF4Xo1I8LfA");

        Assert.Equal(("sshd", DeviceLogEventKind.Login, "root", "10.47.0.1"), (entry.Program, entry.Kind, entry.User,
            entry.SourceAddress));
        Assert.Null(entry.Time);
    }

    [Theory]
    [InlineData("Dec  3 19:00:01 cam1 authpriv.warn dropbear[71]: Bad password attempt for 'admin' from 192.0.2.7:55",
        "dropbear", "authpriv.warn", DeviceLogEventKind.FailedLogin, "admin", "192.0.2.7")]
    [InlineData("Thu Dec  3 19:00:01 2026 authpriv.info dropbear[1]: Password auth succeeded for 'root'"
        + " from 192.0.2.7:5",
        "dropbear", "authpriv.info", DeviceLogEventKind.Login, "root", "192.0.2.7")]
    [InlineData("2026-12-03T19:00:01+00:00 hvac1 sshd[9]: Failed password for invalid user pi"
        + " from 192.0.2.8 port 22 ssh2",
        "sshd", "", DeviceLogEventKind.InvalidUser, "pi", "192.0.2.8")]
    [InlineData("Dec  3 19:00:01 hvac1 sshd[99]: Failed password for root from 192.0.2.8 port 2222 ssh2",
        "sshd", "", DeviceLogEventKind.FailedLogin, "root", "192.0.2.8")]
    [InlineData("<38>1 2026-12-03T19:00:01Z gw1 login 311 - - invalid password for 'root' on 'pts/0' from '192.0.2.9'",
        "login", "auth.info", DeviceLogEventKind.FailedLogin, "root", "192.0.2.9")]
    [InlineData("Dec  3 19:00:01 gw1 sshd[5]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0"
        + " tty=ssh ruser= rhost=192.0.2.10  user=admin",
        "sshd", "", DeviceLogEventKind.FailedLogin, "admin", "192.0.2.10")]
    public void SyslogFormatsAndLoginEventsAreRecognised(string line, string program, string priority,
        DeviceLogEventKind kind, string user, string address)
    {
        var entry = new DeviceLogParser(Now).Parse("dev", "logread", line);

        Assert.Equal((program, priority, kind, user, address),
            (entry.Program, entry.Priority, entry.Kind, entry.User, entry.SourceAddress));
        Assert.Equal(2026, entry.Time!.Value.Year);
    }

    [Fact]
    public void AGarbledLineKeepsItsTextAndGivesNoEvent()
    {
        var entry = new DeviceLogParser(Now).Parse("dev", "/var/log/messages", "\u0000\u00ffDec 99 99:99 ??");

        Assert.Equal(DeviceLogEventKind.Other, entry.Kind);
        Assert.Equal("\u0000\u00ffDec 99 99:99 ??", entry.Message);
        Assert.Null(entry.Time);
    }

    [Fact]
    public void AYearlessDateAfterTodayBelongsToLastYear()
    {
        var entry = new DeviceLogParser(Now).Parse("dev", "f", "Dec 31 23:00:00 cam1 prog: text");

        Assert.Equal(2025, entry.Time!.Value.Year);
    }
}
