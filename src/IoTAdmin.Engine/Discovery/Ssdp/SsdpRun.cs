using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Discovery.Ssdp;

/// <summary>The answers of one SSDP run: one observation per address and one fetch per LOCATION.</summary>
internal sealed class SsdpRun
{
    private readonly IActivityLog _log;
    private readonly DescriptionFetcher _fetcher;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<string, DiscoveryObservation> _byAddress =
        new Dictionary<string, DiscoveryObservation>(StringComparer.Ordinal);
    private readonly HashSet<string> _locations = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    private readonly List<Task> _fetches = new List<Task>();
    private readonly Dictionary<string, int> _junk = new Dictionary<string, int>(StringComparer.Ordinal);

    public SsdpRun(IActivityLog log, DescriptionFetcher fetcher, CancellationToken token)
    {
        _log = log;
        _fetcher = fetcher;
        _cancellationToken = token;
    }

    public void Handle(UdpReceiveResult datagram, int maxFetches)
    {
        var sender = datagram.RemoteEndPoint.Address;
        SsdpResponse response;
        try
        {
            response = SsdpResponseParser.Parse(datagram.Buffer);
        }
        catch (SsdpFormatException ex)
        {
            CountJunk(sender, ex.Message);
            return;
        }

        var observation = ObservationFor(sender);
        lock (observation)
        {
            SsdpObservationBuilder.ApplyResponse(observation, response);
        }

        if (response.Location is not null && _locations.Count < maxFetches && _locations.Add(response.Location))
        {
            _fetches.Add(FetchAsync(observation, response.Location, sender));
        }
    }

    public async Task<IReadOnlyList<DiscoveryObservation>> CompleteAsync()
    {
        await Task.WhenAll(_fetches).ConfigureAwait(false);
        foreach (var pair in _junk)
        {
            _log.Debug($"SSDP: {pair.Value} datagram(s) from {pair.Key} were not SSDP answers.");
        }

        foreach (var observation in _byAddress.Values)
        {
            SsdpObservationBuilder.ApplyServerBanner(observation);
        }

        return _byAddress.Values.ToList();
    }

    private async Task FetchAsync(DiscoveryObservation observation, string location, IPAddress sender)
    {
        var refusal = DescriptionFetcher.CheckLocation(location, sender, out var uri);
        if (refusal is not null)
        {
            _log.Warning("SSDP: " + refusal);
            AddError(observation, refusal);
            return;
        }

        try
        {
            var body = await _fetcher.FetchAsync(uri!, _cancellationToken).ConfigureAwait(false);
            var description = DeviceDescriptionParser.Parse(body);
            lock (observation)
            {
                SsdpObservationBuilder.ApplyDescription(observation, description, uri!);
                description.Problems.ForEach(p => SsdpObservationBuilder.AddError(observation, p));
            }
        }
        catch (DeviceDescriptionException ex)
        {
            _log.Verbose($"SSDP: description of {sender} at {location}: {ex.Message}");
            AddError(observation, $"Description at {location}: {ex.Message}");
        }
        catch (Exception ex) when (!_cancellationToken.IsCancellationRequested)
        {
            // One device must never end the run, whatever its description does to us.
            _log.Warning($"SSDP: unexpected failure reading {location}: {ex.Message}");
            AddError(observation, $"Description at {location}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static void AddError(DiscoveryObservation observation, string error)
    {
        lock (observation)
        {
            SsdpObservationBuilder.AddError(observation, error);
        }
    }

    private DiscoveryObservation ObservationFor(IPAddress sender)
    {
        var key = sender.IsIPv4MappedToIPv6 ? sender.MapToIPv4().ToString() : sender.ToString();
        if (!_byAddress.TryGetValue(key, out var observation))
        {
            observation = new DiscoveryObservation(key, DiscoveryProtocol.Ssdp);
            _byAddress.Add(key, observation);
        }

        return observation;
    }

    private void CountJunk(IPAddress sender, string problem)
    {
        var key = sender.ToString();
        _junk.TryGetValue(key, out var count);
        _junk[key] = count + 1;
        if (count == 0)
        {
            _log.Debug($"SSDP: ignored a datagram from {key}: {problem}");
        }
    }
}
