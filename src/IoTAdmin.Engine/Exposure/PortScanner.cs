using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Exposure;

/// <summary>
/// A TCP connect scan from outside the device, as SYS.4.4.M13 asks, with service identification.
/// A fixed pool of workers takes (host, port) pairs from one queue, so memory stays flat however
/// many ports are asked for, at most <see cref="ScanOptions.MaxSockets"/> sockets are open, and a
/// tarpit on one port holds one worker, never the scan.
/// </summary>
public sealed class PortScanner
{
    private readonly ScanOptions _options;
    private readonly IActivityLog _log;

    public PortScanner(ScanOptions options, IActivityLog? log = null)
    {
        options.Validate();
        _options = options;
        _log = log ?? NullActivityLog.Instance;
    }

    /// <summary>
    /// Scans every port of every host. <paramref name="onResult"/> sees each port as it finishes,
    /// from any thread; the returned list is ordered by host, then port.
    /// </summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IReadOnlyList<NetworkService>> ScanAsync(
        IReadOnlyList<IPAddress> hosts,
        IReadOnlyList<int> ports,
        Action<NetworkService>? onResult,
        CancellationToken cancellationToken)
    {
        var work = new ConcurrentQueue<(IPAddress Host, int Port)>(
            ports.SelectMany(port => hosts.Select(host => (host, port))));
        var results = new ConcurrentBag<NetworkService>();
        using var overall = new ProbeDeadline(_options.OverallTimeout, cancellationToken);
        var workers = Enumerable.Range(0, Math.Min(_options.MaxSockets, Math.Max(1, work.Count)))
            .Select(_ => Task.Run(() => WorkAsync(work, results, onResult, overall), CancellationToken.None));
        await Task.WhenAll(workers).ConfigureAwait(false);
        overall.ThrowIfCallerCancelled();

        if (_options.ProbeSnmp)
        {
            foreach (var snmp in await ProbeSnmpAsync(hosts, overall.Token).ConfigureAwait(false))
            {
                results.Add(snmp);
                onResult?.Invoke(snmp);
            }
        }

        overall.ThrowIfCallerCancelled();
        return results.OrderBy(r => r.Address, AddressOrder.Instance).ThenBy(r => r.Transport).ThenBy(r => r.Port)
            .ToList();
    }

    private async Task WorkAsync(
        ConcurrentQueue<(IPAddress Host, int Port)> work,
        ConcurrentBag<NetworkService> results,
        Action<NetworkService>? onResult,
        ProbeDeadline overall)
    {
        while (work.TryDequeue(out var item))
        {
            NetworkService result;
            if (overall.Token.IsCancellationRequested)
            {
                overall.ThrowIfCallerCancelled();
                result = new NetworkService(item.Host.ToString(), item.Port, ServiceTransport.Tcp, PortState.Timeout)
                {
                    Detail = "not scanned: the scan's overall time limit was reached",
                };
            }
            else
            {
                result = await ScanPortAsync(item.Host, item.Port, overall).ConfigureAwait(false);
            }

            results.Add(result);
            onResult?.Invoke(result);
        }
    }

    private async Task<NetworkService> ScanPortAsync(IPAddress host, int port, ProbeDeadline overall)
    {
        var address = host.ToString();
        using var connect = new ProbeDeadline(_options.ConnectTimeout, overall.Token);
        NetConnection connection;
        try
        {
            connection = await NetConnection.OpenAsync(address, port, connect.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            overall.ThrowIfCallerCancelled();
            return new NetworkService(address, port, ServiceTransport.Tcp, PortState.Timeout)
            {
                Detail = $"no answer to the connect within {_options.ConnectTimeout.TotalSeconds:0.#} s",
            };
        }
        catch (SocketException ex)
        {
            var state = ex.SocketErrorCode == SocketError.ConnectionRefused ? PortState.Closed : PortState.Unreachable;
            var detail = ex.SocketErrorCode.ToString();
            return new NetworkService(address, port, ServiceTransport.Tcp, state) { Detail = detail };
        }

        using (connection)
        {
            var open = new NetworkService(address, port, ServiceTransport.Tcp, PortState.Open);
            if (_options.IdentifyServices)
            {
                await IdentifySafelyAsync(connection, open, overall).ConfigureAwait(false);
            }

            return open;
        }
    }

    // Identification of one port must never end the scan: anything but the caller's Ctrl+C is evidence.
    private async Task IdentifySafelyAsync(NetConnection connection, NetworkService open, ProbeDeadline overall)
    {
        try
        {
            await ServiceIdentifier.IdentifyAsync(connection, open, _options, overall.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            overall.ThrowIfCallerCancelled();
            open.Detail = "identification stopped: the scan's overall time limit was reached";
        }
        catch (Exception ex) when (!(ex is OutOfMemoryException))
        {
            _log.Debug($"Identifying {open.Address}:{open.Port} failed: {ex.GetType().Name}: {ex.Message}");
            open.Detail = $"identification failed: {ex.GetType().Name}";
        }
    }

    private async Task<IReadOnlyList<NetworkService>> ProbeSnmpAsync(
        IReadOnlyList<IPAddress> hosts,
        CancellationToken token)
    {
        using var client = new SnmpClient(_log);
        var options = new SnmpRequestOptions { Timeout = _options.ConnectTimeout, Retries = 1 };
        var probes = hosts.Select(host => SnmpServiceProbe.ProbeAsync(client, host, options, token));
        return await Task.WhenAll(probes).ConfigureAwait(false);
    }

    private sealed class AddressOrder : IComparer<string>
    {
        public static readonly AddressOrder Instance = new AddressOrder();

        public int Compare(string? x, string? y)
        {
            var left = IPAddress.TryParse(x, out var a) ? a.GetAddressBytes() : Array.Empty<byte>();
            var right = IPAddress.TryParse(y, out var b) ? b.GetAddressBytes() : Array.Empty<byte>();
            for (var index = 0; index < Math.Min(left.Length, right.Length); index++)
            {
                if (left[index] != right[index])
                {
                    return left[index].CompareTo(right[index]);
                }
            }

            return left.Length.CompareTo(right.Length);
        }
    }
}
