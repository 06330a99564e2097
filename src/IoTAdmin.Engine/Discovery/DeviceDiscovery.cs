using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Discovery.Mdns;
using IoTAdmin.Engine.Discovery.Ssdp;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Discovery;

/// <summary>
/// Runs the chosen discovery protocols concurrently and merges what they saw. A protocol that throws
/// or overruns the timeout is logged and listed in <see cref="DiscoveryRun.Failures"/>; the others'
/// results are kept.
/// </summary>
public sealed class DeviceDiscovery
{
    /// <summary>Time a protocol may take beyond <see cref="DiscoveryOptions.Timeout"/> to hand back results.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<IDiscoveryProtocol> _protocols;

    public DeviceDiscovery(IEnumerable<IDiscoveryProtocol> protocols)
    {
        _protocols = (protocols ?? throw new ArgumentNullException(nameof(protocols))).ToList();
    }

    /// <summary>Builds the protocols (mDNS, SSDP, SNMP sweep on udp/161) named, each once.</summary>
    public static DeviceDiscovery Create(IEnumerable<DiscoveryProtocol> which) =>
        new DeviceDiscovery(which.Distinct().Select(CreateProtocol).ToList());

    public async Task<DiscoveryRun> DiscoverAsync(
        DiscoveryOptions options,
        IActivityLog log,
        CancellationToken cancellationToken)
    {
        if (options is null || log is null)
        {
            throw new ArgumentNullException(options is null ? nameof(options) : nameof(log));
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.Timeout, "The discovery timeout must be positive.");
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.Timeout + Grace);

        var runs = _protocols.Select(p => RunOneAsync(p, options, Grace, log, limit.Token)).ToList();
        var results = await Task.WhenAll(runs).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var observations = results.SelectMany(r => r.Observations);
        var failures = results.Where(r => r.Failure is not null).Select(r => r.Failure!).ToList();
        var devices = DeviceMerger.Merge(observations);
        log.Verbose($"Discovery: {devices.Count} device(s), {failures.Count} protocol failure(s).");
        return new DiscoveryRun(devices, failures);
    }

    private static async Task<ProtocolResult> RunOneAsync(
        IDiscoveryProtocol protocol,
        DiscoveryOptions options,
        TimeSpan grace,
        IActivityLog log,
        CancellationToken limit)
    {
        var overrun = $"did not finish within {(options.Timeout + grace).TotalSeconds:0.#} s";
        try
        {
            // Task.Run keeps a protocol that blocks before its first await from holding up the others.
            var work = Task.Run(() => protocol.DiscoverAsync(options, log, limit), limit);
            var finished = await Task.WhenAny(work, Task.Delay(Timeout.Infinite, limit)).ConfigureAwait(false);
            if (finished != work)
            {
                _ = work.ContinueWith(t => t.Exception, TaskScheduler.Default);
                return Failed(protocol, overrun, log);
            }

            return new ProtocolResult(await work.ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            return Failed(protocol, overrun, log);
        }
        catch (Exception ex)
        {
            return Failed(protocol, $"{ex.GetType().Name}: {ex.Message}", log);
        }
    }

    private static ProtocolResult Failed(IDiscoveryProtocol protocol, string message, IActivityLog log)
    {
        log.Warning($"Discovery via {protocol.Protocol} failed: {message}");
        var failure = new DiscoveryFailure(protocol.Protocol, message);
        return new ProtocolResult(Array.Empty<DiscoveryObservation>(), failure);
    }

    private static IDiscoveryProtocol CreateProtocol(DiscoveryProtocol protocol) => protocol switch
    {
        DiscoveryProtocol.Mdns => new MdnsDiscovery(),
        DiscoveryProtocol.Ssdp => new SsdpDiscovery(),
        DiscoveryProtocol.Snmp => new SnmpSweepDiscovery(),
        _ => throw new NotSupportedException($"Discovery protocol {protocol} is not supported."),
    };

    private sealed class ProtocolResult
    {
        public ProtocolResult(IReadOnlyList<DiscoveryObservation> observations, DiscoveryFailure? failure)
        {
            Observations = observations;
            Failure = failure;
        }

        public IReadOnlyList<DiscoveryObservation> Observations { get; }

        public DiscoveryFailure? Failure { get; }
    }
}
