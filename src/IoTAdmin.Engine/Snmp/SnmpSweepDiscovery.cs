using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Discovery;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Snmp;

/// <summary>
/// Finds SNMP agents in the configured IPv4 ranges: each address gets a GET of sysDescr, sysObjectID
/// and sysName per community over v2c and v1, plus a v3 engine-discovery probe, all through one
/// socket with a bounded number of requests in flight and within the run's timeout.
/// </summary>
public sealed class SnmpSweepDiscovery : IDiscoveryProtocol
{
    public const int DefaultPort = 161;

    private static readonly TimeSpan s_shortestRequestTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_longestRequestTimeout = TimeSpan.FromSeconds(2);

    private readonly int _agentPort;

    public SnmpSweepDiscovery()
        : this(DefaultPort)
    {
    }

    /// <summary>Sweeps agents on another UDP port than 161, e.g. a test agent on a loopback high port.</summary>
    public SnmpSweepDiscovery(int agentPort)
    {
        if (agentPort < 1 || agentPort > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(agentPort), agentPort, "A UDP port is 1..65535.");
        }

        _agentPort = agentPort;
    }

    public DiscoveryProtocol Protocol => DiscoveryProtocol.Snmp;

    /// <exception cref="ArgumentException">A subnet is malformed or larger than /16.</exception>
    public async Task<IReadOnlyList<DiscoveryObservation>> DiscoverAsync(
        DiscoveryOptions options,
        IActivityLog log,
        CancellationToken cancellationToken)
    {
        var addresses = SnmpSubnets.Expand(options.Subnets);
        var communities = options.Communities.Where(c => c is not null).Distinct().ToList();
        var targets = addresses.Select(address => new SweepTarget(new IPEndPoint(address, _agentPort))).ToList();
        log.Verbose(string.Format(
            CultureInfo.InvariantCulture,
            "Sweeping {0} address(es) for SNMP on udp/{1} with {2} communit(ies) and a v3 probe.",
            targets.Count,
            _agentPort,
            communities.Count));

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        using var client = new SnmpClient(log);
        using var throttle = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentSnmpRequests));
        var workers = Math.Min(targets.Count, Math.Max(1, options.MaxConcurrentSnmpRequests / 3));
        var requestOptions = RequestOptions(options, communities.Count, targets.Count, workers);
        var sweep = new Sweep(client, throttle, communities, requestOptions, log, deadline.Token);

        await RunUntilDeadlineAsync(sweep, targets, workers).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var observations = targets.Where(t => t.Answered).Select(t => t.ToObservation()).ToList();
        foreach (var observation in observations)
        {
            log.Verbose($"'{observation.Address}' answers SNMP {observation.Attributes["snmp.versions"]}.");
        }

        return observations;
    }

    private static async Task RunUntilDeadlineAsync(Sweep sweep, IReadOnlyList<SweepTarget> targets, int workers)
    {
        // Requests to silent addresses wait in the kernel's ARP queue and are charged to the socket's
        // send buffer, so every combination at once stalls the socket for seconds. The first pass
        // therefore sends the two probes that find any agent (v2c with the first community and v3
        // engine discovery); the second tries the other communities and v1 where no community worked.
        try
        {
            await ForEachTargetAsync(targets, workers, sweep.ProbeFirstAsync).ConfigureAwait(false);
            var unanswered = targets.Where(t => !t.AnsweredCommunity).ToList();
            await ForEachTargetAsync(unanswered, workers, sweep.ProbeRestAsync).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The deadline ends the sweep; what was answered by then is the result.
        }
    }

    private static Task ForEachTargetAsync(
        IReadOnlyList<SweepTarget> targets,
        int workers,
        Func<SweepTarget, Task> probe)
    {
        // Workers take the next address in turn, so no task is queued per address.
        var next = -1;
        async Task WorkAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < targets.Count)
            {
                await probe(targets[index]).ConfigureAwait(false);
            }
        }

        return Task.WhenAll(Enumerable.Range(0, Math.Min(workers, targets.Count)).Select(_ => WorkAsync()));
    }

    private static SnmpRequestOptions RequestOptions(
        DiscoveryOptions options,
        int communityCount,
        int targetCount,
        int workers)
    {
        // Workers take addresses in rounds and try communities one after another, so one request
        // may use its share of the run; below 200 ms answers from busy devices would be lost.
        var rounds = Math.Max(1, (targetCount + workers - 1) / Math.Max(1, workers));
        var share = TimeSpan.FromTicks(options.Timeout.Ticks * 9 / 10 / (rounds * Math.Max(1, communityCount)));
        var timeout = share < s_shortestRequestTimeout ? s_shortestRequestTimeout
            : share > s_longestRequestTimeout ? s_longestRequestTimeout : share;
        return new SnmpRequestOptions { Timeout = timeout, Retries = 0 };
    }

    private sealed class Sweep
    {
        private readonly SnmpClient _client;
        private readonly SemaphoreSlim _throttle;
        private readonly IReadOnlyList<string> _communities;
        private readonly SnmpRequestOptions _options;
        private readonly IActivityLog _log;
        private readonly CancellationToken _deadline;

        public Sweep(
            SnmpClient client,
            SemaphoreSlim throttle,
            IReadOnlyList<string> communities,
            SnmpRequestOptions options,
            IActivityLog log,
            CancellationToken deadline)
        {
            _log = log;
            _client = client;
            _throttle = throttle;
            _communities = communities;
            _options = options;
            _deadline = deadline;
        }

        public Task ProbeFirstAsync(SweepTarget target) =>
            Task.WhenAll(
                ProbeCommunitiesAsync(target, SnmpVersion.V2c, _communities.Take(1)),
                ProbeEngineAsync(target));

        public Task ProbeRestAsync(SweepTarget target) =>
            Task.WhenAll(
                ProbeCommunitiesAsync(target, SnmpVersion.V2c, _communities.Skip(1)),
                ProbeCommunitiesAsync(target, SnmpVersion.V1, _communities));

        private async Task ProbeCommunitiesAsync(
            SweepTarget target,
            SnmpVersion version,
            IEnumerable<string> communities)
        {
            foreach (var community in communities)
            {
                var answer = await ThrottledAsync(() => SnmpCommunityProbe.TryGetAsync(
                        _client, target.Agent, version, community, SnmpCommunityProbe.SystemOids, _options, _deadline))
                    .ConfigureAwait(false);
                if (answer is not null)
                {
                    target.Record(answer);
                    return;
                }
            }
        }

        private async Task ProbeEngineAsync(SweepTarget target)
        {
            var engine = await ThrottledAsync(() => _client.DiscoverEngineAsync(target.Agent, _options, _deadline))
                .ConfigureAwait(false);
            target.Record(engine);
        }

        private async Task<T?> ThrottledAsync<T>(Func<Task<T?>> request)
            where T : class
        {
            await _throttle.WaitAsync(_deadline).ConfigureAwait(false);
            try
            {
                return await request().ConfigureAwait(false);
            }
            catch (SnmpException ex)
            {
                // One unreachable address (no route, refused send) must not end the sweep.
                _log.Debug($"SNMP probe failed: {ex.Message}");
                return null;
            }
            finally
            {
                _throttle.Release();
            }
        }
    }
}
