using IoTAdmin.Engine.ActionLog;

namespace IoTAdmin.Engine.Tests.ActionLog;

/// <summary>Action log entries forwarded to a real rsyslogd over UDP, TCP (octet counting) and TLS.</summary>
[Collection("Daemons")]
public sealed class SyslogForwardingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "iotadmin-fwd-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("udp", false)]
    [InlineData("tcp", false)]
    [InlineData("tls", true)]
    public void EveryEntryArrivesAsAnRfc5424Message(string transport, bool tls)
    {
        using var rsyslog = RsyslogDaemon.Start(tls);
        var port = transport == "udp" ? rsyslog.UdpPort : rsyslog.TcpPort;
        var target = SyslogTarget.Parse($"{transport}://127.0.0.1:{port}?ca={rsyslog.CaPath}");
        var writer = new ActionLogWriter(Options(target));

        var entries = Enumerable.Range(1, 3).Select(i =>
        {
            var record = new ActionRecord("Disable-IoTService", $"10.47.0.{i}", "Success");
            record.Parameters["Password"] = "never-forwarded";
            return writer.Append(record);
        }).ToList();

        var lines = rsyslog.WaitForLines(3);
        Assert.Equal(3, lines.Length);
        var fields = lines[2].Split('|', 6);
        Assert.Equal("85", fields[0]);                       // authpriv (10) * 8 + notice (5)
        Assert.Equal("1", fields[1]);
        Assert.Equal(("IoTAdmin", "action"), (fields[3], fields[4]));
        Assert.Contains("\"seq\":3", fields[5]);
        Assert.Contains(entries[2].Mac, fields[5]);
        Assert.DoesNotContain(lines, l => l.Contains("never-forwarded"));
    }

    [Fact]
    public void ATlsServerWithAnUntrustedCertificateIsRefusedAndTheEntryStaysInTheLog()
    {
        using var rsyslog = RsyslogDaemon.Start(tls: true);
        var log = new Snmp.ListLog();
        var options = Options(SyslogTarget.Parse($"tls://127.0.0.1:{rsyslog.TcpPort}"));

        var record = new ActionRecord("Set-IoTPassword", "10.47.0.11", "Success");
        var entry = new ActionLogWriter(options, log).Append(record);

        Assert.Equal(1, entry.Sequence);
        Assert.Contains(log.Lines, l => l.Contains("was not forwarded"));
        Assert.True(new ActionLogVerifier(options).Verify().IsIntact);
        Assert.Empty(rsyslog.WaitForLines(1));
    }

    [Fact]
    public void AnAbsentReceiverIsAWarningNotAFailure()
    {
        var log = new Snmp.ListLog();
        var options = Options(SyslogTarget.Parse("tcp://127.0.0.1:9"));

        new ActionLogWriter(options, log).Append(new ActionRecord("Set-IoTPassword", "10.47.0.11", "Success"));

        Assert.Contains(log.Lines, l => l.Contains("was not forwarded to tcp://127.0.0.1:9"));
    }

    private ActionLogOptions Options(SyslogTarget target) =>
        new(Path.Combine(_folder, "log", "actions.jsonl"), Path.Combine(_folder, "keys", "k.key")) { Syslog = target };
}
