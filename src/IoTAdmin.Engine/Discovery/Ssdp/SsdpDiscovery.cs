using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Discovery.Ssdp;

/// <summary>
/// Finds UPnP devices: sends M-SEARCH for ssdp:all and the Internet Gateway Device, collects the
/// unicast answers, and fetches each distinct description once while answers keep arriving. One
/// device's bad answer or description becomes that device's Error; the run goes on.
/// </summary>
public sealed class SsdpDiscovery : IDiscoveryProtocol
{
    private const int MaxDatagrams = 5000;
    private const int MaxFetches = 256;
    private static readonly IPEndPoint s_multicastGroup = new IPEndPoint(IPAddress.Parse("239.255.255.250"), 1900);
    private static readonly string[] s_searchTargets =
    {
        "ssdp:all", "urn:schemas-upnp-org:device:InternetGatewayDevice:1",
    };

    private readonly IReadOnlyList<IPEndPoint> _searchEndpoints;

    public SsdpDiscovery()
        : this(s_multicastGroup)
    {
    }

    /// <summary>Searches at other endpoints; tests use this to reach responders on loopback.</summary>
    internal SsdpDiscovery(params IPEndPoint[] searchEndpoints)
    {
        _searchEndpoints = searchEndpoints;
    }

    public DiscoveryProtocol Protocol => DiscoveryProtocol.Ssdp;

    /// <summary>Longest wait for one description; never beyond the run's own timeout.</summary>
    public TimeSpan DescriptionTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyList<DiscoveryObservation>> DiscoverAsync(
        DiscoveryOptions options,
        IActivityLog log,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var run = new SsdpRun(log, CreateFetcher(options), cancellationToken);
        using (var client = CreateClient(options.InterfaceAddress))
        {
            await SearchAsync(client, options.Timeout, log).ConfigureAwait(false);
            var window = ListenWindow(options.Timeout);
            await ListenAsync(client, run, window, clock, cancellationToken).ConfigureAwait(false);
        }

        var observations = await run.CompleteAsync().ConfigureAwait(false);
        log.Verbose($"SSDP: {observations.Count} device(s) answered in {clock.ElapsedMilliseconds} ms.");
        return observations;
    }

    private DescriptionFetcher CreateFetcher(DiscoveryOptions options)
    {
        // Fetches start while answers still arrive; a third of the run keeps the last one in time.
        var share = TimeSpan.FromTicks(Math.Max(options.Timeout.Ticks / 3, TimeSpan.TicksPerSecond));
        var timeout = DescriptionTimeout < share ? DescriptionTimeout : share;
        return new DescriptionFetcher(options.MaxDescriptionBytes, timeout);
    }

    /// <summary>Answers are collected for most of the run; the rest is left for the last fetches.</summary>
    private static TimeSpan ListenWindow(TimeSpan timeout) => TimeSpan.FromTicks(timeout.Ticks * 2 / 3);

    private static UdpClient CreateClient(IPAddress? interfaceAddress)
    {
        var client = new UdpClient(AddressFamily.InterNetwork);
        client.Client.Bind(new IPEndPoint(interfaceAddress ?? IPAddress.Any, 0));
        client.Client.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 2);
        if (interfaceAddress is not null)
        {
            client.Client.SetSocketOption(
                SocketOptionLevel.IP, SocketOptionName.MulticastInterface, interfaceAddress.GetAddressBytes());
        }

        return client;
    }

    private async Task SearchAsync(UdpClient client, TimeSpan timeout, IActivityLog log)
    {
        var mx = timeout >= TimeSpan.FromSeconds(4) ? 2 : 1;

        // UDP may drop a datagram: each search goes out twice.
        for (var round = 0; round < 2; round++)
        {
            foreach (var target in s_searchTargets)
            {
                var request = Encoding.ASCII.GetBytes(
                    "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
                    + $"MX: {mx}\r\nST: {target}\r\nUSER-AGENT: IoTAdmin UPnP/1.1\r\n\r\n");
                await SendAsync(client, request, log).ConfigureAwait(false);
            }
        }
    }

    private async Task SendAsync(UdpClient client, byte[] request, IActivityLog log)
    {
        foreach (var endpoint in _searchEndpoints)
        {
            try
            {
                await client.SendAsync(request, request.Length, endpoint).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                log.Warning($"SSDP: M-SEARCH to {endpoint} failed: {ex.Message}");
            }
        }
    }

    private static async Task ListenAsync(
        UdpClient client,
        SsdpRun run,
        TimeSpan window,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var receiver = new UdpReceiver(client);
        try
        {
            for (var count = 0; count < MaxDatagrams; count++)
            {
                var remaining = window - clock.Elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    return;
                }

                var datagram = await receiver.ReceiveAsync(remaining, cancellationToken).ConfigureAwait(false);
                if (datagram is not null)
                {
                    run.Handle(datagram.Value, MaxFetches);
                }
            }
        }
        finally
        {
            receiver.Abandon();
        }
    }
}
