using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using IoTAdmin.Engine.Monitoring;
using IoTAdmin.Engine.Snmp;
using IoTAdmin.Engine.Tests.Snmp;

namespace IoTAdmin.Engine.Tests.Monitoring;

/// <summary>The watcher against a real snmpd on 127.0.0.1 that the test restarts; webhooks to loopback.</summary>
[Collection(SnmpSocketCollection.Name)]
public sealed class DeviceWatcherTests
{
    private static readonly SnmpCredential s_public = SnmpCredential.FromCommunity("public");

    [Fact]
    public async Task ARestartedAgentRaisesOneRebootAlert()
    {
        using var agent = new SnmpdAgent();
        await Task.Delay(1500);                // let sysUpTime grow past what a fresh start shows
        var alerts = new ConcurrentQueue<DeviceAlert>();
        using var client = new SnmpClient();
        var watcher = new DeviceWatcher(new[] { new WatchTarget("127.0.0.1", "testcam") },
            Options(agent.Port, count: 6), client, alerts.Enqueue);

        var watching = watcher.RunAsync(CancellationToken.None);
        while (watcher.Rounds < 1)
        {
            await Task.Delay(50);
        }

        agent.Restart();
        await watching;

        var reboot = Assert.Single(alerts, a => a.Kind == DeviceAlertKind.Rebooted);
        Assert.Equal(("127.0.0.1", "testcam", "sysUpTime"), (reboot.Device, reboot.Name, reboot.Reading));
        Assert.True(reboot.Value < reboot.PreviousValue);
        Assert.Contains("went back", reboot.Message);
    }

    [Fact]
    public async Task AReadingOutsideItsLimitsAlertsOnceAndAnAbsentDeviceIsUnreachableOnce()
    {
        using var agent = new SnmpdAgent();
        var alerts = new ConcurrentQueue<DeviceAlert>();
        var options = Options(agent.Port, count: 3);
        options.Thresholds.Add(new ReadingThreshold("Services", ObjectIdentifier.Parse("1.3.6.1.2.1.1.7.0"))
        {
            Maximum = 50,
        });
        using var client = new SnmpClient();
        var targets = new[] { new WatchTarget("127.0.0.1"), new WatchTarget("10.47.0.250") };

        await new DeviceWatcher(targets, options, client, alerts.Enqueue).RunAsync(CancellationToken.None);

        var exceeded = Assert.Single(alerts, a => a.Kind == DeviceAlertKind.ThresholdExceeded);
        Assert.Equal((72.0, "<= 50"), (exceeded.Value!.Value, exceeded.Threshold));
        var down = Assert.Single(alerts, a => a.Kind == DeviceAlertKind.Unreachable);
        Assert.Equal("10.47.0.250", down.Device);
        Assert.DoesNotContain(alerts, a => a.Kind == DeviceAlertKind.Rebooted);
    }

    [Fact]
    public async Task AWrongV3PassphraseRaisesOneReadingFailedAlertWithoutSecrets()
    {
        using var agent = SnmpdAgent.StartV3Only();
        var alerts = new ConcurrentQueue<DeviceAlert>();
        var options = Options(agent.Port, count: 3);
        options.Snmp = SnmpCredential.FromUser(new SnmpV3Credential(SnmpdAgent.V3User, SnmpAuthProtocol.Sha1,
            "wrong-auth-pass", SnmpPrivProtocol.Aes128, SnmpdAgent.V3PrivPassword));
        options.Thresholds.Add(new ReadingThreshold("Uptime", ObjectIdentifier.Parse("1.3.6.1.2.1.1.3.0"))
        {
            Maximum = 1,
        });
        using var client = new SnmpClient();

        await new DeviceWatcher(new[] { new WatchTarget("127.0.0.1") }, options, client, alerts.Enqueue)
            .RunAsync(CancellationToken.None);

        var failed = Assert.Single(alerts);
        Assert.Equal((DeviceAlertKind.ReadingFailed, "Warning"), (failed.Kind, failed.Severity));
        Assert.Contains("passphrase", failed.Message);
        Assert.DoesNotContain("wrong-auth-pass", failed.Message);
        Assert.DoesNotContain("Exception", failed.Message);
    }

    [Fact]
    public async Task AlertsArePostedToAWebhookAsJson()
    {
        var port = Probes.DaemonProcess.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/hook/");
        listener.Start();
        var received = listener.GetContextAsync();
        using var forwarder = new AlertForwarder(null, new Uri($"http://127.0.0.1:{port}/hook/"),
            Diagnostics.NullActivityLog.Instance);
        var alert = new DeviceAlert("10.47.0.11", DeviceAlertKind.Rebooted, "Warning", "sysUpTime went back");

        var sending = forwarder.ForwardAsync(alert, CancellationToken.None);
        var context = await received.WaitAsync(TimeSpan.FromSeconds(10));
        using var reader = new StreamReader(context.Request.InputStream);
        var body = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement;
        context.Response.StatusCode = 204;
        context.Response.Close();
        await sending;

        Assert.Equal("POST", context.Request.HttpMethod);
        Assert.Equal("application/json", context.Request.ContentType?.Split(';')[0]);
        Assert.Equal("Rebooted", body.GetProperty("kind").GetString());
        Assert.Equal("10.47.0.11", body.GetProperty("device").GetString());
    }

    private static WatchOptions Options(int port, int count) => new()
    {
        Interval = TimeSpan.FromSeconds(1),
        Count = count,
        Snmp = s_public,
        SnmpPort = port,
        SnmpRequest = new SnmpRequestOptions { Timeout = TimeSpan.FromMilliseconds(500), Retries = 1 },
        PingTimeout = TimeSpan.FromMilliseconds(500),
    };
}
