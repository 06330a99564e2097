using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Exposure;

/// <summary>
/// Identifies the service on an open TCP port the way a careful scanner does: first the greeting a
/// server-speaks-first protocol sends (SSH, Telnet, FTP), then light probes (HTTP, TLS, RTSP,
/// MQTT), the one the port suggests first. Every read is bounded by <see cref="BannerReader"/>
/// and all probes of one port share one deadline.
/// </summary>
internal static class ServiceIdentifier
{
    private enum Probe
    {
        Http,
        Tls,
        Rtsp,
        Mqtt,
    }

    private static readonly Dictionary<int, Probe> s_clientFirst = new Dictionary<int, Probe>
    {
        [80] = Probe.Http, [81] = Probe.Http, [88] = Probe.Http, [3000] = Probe.Http, [5000] = Probe.Http,
        [5001] = Probe.Http, [7547] = Probe.Http, [8000] = Probe.Http, [8008] = Probe.Http, [8080] = Probe.Http,
        [8081] = Probe.Http, [8088] = Probe.Http, [8089] = Probe.Http, [8181] = Probe.Http, [8888] = Probe.Http,
        [9000] = Probe.Http, [49152] = Probe.Http, [443] = Probe.Tls, [4443] = Probe.Tls, [8443] = Probe.Tls,
        [9443] = Probe.Tls, [10443] = Probe.Tls, [8883] = Probe.Tls, [554] = Probe.Rtsp, [8554] = Probe.Rtsp,
        [1883] = Probe.Mqtt,
    };

    /// <summary>Identifies the service behind <paramref name="first"/>, the scan's own connection.</summary>
    public static async Task IdentifyAsync(
        NetConnection first,
        NetworkService service,
        ScanOptions options,
        CancellationToken cancellationToken)
    {
        using var budget = new ProbeDeadline(options.IdentifyTimeout, cancellationToken);
        var tried = new List<Probe>();
        try
        {
            if (await FirstContactAsync(first, service, options, tried, budget.Token).ConfigureAwait(false))
            {
                await RefineTlsAsync(service, budget.Token).ConfigureAwait(false);
                return;
            }

            foreach (var probe in FallbackOrder(service.Port).Where(p => !tried.Contains(p)).Take(2))
            {
                if (await ProbeFreshAsync(service, probe, options, budget.Token).ConfigureAwait(false))
                {
                    await RefineTlsAsync(service, budget.Token).ConfigureAwait(false);
                    return;
                }
            }

            service.Detail ??= "no banner and no answer to the HTTP and TLS probes";
        }
        catch (OperationCanceledException)
        {
            budget.ThrowIfCallerCancelled();
            service.Detail = $"identification stopped after {options.IdentifyTimeout.TotalSeconds:0.#} s";
        }
    }

    private static async Task<bool> FirstContactAsync(
        NetConnection first,
        NetworkService service,
        ScanOptions options,
        List<Probe> tried,
        CancellationToken token)
    {
        if (s_clientFirst.TryGetValue(service.Port, out var probe))
        {
            tried.Add(probe);
            return await SendAndClassifyAsync(first, service, probe, options.BannerWait, token).ConfigureAwait(false);
        }

        var greeting = await BannerReader.ReadAsync(first, options.BannerWait, null, token).ConfigureAwait(false);
        if (ServiceClassifier.Classify(greeting, service))
        {
            return true;
        }

        if (greeting.Length > 0)
        {
            service.Detail = "unrecognised greeting";
        }

        return false;
    }

    private static async Task<bool> ProbeFreshAsync(
        NetworkService service,
        Probe probe,
        ScanOptions options,
        CancellationToken token)
    {
        try
        {
            using var connection = await NetConnection.OpenAsync(service.Address, service.Port, token)
                .ConfigureAwait(false);
            var wait = options.BannerWait + options.BannerWait;
            return await SendAndClassifyAsync(connection, service, probe, wait, token).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> SendAndClassifyAsync(
        NetConnection connection,
        NetworkService service,
        Probe probe,
        TimeSpan wait,
        CancellationToken token)
    {
        try
        {
            await connection.WriteAsync(Request(probe, service), token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException || ex is System.IO.IOException)
        {
            return false;
        }

        var answer = await BannerReader.ReadAsync(connection, wait, Completion(probe), token).ConfigureAwait(false);
        return ServiceClassifier.Classify(answer, service);
    }

    // A TLS service is named by what runs inside: HTTP makes it https, the MQTT port mqtts.
    private static async Task RefineTlsAsync(NetworkService service, CancellationToken token)
    {
        if (service.Name != "tls")
        {
            return;
        }

        if (service.Port == 8883)
        {
            service.Name = "mqtts";
            return;
        }

        var inner = await RawHttp.SendAsync(service.Address, service.Port, true, "HEAD", "/", TimeSpan.FromSeconds(3),
            token).ConfigureAwait(false);
        if (!inner.Answered)
        {
            return;
        }

        service.Name = "https";
        service.Banner = inner.StatusLine;
        var server = inner.Header("Server");
        if (server is not null)
        {
            (service.Product, service.Version) = ServiceClassifier.SplitServerHeader(server);
            service.Detail = $"TLS, then HTTP status line, Server: {server}";
        }
    }

    private static IEnumerable<Probe> FallbackOrder(int port) =>
        s_clientFirst.TryGetValue(port, out var hinted)
            ? new[] { hinted, Probe.Http, Probe.Tls }
            : new[] { Probe.Http, Probe.Tls };

    private static byte[] Request(Probe probe, NetworkService service) => probe switch
    {
        Probe.Http => Encoding.ASCII.GetBytes(
            $"GET / HTTP/1.0\r\nHost: {service.Address}\r\nUser-Agent: IoTAdmin-Scan/1.0\r\n\r\n"),
        Probe.Rtsp => Encoding.ASCII.GetBytes(
            $"OPTIONS rtsp://{service.Address}:{service.Port}/ RTSP/1.0\r\nCSeq: 1\r\n"
            + "User-Agent: IoTAdmin-Scan/1.0\r\n\r\n"),
        Probe.Mqtt => MqttPackets.BuildConnect(MqttProtocolVersion.V311, "iotadmin-scan", null, null),
        _ => TlsHello.BuildClientHello(TlsProtocol.Tls12, null),
    };

    private static Func<byte[], int, bool> Completion(Probe probe) => probe switch
    {
        Probe.Tls => TlsHello.HasFirstRecord,
        Probe.Mqtt => (data, count) => count >= 4,
        _ => HasHeadEnd,
    };

    private static bool HasHeadEnd(byte[] data, int count)
    {
        for (var index = 0; index + 3 < count; index++)
        {
            if (data[index] == '\r' && data[index + 1] == '\n' && data[index + 2] == '\r' && data[index + 3] == '\n')
            {
                return true;
            }
        }

        return false;
    }
}
