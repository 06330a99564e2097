using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Discovery.Mdns;
using IoTAdmin.Engine.Discovery.Ssdp;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Discovery;

/// <summary>
/// Runs the chosen discovery protocols concurrently and merges what they saw. A protocol that throws
/// or overruns the timeout is logged and listed in <see cref="DiscoveryRun.Failures"/>; the others'
/// results are kept.
/// </summary>
public sealed class DeviceDiscovery
{
    /// <summary>Time a protocol may take beyond <see cref="DiscoveryOptions.Timeout"/> to hand back results.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private const string SnmpTypeName = "IoTAdmin.Engine.Snmp.SnmpSweepDiscovery";

    private readonly IReadOnlyList<IDiscoveryProtocol> _protocols;

    public DeviceDiscovery(IEnumerable<IDiscoveryProtocol> protocols)
    {
        _protocols = (protocols ?? throw new ArgumentNullException(nameof(protocols))).ToList();
    }

    /// <summary>Builds the protocol objects for the named protocols, each once.</summary>
    public static DeviceDiscovery Create(IEnumerable<DiscoveryProtocol> which) =>
        new DeviceDiscovery(which.Distinct().Select(CreateProtocol).ToList());

    public async Task<DiscoveryRun> DiscoverAsync(
        DiscoveryOptions options,
        IActivityLog log,
        CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.Timeout + Grace);

        var runs = _protocols.Select(p => RunOneAsync(p, options, log, limit.Token)).ToList();
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
        IActivityLog log,
        CancellationToken limit)
    {
        try
        {
            // Task.Run keeps a protocol that blocks before its first await from holding up the others.
            var work = Task.Run(() => protocol.DiscoverAsync(options, log, limit), limit);
            var finished = await Task.WhenAny(work, Task.Delay(Timeout.Infinite, limit)).ConfigureAwait(false);
            if (finished != work)
            {
                _ = work.ContinueWith(t => t.Exception, TaskScheduler.Default);
                return Failed(protocol, $"did not finish within {(options.Timeout + Grace).TotalSeconds:0.#} s", log);
            }

            return new ProtocolResult(await work.ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            return Failed(protocol, $"did not finish within {(options.Timeout + Grace).TotalSeconds:0.#} s", log);
        }
        catch (Exception ex)
        {
            return Failed(protocol, $"{ex.GetType().Name}: {ex.Message}", log);
        }
    }

    private static ProtocolResult Failed(IDiscoveryProtocol protocol, string message, IActivityLog log)
    {
        log.Warning($"Discovery via {protocol.Protocol} failed: {message}");
        return new ProtocolResult(Array.Empty<DiscoveryObservation>(), new DiscoveryFailure(protocol.Protocol, message));
    }

    private static IDiscoveryProtocol CreateProtocol(DiscoveryProtocol protocol) => protocol switch
    {
        DiscoveryProtocol.Mdns => new MdnsDiscovery(),
        DiscoveryProtocol.Ssdp => new SsdpDiscovery(),
        DiscoveryProtocol.Snmp => CreateSnmpSweep(),
        _ => throw new NotSupportedException($"Discovery protocol {protocol} is not supported."),
    };

    /// <summary>
    /// The SNMP sweep lives in IoTAdmin.Engine.Snmp and is built by its constructor whose parameters
    /// are all optional; looked up by name so discovery builds while that part is still being written.
    /// </summary>
    private static IDiscoveryProtocol CreateSnmpSweep()
    {
        var type = typeof(DeviceDiscovery).Assembly.GetType(SnmpTypeName);
        var constructor = type?.GetConstructors()
            .Where(c => c.GetParameters().All(p => p.IsOptional))
            .OrderBy(c => c.GetParameters().Length)
            .FirstOrDefault();
        if (constructor is null || !typeof(IDiscoveryProtocol).IsAssignableFrom(type))
        {
            throw new NotSupportedException(
                $"SNMP sweep discovery is not available: {SnmpTypeName} with a parameterless constructor was not found.");
        }

        var arguments = constructor.GetParameters().Select(p => p.DefaultValue).ToArray();
        return (IDiscoveryProtocol)constructor.Invoke(arguments);
    }

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
