using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;

namespace IoTAdmin.Engine.Snmp;

/// <summary>
/// An SNMP manager on one UDP socket. Any number of requests may be in flight at once; answers are
/// paired with requests by request-id (msgID for v3) and sender address, and everything else that
/// arrives (stray, garbled or foreign datagrams) is dropped. Each request has its own timeout and
/// retries; a request nobody answers ends in <see cref="SnmpTimeoutException"/>.
/// </summary>
public sealed partial class SnmpClient : IDisposable
{
    // Platforms that report ICMP errors on UDP sockets raise them from receive; many in a row mean
    // the socket itself is broken.
    private const int MaxConsecutiveSocketErrors = 100;

    private readonly UdpClient _udp;
    private readonly IActivityLog _log;
    private readonly ConcurrentDictionary<int, PendingRequest> _pending =
        new ConcurrentDictionary<int, PendingRequest>();
    private readonly CancellationTokenSource _closing = new CancellationTokenSource();
    private readonly Task _receiveLoop;
    private int _nextId;

    /// <summary>Opens a socket on an ephemeral port of every local IPv4 address.</summary>
    public SnmpClient(IActivityLog? log = null)
        : this(new IPEndPoint(IPAddress.Any, 0), log)
    {
    }

    public SnmpClient(IPEndPoint localEndPoint, IActivityLog? log = null)
    {
        _udp = new UdpClient(localEndPoint);

        // Room for a sweep's burst of requests; the operating system may grant less.
        _udp.Client.SendBufferSize = 1024 * 1024;
        _log = log ?? NullActivityLog.Instance;
        _nextId = new Random().Next(1, int.MaxValue / 2);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    /// <summary>Sends a GetRequest and returns the agent's Response, error-status included.</summary>
    /// <exception cref="SnmpTimeoutException">No answer after all retries.</exception>
    public Task<SnmpResponse> GetAsync(
        IPEndPoint agent,
        SnmpVersion version,
        string community,
        IReadOnlyList<ObjectIdentifier> oids,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken) =>
        GetSplittingAsync(oids, part => RequestAsync(
            agent, version, community, id => SnmpPdu.Get(id, part), options, cancellationToken));

    /// <summary>Sends a GetNextRequest and returns the agent's Response.</summary>
    /// <exception cref="SnmpTimeoutException">No answer after all retries.</exception>
    public Task<SnmpResponse> GetNextAsync(
        IPEndPoint agent,
        SnmpVersion version,
        string community,
        IReadOnlyList<ObjectIdentifier> oids,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken) =>
        RequestAsync(agent, version, community, id => SnmpPdu.GetNext(id, oids), options, cancellationToken);

    /// <summary>Sends a GetBulkRequest (v2c; v3 has its own overload) and returns the agent's Response.</summary>
    /// <exception cref="ArgumentException">The version is v1, which has no GetBulk.</exception>
    /// <exception cref="SnmpTimeoutException">No answer after all retries.</exception>
    public Task<SnmpResponse> GetBulkAsync(
        IPEndPoint agent,
        SnmpVersion version,
        string community,
        int nonRepeaters,
        int maxRepetitions,
        IReadOnlyList<ObjectIdentifier> oids,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken)
    {
        if (version != SnmpVersion.V2c)
        {
            throw new ArgumentException(
                "GetBulk needs SNMP v2c, or v3 through the SnmpV3Credential overload.", nameof(version));
        }

        return RequestAsync(
            agent,
            version,
            community,
            id => SnmpPdu.GetBulk(id, nonRepeaters, maxRepetitions, oids),
            options,
            cancellationToken);
    }

    /// <summary>Sends a SetRequest and returns the agent's Response.</summary>
    /// <exception cref="SnmpTimeoutException">No answer after all retries.</exception>
    public Task<SnmpResponse> SetAsync(
        IPEndPoint agent,
        SnmpVersion version,
        string community,
        IReadOnlyList<SnmpVariable> variables,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken) =>
        RequestAsync(agent, version, community, id => SnmpPdu.Set(id, variables), options, cancellationToken);

    /// <summary>
    /// Sends the unauthenticated v3 discovery request (RFC 3414 §4) and returns the engine ID, boots
    /// and time from the agent's Report, or null when nothing answers in time.
    /// </summary>
    public async Task<SnmpEngineInfo?> DiscoverEngineAsync(
        IPEndPoint agent,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken)
    {
        SnmpMessage answer;
        try
        {
            answer = await ExchangeAsync(
                    agent,
                    SnmpVersion.V3,
                    id => SnmpV3Message.CreateDiscoveryRequest(id, id).Encode(),
                    options ?? SnmpRequestOptions.Default,
                    cancellationToken)
                .ConfigureAwait(false);
        }
        catch (SnmpTimeoutException)
        {
            return null;
        }

        var report = (SnmpV3Message)answer;
        var reportOid = report.Pdu?.Variables.FirstOrDefault()?.Oid;
        var security = report.Security;
        return new SnmpEngineInfo(agent, security.EngineId, security.EngineBoots, security.EngineTime, reportOid);
    }

    public void Dispose()
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }

        _closing.Cancel();
        _udp.Dispose();
        foreach (var pending in _pending.Values)
        {
            pending.Completion.TrySetException(new ObjectDisposedException(nameof(SnmpClient)));
        }

        _closing.Dispose();
    }

    private async Task<SnmpResponse> RequestAsync(
        IPEndPoint agent,
        SnmpVersion version,
        string community,
        Func<int, SnmpPdu> buildPdu,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken)
    {
        if (version == SnmpVersion.V3)
        {
            throw new ArgumentException("Community requests are v1 or v2c; v3 needs USM credentials.", nameof(version));
        }

        var answer = await ExchangeAsync(
                agent,
                version,
                id => new SnmpCommunityMessage(version, community, buildPdu(id)).Encode(),
                options ?? SnmpRequestOptions.Default,
                cancellationToken)
            .ConfigureAwait(false);
        return new SnmpResponse(agent, version, answer.Pdu!);
    }

    private async Task<SnmpMessage> ExchangeAsync(
        IPEndPoint agent,
        SnmpVersion version,
        Func<int, byte[]> encodeRequest,
        SnmpRequestOptions options,
        CancellationToken cancellationToken,
        UsmSession? security = null)
    {
        options.Validate();
        if (_closing.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(SnmpClient));
        }

        var pending = new PendingRequest(agent, version, security);
        var id = Register(pending);
        try
        {
            var request = encodeRequest(id);
            var attempts = options.Retries + 1;
            for (var attempt = 1; attempt <= attempts; attempt++)
            {
                await SendAsync(request, agent, cancellationToken).ConfigureAwait(false);
                if (await WaitAsync(pending.Completion.Task, options.Timeout, cancellationToken).ConfigureAwait(false))
                {
                    return await pending.Completion.Task.ConfigureAwait(false);
                }
            }

            throw new SnmpTimeoutException(agent, attempts, options.Timeout);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private int Register(PendingRequest pending)
    {
        // Ids wrap after 2^31 requests; skipping the few still in flight keeps each one unique.
        for (var tries = 0; tries < 1000; tries++)
        {
            var id = Interlocked.Increment(ref _nextId) & int.MaxValue;
            if (id != 0 && _pending.TryAdd(id, pending))
            {
                return id;
            }
        }

        throw new InvalidOperationException("No free SNMP request id.");
    }

    private async Task SendAsync(byte[] request, IPEndPoint agent, CancellationToken cancellationToken)
    {
        try
        {
            // A send waits while the socket buffer is full (datagrams queued for ARP count against it);
            // the caller's deadline must still end the wait.
            var send = _udp.SendAsync(request, request.Length, agent);
            if (!send.IsCompleted)
            {
                using var waitEnded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var cancelled = Task.Delay(Timeout.Infinite, waitEnded.Token);
                var first = await Task.WhenAny(send, cancelled).ConfigureAwait(false);
                waitEnded.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }

            await send.ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new SnmpException($"Cannot send an SNMP request to {agent}: {ex.Message}", ex);
        }
    }

    private static async Task<bool> WaitAsync(Task answer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, stopDelay.Token);
        var finished = await Task.WhenAny(answer, delay).ConfigureAwait(false);
        stopDelay.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
        return finished == answer;
    }

    private async Task ReceiveLoopAsync()
    {
        var consecutiveErrors = 0;

        // Runs once per datagram until Dispose closes the socket, which ends the pending receive.
        while (!_closing.IsCancellationRequested)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await _udp.ReceiveAsync().ConfigureAwait(false);
                consecutiveErrors = 0;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                if (_closing.IsCancellationRequested || ++consecutiveErrors > MaxConsecutiveSocketErrors)
                {
                    FailAll(ex);
                    return;
                }

                continue;
            }

            try
            {
                Dispatch(datagram.Buffer, datagram.RemoteEndPoint);
            }
            catch (Exception ex)
            {
                // A datagram the decoder did not foresee must not end the loop every request depends on.
                _log.Debug($"Ignoring an SNMP datagram from '{datagram.RemoteEndPoint}': {ex.Message}.");
            }
        }
    }

    private void Dispatch(byte[] datagram, IPEndPoint sender)
    {
        SnmpMessage message;
        try
        {
            message = SnmpMessage.Decode(datagram);
        }
        catch (SnmpDecodeException ex)
        {
            _log.Debug($"Ignoring a malformed SNMP datagram of {datagram.Length} bytes from '{sender}': {ex.Message}.");
            return;
        }

        if (!_pending.TryGetValue(message.CorrelationId, out var pending) || !pending.Comes(message, sender))
        {
            _log.Debug($"Ignoring an SNMP datagram from '{sender}' that answers no request in flight.");
            return;
        }

        if (pending.Security is not null && !TryOpen(pending, datagram, (SnmpV3Message)message, out message))
        {
            return;
        }

        if (!pending.Accepts(message))
        {
            _log.Debug($"Ignoring an SNMP datagram from '{sender}' that carries no fitting PDU.");
            return;
        }

        pending.Completion.TrySetResult(message);
    }

    private void FailAll(Exception reason)
    {
        foreach (var pending in _pending.Values)
        {
            pending.Completion.TrySetException(new SnmpException($"The SNMP socket failed: {reason.Message}", reason));
        }
    }

    private sealed class PendingRequest
    {
        public PendingRequest(IPEndPoint agent, SnmpVersion version, UsmSession? security)
        {
            Agent = agent;
            Version = version;
            Security = security;
        }

        /// <summary>The USM exchange that verifies and decrypts answers; null for community and discovery.</summary>
        public UsmSession? Security { get; }

        public IPEndPoint Agent { get; }

        public SnmpVersion Version { get; }

        public TaskCompletionSource<SnmpMessage> Completion { get; } =
            new TaskCompletionSource<SnmpMessage>(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Whether the datagram comes from this request's agent in its version.</summary>
        public bool Comes(SnmpMessage message, IPEndPoint sender) =>
            sender.Port == Agent.Port
            && NormalizeAddress(sender.Address).Equals(NormalizeAddress(Agent.Address))
            && message.Version == Version;

        /// <summary>Whether the (verified, decrypted) message carries an answer: a Response, or a v3 Report.</summary>
        public bool Accepts(SnmpMessage message)
        {
            var expectedType = Version == SnmpVersion.V3 ? SnmpPduType.Report : SnmpPduType.Response;
            return message.Pdu is not null
                && (message.Pdu.Type == expectedType || message.Pdu.Type == SnmpPduType.Response);
        }

        private static IPAddress NormalizeAddress(IPAddress address) =>
            address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
