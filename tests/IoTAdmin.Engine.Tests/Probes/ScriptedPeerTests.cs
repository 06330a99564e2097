using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Tests.Probes;

/// <summary>
/// Field faults no packaged daemon reproduces (BR-06 endless talker, BR-27 old broker that hangs up
/// on "MQTT"), played by a scripted peer on 127.0.0.1, plus the matching checks against mosquitto.
/// </summary>
[Collection("Daemons")]
public sealed class ScriptedPeerTests
{
    [Fact]
    public async Task TelnetProbe_WithDeviceThatKeepsTalking_ShouldStopAtTheDeadline()
    {
        // BR-06: one byte every 100 ms, never a prompt; the deadline must not move.
        using var listener = Listen(out var port);
        using var cts = new CancellationTokenSource();
        var talker = TalkForeverAsync(listener, cts.Token);
        var watch = Stopwatch.StartNew();

        var result = await TelnetProbe.TryLoginAsync(
            "127.0.0.1", port, new CredentialPair("root", "x"), TimeSpan.FromSeconds(1), CancellationToken.None);

        watch.Stop();
        cts.Cancel();
        Assert.True(result.Outcome == LoginOutcome.Timeout, $"{result.Outcome}: {result.Detail}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2.5), $"took {watch.Elapsed}");
        await Task.WhenAny(talker, Task.Delay(1000));
    }

    [Theory]
    [InlineData("Password: ")]
    [InlineData("\r\nlogin: ")]
    public async Task TelnetProbe_WithDeviceThatOnlyPromptsAgain_ShouldCountTheLoginAsRejected(string again)
    {
        // A wrong password answered by a new prompt and no failure message is a refusal, not a login.
        using var listener = Listen(out var port);
        var device = PromptAgainAsync(listener, again);

        var result = await TelnetProbe.TryLoginAsync(
            "127.0.0.1", port, new CredentialPair("root", "wrong"), TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.True(result.Outcome == LoginOutcome.Rejected, $"{result.Outcome}: {result.Detail}");
        Assert.Contains("log in again", result.Detail);
        await Task.WhenAny(device, Task.Delay(1000));
    }

    [Fact]
    public async Task SshHello_WithDeviceThatKeepsTalking_ShouldTimeOutAtTheDeadline()
    {
        using var listener = Listen(out var port);
        using var cts = new CancellationTokenSource();
        var talker = TalkForeverAsync(listener, cts.Token);
        var watch = Stopwatch.StartNew();

        var hello = await SshProbe.ReadServerHelloAsync(
            "127.0.0.1", port, TimeSpan.FromSeconds(1), CancellationToken.None);

        watch.Stop();
        cts.Cancel();
        Assert.True(hello.Status == LoginOutcome.Timeout, $"{hello.Status}: {hello.Detail}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2.5), $"took {watch.Elapsed}");
        await Task.WhenAny(talker, Task.Delay(1000));
    }

    [Fact]
    public async Task MqttProbe_WithBrokerClosingOnMqtt311_ShouldFallBackToMqIsdpLevel3()
    {
        // BR-27: an old broker closes the connection on protocol name "MQTT" instead of CONNACK 1.
        using var listener = Listen(out var port);
        var broker = OldBrokerAsync(listener);

        var result = await MqttProbe.ConnectAsync(
            "127.0.0.1", port, null, null, TimeSpan.FromSeconds(3), CancellationToken.None);
        var secondHeader = await broker;

        Assert.Equal(LoginOutcome.Accepted, result.Outcome);
        Assert.Equal("3.1", result.VersionText);
        Assert.Equal(new byte[] { 0x00, 0x06, 0x4D, 0x51, 0x49, 0x73, 0x64, 0x70, 0x03 }, secondHeader);
    }

    [Fact]
    public async Task MqttProbe_WithMosquittoAndVersion31_ShouldBeAccepted()
    {
        var mosquitto = DaemonProcess.Require("/usr/sbin/mosquitto", "mosquitto");
        var folder = DaemonProcess.TempFolder();
        var port = DaemonProcess.FreePort();
        var config = Path.Combine(folder, "mosquitto.conf");
        File.WriteAllText(
            config, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\n");
        using var daemon = DaemonProcess.Start(port, mosquitto, "-c", config);

        var result = await MqttProbe.ConnectOnceAsync(
            "127.0.0.1", port, MqttProtocolVersion.V31, null, null, TimeSpan.FromSeconds(3), CancellationToken.None);

        Assert.Equal(0, result.ReturnCode);
        Assert.Equal("3.1", result.VersionText);
    }

    private static TcpListener Listen(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    private static async Task TalkForeverAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        using var client = await listener.AcceptTcpClientAsync(cancellationToken);
        var stream = client.GetStream();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes("."), cancellationToken);
                await Task.Delay(100, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || ex is IOException)
        {
            // The probe hung up or the test ended.
        }
    }

    /// <summary>A device that reads a user name and a password, then only prompts again.</summary>
    private static async Task PromptAgainAsync(TcpListener listener, string again)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[256];
        await stream.WriteAsync(Encoding.ASCII.GetBytes("cam login: "));
        _ = await stream.ReadAsync(buffer);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("Password: "));
        _ = await stream.ReadAsync(buffer);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(again));
        _ = await stream.ReadAsync(buffer);
    }

    private static async Task<byte[]> OldBrokerAsync(TcpListener listener)
    {
        using (var first = await listener.AcceptTcpClientAsync())
        {
            _ = await first.GetStream().ReadAsync(new byte[256]);
        }

        using var second = await listener.AcceptTcpClientAsync();
        var stream = second.GetStream();
        var connect = new byte[256];
        var read = await stream.ReadAsync(connect);
        await stream.WriteAsync(new byte[] { 0x20, 0x02, 0x00, 0x00 });
        _ = await stream.ReadAsync(new byte[16]);
        return connect.Skip(2).Take(Math.Min(9, read - 2)).ToArray();
    }
}
