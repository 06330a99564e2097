using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Discovery.Mdns;

/// <summary>
/// Finds devices through multicast DNS / DNS-SD. It sends one-shot ("legacy unicast", RFC 6762 5.1)
/// queries from an ephemeral port bound to <see cref="DiscoveryOptions.InterfaceAddress"/>, so it
/// neither competes with a local responder for port 5353 nor listens on other interfaces, and
/// responders answer it directly. Follow-up queries ask for each service type, instance and host.
/// </summary>
public sealed class MdnsDiscovery : IDiscoveryProtocol
{
    private const int MdnsPort = 5353;
    private const int MaxDatagrams = 5000;
    private static readonly IPAddress s_group = IPAddress.Parse("224.0.0.251");
    private static readonly string[] s_wellKnownTypes =
    {
        "_http._tcp", "_https._tcp", "_rtsp._tcp", "_ssh._tcp", "_mqtt._tcp", "_device-info._tcp",
    };

    private readonly IPEndPoint _queryEndpoint;

    public MdnsDiscovery()
        : this(new IPEndPoint(s_group, MdnsPort))
    {
    }

    /// <summary>Queries another endpoint; tests use this to reach a responder on loopback.</summary>
    internal MdnsDiscovery(IPEndPoint queryEndpoint)
    {
        _queryEndpoint = queryEndpoint;
    }

    public DiscoveryProtocol Protocol => DiscoveryProtocol.Mdns;

    public async Task<IReadOnlyList<DiscoveryObservation>> DiscoverAsync(
        DiscoveryOptions options,
        IActivityLog log,
        CancellationToken cancellationToken)
    {
        using var client = CreateClient(options.InterfaceAddress);
        var session = new MdnsSession(client, _queryEndpoint, log);
        var clock = Stopwatch.StartNew();

        await session.AskAsync(InitialQuestions()).ConfigureAwait(false);
        try
        {
            await ReceiveUntilAsync(session, options.Timeout, clock, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            session.Receiver.Abandon();
        }

        session.LogMalformedCounts();
        var observations = MdnsObservationBuilder.Build(session.Records, log);
        log.Verbose(
            $"mDNS: {session.Records.Count} records, {observations.Count} addresses "
            + $"in {clock.ElapsedMilliseconds} ms.");
        return observations;
    }

    private static UdpClient CreateClient(IPAddress? interfaceAddress)
    {
        var local = new IPEndPoint(interfaceAddress ?? IPAddress.Any, 0);
        var client = new UdpClient(AddressFamily.InterNetwork);
        client.Client.Bind(local);
        client.Client.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
        if (interfaceAddress is not null)
        {
            client.Client.SetSocketOption(
                SocketOptionLevel.IP, SocketOptionName.MulticastInterface, interfaceAddress.GetAddressBytes());
        }

        return client;
    }

    private static IEnumerable<DnsQuestion> InitialQuestions() =>
        new[] { MdnsRecordSet.ServicesName }
            .Concat(s_wellKnownTypes.Select(t => t + ".local"))
            .Select(n => new DnsQuestion(DnsName.Parse(n), DnsRecordType.Ptr));

    private static async Task ReceiveUntilAsync(
        MdnsSession session,
        TimeSpan timeout,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var repeatAt = TimeSpan.FromMilliseconds(Math.Min(1000, timeout.TotalMilliseconds / 3));
        var repeated = false;
        for (var count = 0; count < MaxDatagrams; count++)
        {
            var remaining = timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            // Multicast may be lost: repeat the first questions once, as RFC 6762 suggests.
            if (!repeated && clock.Elapsed >= repeatAt)
            {
                repeated = true;
                await session.AskAsync(InitialQuestions(), repeat: true).ConfigureAwait(false);
            }

            var untilRepeat = repeatAt - clock.Elapsed;
            var wait = repeated || untilRepeat > remaining ? remaining : untilRepeat;
            var datagram = await session.Receiver.ReceiveAsync(wait, cancellationToken).ConfigureAwait(false);
            if (datagram is not null)
            {
                await session.HandleAsync(datagram.Value).ConfigureAwait(false);
            }
        }
    }
}
