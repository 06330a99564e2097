using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Snmp;

/// <summary>The SNMPv3 (USM) requests of <see cref="SnmpClient"/>.</summary>
public sealed partial class SnmpClient
{
    private static readonly ObjectIdentifier s_usmStats = ObjectIdentifier.Parse("1.3.6.1.6.3.15.1.1");

    // Engines per agent address; a replaced device (new engine ID) replaces its entry (BR-19).
    private readonly ConcurrentDictionary<IPEndPoint, SnmpEngineClock> _engines =
        new ConcurrentDictionary<IPEndPoint, SnmpEngineClock>();

    private long _droppedUnauthenticated;
    private long _aesSalt = new Random().Next();
    private int _desSalt = new Random().Next();

    /// <summary>
    /// Answers to v3 requests that were dropped because their digest did not verify or their security
    /// did not fit the request: spoofed or corrupted datagrams.
    /// </summary>
    public long DroppedUnauthenticatedMessages => Interlocked.Read(ref _droppedUnauthenticated);

    /// <summary>Sends an SNMPv3 GetRequest as <paramref name="credential"/>.</summary>
    /// <exception cref="SnmpUsmException">The agent's security refused the request.</exception>
    /// <exception cref="SnmpTimeoutException">No answer after all retries.</exception>
    public Task<SnmpResponse> GetAsync(
        IPEndPoint agent,
        SnmpV3Credential credential,
        IReadOnlyList<ObjectIdentifier> oids,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken) =>
        GetSplittingAsync(oids, part => RequestV3Async(
            agent, credential, id => SnmpPdu.Get(id, part), options, cancellationToken));

    /// <summary>Sends an SNMPv3 GetNextRequest as <paramref name="credential"/>.</summary>
    /// <exception cref="SnmpUsmException">The agent's security refused the request.</exception>
    /// <exception cref="SnmpTimeoutException">No answer after all retries.</exception>
    public Task<SnmpResponse> GetNextAsync(
        IPEndPoint agent,
        SnmpV3Credential credential,
        IReadOnlyList<ObjectIdentifier> oids,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken) =>
        RequestV3Async(agent, credential, id => SnmpPdu.GetNext(id, oids), options, cancellationToken);

    /// <summary>Sends an SNMPv3 GetBulkRequest as <paramref name="credential"/>.</summary>
    /// <exception cref="SnmpUsmException">The agent's security refused the request.</exception>
    /// <exception cref="SnmpTimeoutException">No answer after all retries.</exception>
    public Task<SnmpResponse> GetBulkAsync(
        IPEndPoint agent,
        SnmpV3Credential credential,
        int nonRepeaters,
        int maxRepetitions,
        IReadOnlyList<ObjectIdentifier> oids,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken) =>
        RequestV3Async(
            agent,
            credential,
            id => SnmpPdu.GetBulk(id, nonRepeaters, maxRepetitions, oids),
            options,
            cancellationToken);

    /// <summary>Sends an SNMPv3 SetRequest as <paramref name="credential"/>.</summary>
    /// <exception cref="SnmpUsmException">The agent's security refused the request.</exception>
    /// <exception cref="SnmpTimeoutException">No answer after all retries.</exception>
    public Task<SnmpResponse> SetAsync(
        IPEndPoint agent,
        SnmpV3Credential credential,
        IReadOnlyList<SnmpVariable> variables,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken) =>
        RequestV3Async(agent, credential, id => SnmpPdu.Set(id, variables), options, cancellationToken);

    /// <summary>
    /// Finds which AES-192/256 key extension an agent uses (BR-18): sends a Get of sysUpTime.0 with
    /// the credential's flavour and, if the agent cannot decrypt it, with the other (Blumenthal or
    /// Reeder). Returns the credential that works; other protocols are returned after one check.
    /// </summary>
    /// <exception cref="SnmpUsmException">Neither flavour works, or another USM error.</exception>
    /// <exception cref="SnmpTimeoutException">The agent does not answer at all.</exception>
    public async Task<SnmpV3Credential> ResolveAesKeyExtensionAsync(
        IPEndPoint agent,
        SnmpV3Credential credential,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken)
    {
        var sysUpTime = new[] { ObjectIdentifier.Parse("1.3.6.1.2.1.1.3.0") };
        try
        {
            await GetAsync(agent, credential, sysUpTime, options, cancellationToken).ConfigureAwait(false);
            return credential;
        }
        catch (SnmpUsmException ex)
            when (ex.Error == SnmpUsmError.DecryptionError && OtherAesFlavour(credential).HasValue)
        {
            var other = credential.WithPrivProtocol(OtherAesFlavour(credential)!.Value);
            await GetAsync(agent, other, sysUpTime, options, cancellationToken).ConfigureAwait(false);
            _log.Debug($"SNMPv3 agent '{agent}' uses {other.PrivProtocol} for user '{credential.UserName}'.");
            return other;
        }
    }

    private static SnmpPrivProtocol? OtherAesFlavour(SnmpV3Credential credential)
    {
        switch (credential.PrivProtocol)
        {
            case SnmpPrivProtocol.Aes192:
                return SnmpPrivProtocol.Aes192Reeder;
            case SnmpPrivProtocol.Aes192Reeder:
                return SnmpPrivProtocol.Aes192;
            case SnmpPrivProtocol.Aes256:
                return SnmpPrivProtocol.Aes256Reeder;
            case SnmpPrivProtocol.Aes256Reeder:
                return SnmpPrivProtocol.Aes256;
            default:
                return null;
        }
    }

    /// <summary>The engine this client knows at an address, if any (for diagnostics and tests).</summary>
    internal SnmpEngineClock? KnownEngine(IPEndPoint agent) =>
        _engines.TryGetValue(agent, out var clock) ? clock : null;

    /// <summary>Replaces what this client knows of the engine at an address (tests replay stale caches).</summary>
    internal void RememberEngine(IPEndPoint agent, SnmpEngineClock clock) => _engines[agent] = clock;

    private async Task<SnmpResponse> RequestV3Async(
        IPEndPoint agent,
        SnmpV3Credential credential,
        Func<int, SnmpPdu> buildPdu,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken)
    {
        if (credential is null)
        {
            throw new ArgumentNullException(nameof(credential));
        }

        options ??= SnmpRequestOptions.Default;
        try
        {
            return await SecureRequestAsync(agent, credential, buildPdu, options, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (SnmpTimeoutException) when (credential.SecurityLevel == SnmpSecurityLevel.AuthPriv)
        {
            // net-snmp and others silently drop what they cannot decrypt (BR-18).
            await ThrowIfOnlyPrivacyFailsAsync(agent, credential, options, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<SnmpResponse> SecureRequestAsync(
        IPEndPoint agent,
        SnmpV3Credential credential,
        Func<int, SnmpPdu> buildPdu,
        SnmpRequestOptions options,
        CancellationToken cancellationToken)
    {
        var clock = await EngineOfAsync(agent, options, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var session = new UsmSession(credential, clock.EngineId, clock.EngineBoots, clock.CurrentEngineTime);
            var answer = (SnmpV3Message)await ExchangeAsync(
                    agent,
                    SnmpVersion.V3,
                    id => session.Encode(id, buildPdu(id), NextSalt(credential.PrivProtocol, session.EngineBoots)),
                    options,
                    cancellationToken,
                    session)
                .ConfigureAwait(false);

            var error = ReportedError(answer);
            if (error is null)
            {
                Resynchronise(agent, clock, answer);
                return new SnmpResponse(agent, SnmpVersion.V3, answer.Pdu!);
            }

            // One retry with the agent's engine ID, boots and time heals a stale cache (BR-12).
            var resynchronises = error == SnmpUsmError.NotInTimeWindow || error == SnmpUsmError.UnknownEngineId;
            if (attempt > 1 || !resynchronises)
            {
                var reportOid = answer.Pdu!.Variables.FirstOrDefault()?.Oid;
                throw new SnmpUsmException(error.Value, agent, credential.UserName, reportOid);
            }

            clock = Adopt(agent, answer.Security, error.Value);
        }
    }

    private async Task<SnmpEngineClock> EngineOfAsync(
        IPEndPoint agent,
        SnmpRequestOptions options,
        CancellationToken cancellationToken)
    {
        if (_engines.TryGetValue(agent, out var known))
        {
            return known;
        }

        var discovered = await DiscoverEngineAsync(agent, options, cancellationToken).ConfigureAwait(false);
        if (discovered is null)
        {
            throw new SnmpTimeoutException(agent, options.Retries + 1, options.Timeout);
        }

        var clock = new SnmpEngineClock(discovered.EngineId, discovered.EngineBoots, discovered.EngineTime);
        return _engines.AddOrUpdate(
            agent, clock, (_, existing) => existing.HasEngineId(clock.EngineId) ? existing : clock);
    }

    private SnmpEngineClock Adopt(IPEndPoint agent, UsmSecurityParameters reported, SnmpUsmError reason)
    {
        var clock = new SnmpEngineClock(reported.EngineId, reported.EngineBoots, reported.EngineTime);
        _engines[agent] = clock;
        _log.Debug($"SNMPv3 engine at '{agent}' answered {reason}; retrying once with its boots "
            + $"{clock.EngineBoots} and time {clock.EngineTimeAtSync}.");
        return clock;
    }

    /// <summary>An authenticated answer with a newer time moves the clock on (RFC 3414 §3.2 step 7b).</summary>
    private void Resynchronise(IPEndPoint agent, SnmpEngineClock clock, SnmpV3Message answer)
    {
        var security = answer.Security;
        if (answer.Flags.HasFlag(SnmpV3Flags.Authentication)
            && clock.HasEngineId(security.EngineId)
            && clock.IsOlderThan(security.EngineBoots, security.EngineTime))
        {
            _engines[agent] = new SnmpEngineClock(security.EngineId, security.EngineBoots, security.EngineTime);
        }
    }

    private static SnmpUsmError? ReportedError(SnmpV3Message answer)
    {
        var pdu = answer.Pdu!;
        if (pdu.Type != SnmpPduType.Report)
        {
            return null;
        }

        var oid = pdu.Variables.FirstOrDefault()?.Oid;
        if (oid is null || !oid.IsDescendantOf(s_usmStats) || oid.Components.Count < 10)
        {
            return SnmpUsmError.OtherReport;
        }

        switch (oid.Components[9])
        {
            case 1:
                return SnmpUsmError.UnsupportedSecurityLevel;
            case 2:
                return SnmpUsmError.NotInTimeWindow;
            case 3:
                return SnmpUsmError.UnknownUserName;
            case 4:
                return SnmpUsmError.UnknownEngineId;
            case 5:
                return SnmpUsmError.WrongDigest;
            case 6:
                return SnmpUsmError.DecryptionError;
            default:
                return SnmpUsmError.OtherReport;
        }
    }

    /// <summary>
    /// After an authPriv request went unanswered: if the same user gets an authenticated answer
    /// without privacy, the agent is alive and the user right, so the privacy settings are wrong.
    /// </summary>
    private async Task ThrowIfOnlyPrivacyFailsAsync(
        IPEndPoint agent,
        SnmpV3Credential credential,
        SnmpRequestOptions options,
        CancellationToken cancellationToken)
    {
        var probeOptions = new SnmpRequestOptions { Timeout = options.Timeout, Retries = 0 };
        var sysUpTime = new[] { ObjectIdentifier.Parse("1.3.6.1.2.1.1.3.0") };
        try
        {
            var probe = credential.WithoutPrivacy();
            await SecureRequestAsync(agent, probe, id => SnmpPdu.Get(id, sysUpTime), probeOptions, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (SnmpTimeoutException)
        {
            return;
        }
        catch (SnmpUsmException ex) when (ex.Error != SnmpUsmError.UnsupportedSecurityLevel)
        {
            return;
        }
        catch (SnmpUsmException)
        {
            // A user that exists only at authPriv still proves the authentication part right.
        }

        throw new SnmpUsmException(SnmpUsmError.DecryptionError, agent, credential.UserName, null);
    }

    private bool TryOpen(PendingRequest pending, byte[] datagram, SnmpV3Message message, out SnmpMessage opened)
    {
        opened = message;
        var result = pending.Security!.Open(datagram, message);
        if (result.Error.HasValue)
        {
            pending.Completion.TrySetException(
                new SnmpUsmException(result.Error.Value, pending.Agent, message.Security.UserName, null));
            return false;
        }

        if (result.Message is null)
        {
            Interlocked.Increment(ref _droppedUnauthenticated);
            _log.Debug($"Dropping an SNMPv3 answer from '{pending.Agent}': {result.DropReason}.");
            return false;
        }

        opened = result.Message;
        return true;
    }

    private byte[] NextSalt(SnmpPrivProtocol protocol, int engineBoots)
    {
        switch (protocol)
        {
            case SnmpPrivProtocol.None:
                return Array.Empty<byte>();
            case SnmpPrivProtocol.Des:
                return UsmPrivacy.DesSalt(engineBoots, (uint)Interlocked.Increment(ref _desSalt));
            default:
                return UsmPrivacy.AesSalt((ulong)Interlocked.Increment(ref _aesSalt));
        }
    }
}
