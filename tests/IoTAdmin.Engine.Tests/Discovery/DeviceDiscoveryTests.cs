using System.Diagnostics;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Discovery;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Tests.Discovery;

public class DeviceDiscoveryTests
{
    [Fact]
    public async Task Failing_protocol_is_recorded_and_the_others_are_kept()
    {
        var log = new RecordingLog();
        var discovery = new DeviceDiscovery(new IDiscoveryProtocol[]
        {
            new FixedProtocol(DiscoveryProtocol.Mdns, DeviceMergerTests.Mdns()),
            new ThrowingProtocol(),
            new FixedProtocol(DiscoveryProtocol.Ssdp, DeviceMergerTests.Ssdp()),
        });

        var run = await discovery.DiscoverAsync(Options(), log, CancellationToken.None);

        var device = Assert.Single(run.Devices);
        Assert.Equal(2, device.Observations.Count);
        var failure = Assert.Single(run.Failures);
        Assert.Equal(DiscoveryProtocol.Snmp, failure.Protocol);
        Assert.Contains("socket exploded", failure.Message);
        Assert.Contains(log.Messages, m => m.StartsWith("WARNING") && m.Contains("Snmp"));
    }

    [Fact]
    public async Task Protocol_that_overruns_the_timeout_is_cut_off()
    {
        var discovery = new DeviceDiscovery(new IDiscoveryProtocol[]
        {
            new HangingProtocol(),
            new FixedProtocol(DiscoveryProtocol.Ssdp, DeviceMergerTests.Ssdp()),
        });
        var clock = Stopwatch.StartNew();

        var run = await discovery.DiscoverAsync(Options(), new RecordingLog(), CancellationToken.None);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
        Assert.Single(run.Devices);
        Assert.Contains("did not finish", Assert.Single(run.Failures).Message);
    }

    [Fact]
    public void Factory_builds_mdns_and_ssdp()
    {
        var exception = Record.Exception(
            () => DeviceDiscovery.Create(new[] { DiscoveryProtocol.Mdns, DiscoveryProtocol.Ssdp }));

        Assert.Null(exception);
    }

    private static DiscoveryOptions Options() => new() { Timeout = TimeSpan.FromSeconds(1) };

    private sealed class FixedProtocol(DiscoveryProtocol protocol, DiscoveryObservation observation)
        : IDiscoveryProtocol
    {
        public DiscoveryProtocol Protocol => protocol;

        public Task<IReadOnlyList<DiscoveryObservation>> DiscoverAsync(
            DiscoveryOptions options, IActivityLog log, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DiscoveryObservation>>(new[] { observation });
    }

    private sealed class ThrowingProtocol : IDiscoveryProtocol
    {
        public DiscoveryProtocol Protocol => DiscoveryProtocol.Snmp;

        public async Task<IReadOnlyList<DiscoveryObservation>> DiscoverAsync(
            DiscoveryOptions options, IActivityLog log, CancellationToken cancellationToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("socket exploded");
        }
    }

    /// <summary>Ignores cancellation entirely, like a protocol stuck in a blocking call.</summary>
    private sealed class HangingProtocol : IDiscoveryProtocol
    {
        public DiscoveryProtocol Protocol => DiscoveryProtocol.Mdns;

        public async Task<IReadOnlyList<DiscoveryObservation>> DiscoverAsync(
            DiscoveryOptions options, IActivityLog log, CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None);
            return Array.Empty<DiscoveryObservation>();
        }
    }
}
