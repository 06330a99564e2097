using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.Credentials;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Credentials;

/// <summary>
/// Tries credential lists against a device's SSH, Telnet, HTTP (Basic and Digest), SNMP and MQTT logins
/// with the existing probes, production-safe: a cap per protocol, a pause between attempts, a stop at
/// the first success, and never more failures per account than <see cref="CredentialTestOptions"/>
/// allows within its window. Logs name accounts, never passwords.
/// </summary>
public sealed class CredentialTester
{
    private readonly CredentialTestOptions _options;
    private readonly IActivityLog _log;
    private readonly LockoutGuard _guard;

    public CredentialTester(CredentialTestOptions options, IActivityLog log, LockoutGuard? guard = null)
    {
        _options = options;
        _log = log;
        _guard = guard ?? LockoutGuard.Shared;
    }

    /// <summary>One finding per target of the options (or per standard target when none is given).</summary>
    public async Task<IReadOnlyList<CredentialFinding>> TestAsync(
        IoTDevice device, CancellationToken cancellationToken)
    {
        var targets = _options.Targets.Count > 0
            ? _options.Targets.ToList()
            : CredentialTestOptions.StandardTargets().ToList();
        var findings = new List<CredentialFinding>();
        foreach (var target in targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pairs = _options.Credentials.Count > 0
                ? (IReadOnlyList<CredentialPair>)_options.Credentials
                : DefaultCredentialList.BuiltIn.OrderFor(device.Vendor, device.Profile, ListName(target.Protocol));
            findings.Add(await TestTargetAsync(device.Address, target, pairs, cancellationToken)
                .ConfigureAwait(false));
        }

        return findings;
    }

    private static string ListName(CredentialProtocol protocol) =>
        protocol == CredentialProtocol.Http ? "http" : protocol.ToString().ToLowerInvariant();

    private async Task<CredentialFinding> TestTargetAsync(
        string address, CredentialTarget target, IReadOnlyList<CredentialPair> pairs, CancellationToken ct)
    {
        if (target.Protocol != CredentialProtocol.Snmp
            && await UnreachableAsync(address, target, _options.Timeout, ct).ConfigureAwait(false) is { } closed)
        {
            return closed;
        }

        return await TestReachableAsync(address, target, pairs, ct).ConfigureAwait(false);
    }

    private Task<CredentialFinding> TestReachableAsync(
        string address, CredentialTarget target, IReadOnlyList<CredentialPair> pairs, CancellationToken ct)
    {
        switch (target.Protocol)
        {
            case CredentialProtocol.Ssh:
                return TrySequenceAsync(
                    address, target, pairs, null, (pair, token) => SshAsync(address, target, pair, token), ct);
            case CredentialProtocol.Telnet:
                return TrySequenceAsync(
                    address, target, pairs, null, (pair, token) => TelnetAsync(address, target, pair, token), ct);
            case CredentialProtocol.Http:
                return HttpAsync(address, target, pairs, ct);
            case CredentialProtocol.Mqtt:
                return MqttAsync(address, target, pairs, ct);
            default:
                return SnmpAsync(address, target, pairs, ct);
        }
    }

    /// <summary>
    /// The shared loop: pairs in order until one is accepted, the cap is reached, or the service
    /// stops answering. Accounts at their failure limit are skipped, not tried.
    /// </summary>
    private async Task<CredentialFinding> TrySequenceAsync(
        string address,
        CredentialTarget target,
        IReadOnlyList<CredentialPair> pairs,
        string? method,
        Func<CredentialPair, CancellationToken, Task<AttemptResult>> attempt,
        CancellationToken ct)
    {
        var where = $"{target.Protocol} {address}:{target.Port}";
        var cap = Math.Max(0, _options.MaxAttemptsPerProtocol);
        var attempts = 0;
        var skipped = 0;
        var refused = new List<string>();
        foreach (var pair in pairs)
        {
            if (attempts >= cap)
            {
                break;
            }

            var account = LockoutGuard.AccountKey(address, target, pair.UserName);
            if (!_guard.TryReserve(account, _options.MaxFailuresPerAccount, _options.LockoutWindow))
            {
                skipped++;
                continue;
            }

            if (attempts > 0)
            {
                await Task.Delay(_options.DelayBetweenAttempts, ct).ConfigureAwait(false);
            }

            attempts++;
            _log.Verbose($"Test-IoTCredential: attempt {attempts} of at most {cap} on {where} as '{pair.UserName}'.");
            var result = await attempt(pair, ct).ConfigureAwait(false);
            switch (result.Outcome)
            {
                case LoginOutcome.Accepted:
                    _guard.Clear(account);
                    return new CredentialFinding(address, target, CredentialStatus.Accepted,
                        $"{where} accepted {pair.UserName} / {pair.MaskedPassword} on attempt {attempts}"
                        + $" ({result.Detail})")
                    {
                        UserName = pair.UserName,
                        MaskedPassword = pair.MaskedPassword,
                        Method = method,
                        Attempts = attempts,
                        SkippedForLockout = skipped,
                    };
                case LoginOutcome.Rejected:
                    _guard.RecordFailure(account);
                    refused.Add(pair.ToString());
                    continue;
                default:
                    return Stopped(address, target, result, attempts, skipped, method);
            }
        }

        var summary = attempts == 0
            ? $"{where}: nothing tried ({skipped} pairs skipped: their accounts reached the failure limit)"
            : $"{where} refused {string.Join(", ", refused)}"
                + (skipped > 0 ? $"; {skipped} pairs skipped for lockout safety" : string.Empty);
        return new CredentialFinding(address, target, CredentialStatus.NotAccepted, summary)
        {
            Method = method,
            Attempts = attempts,
            SkippedForLockout = skipped,
        };
    }

    private static CredentialFinding Stopped(
        string address, CredentialTarget target, AttemptResult result, int attempts, int skipped, string? method)
    {
        var where = $"{target.Protocol} {address}:{target.Port}";
        var closed = attempts == 1 && result.Outcome == LoginOutcome.ConnectionFailed;
        var noLogin = result.Outcome == LoginOutcome.NoPasswordMethod || result.Outcome == LoginOutcome.NoLoginPrompt;
        var status = closed || noLogin ? CredentialStatus.NotApplicable : CredentialStatus.Error;
        var tries = attempts == 1 ? "1 attempt" : $"{attempts} attempts";
        var detail = closed ? $"{where}: not reachable ({result.Detail})"
            : noLogin ? $"{where}: no password login ({result.Detail})"
            : $"{where}: stopped after {tries}, {result.Outcome}: {result.Detail}";
        return new CredentialFinding(address, target, status, detail)
        {
            Method = method,
            Attempts = attempts,
            SkippedForLockout = skipped,
        };
    }

    private async Task<AttemptResult> SshAsync(
        string address, CredentialTarget target, CredentialPair pair, CancellationToken ct)
    {
        var result = await SshProbe.TryPasswordLoginAsync(
            address, target.Port, pair, _options.Timeout, _options.HostKeyPolicy, ct).ConfigureAwait(false);
        var key = result.HostKeyFingerprint is null ? string.Empty : $", host key {result.HostKeyFingerprint}";
        return new AttemptResult(result.Outcome, result.Detail + key);
    }

    private async Task<AttemptResult> TelnetAsync(
        string address, CredentialTarget target, CredentialPair pair, CancellationToken ct)
    {
        var result = await TelnetProbe.TryLoginAsync(address, target.Port, pair, _options.Timeout, ct)
            .ConfigureAwait(false);
        return new AttemptResult(result.Outcome, result.Detail);
    }

    private async Task<CredentialFinding> HttpAsync(
        string address, CredentialTarget target, IReadOnlyList<CredentialPair> pairs, CancellationToken ct)
    {
        var url = new UriBuilder("http", address, target.Port, _options.HttpPath).Uri;
        var challenged = await HttpAuthProbe.GetAsync(url, _options.Timeout, ct).ConfigureAwait(false);
        if (!challenged.Answered || !challenged.RequiresAuthentication)
        {
            var why = challenged.Answered ? $"HTTP {challenged.StatusCode} without a Basic or Digest challenge"
                : challenged.Detail;
            var status = challenged.Answered || challenged.Status == LoginOutcome.ConnectionFailed
                ? CredentialStatus.NotApplicable
                : CredentialStatus.Error;
            return new CredentialFinding(address, target, status, $"Http {url}: {why}");
        }

        var method = challenged.Digest is not null ? "Digest" : "Basic";
        return await TrySequenceAsync(address, target, pairs, method, async (pair, token) =>
        {
            // Digest nonces may be single-use: every attempt answers a fresh challenge.
            var fresh = await HttpAuthProbe.GetAsync(url, _options.Timeout, token).ConfigureAwait(false);
            var response = await HttpAuthProbe.TryLoginAsync(fresh.RequiresAuthentication ? fresh : challenged,
                pair, _options.Timeout, token).ConfigureAwait(false);
            return new AttemptResult(response.Status, $"{method}, {response.Detail}");
        }, ct).ConfigureAwait(false);
    }

    private async Task<CredentialFinding> MqttAsync(
        string address, CredentialTarget target, IReadOnlyList<CredentialPair> pairs, CancellationToken ct)
    {
        var anonymous = await MqttProbe.ConnectAsync(address, target.Port, null, null, _options.Timeout, ct)
            .ConfigureAwait(false);
        if (anonymous.Outcome == LoginOutcome.Accepted)
        {
            return new CredentialFinding(address, target, CredentialStatus.Anonymous,
                $"Mqtt {address}:{target.Port} accepts clients without any login ({anonymous.Detail})");
        }

        if (anonymous.Outcome != LoginOutcome.Rejected)
        {
            var result = new AttemptResult(anonymous.Outcome, anonymous.Detail);
            return Stopped(address, target, result, 1, 0, null);
        }

        return await TrySequenceAsync(address, target, pairs, null, async (pair, token) =>
        {
            var result = await MqttProbe.ConnectAsync(address, target.Port, pair.UserName, pair.Password,
                _options.Timeout, token).ConfigureAwait(false);
            return new AttemptResult(result.Outcome, result.Detail);
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Communities are not accounts and agents drop wrong ones silently, so they are sent together
    /// (the distinct passwords of the admin's list, else the well-known communities; capped) and the
    /// whole test takes one timeout.
    /// </summary>
    private async Task<CredentialFinding> SnmpAsync(
        string address, CredentialTarget target, IReadOnlyList<CredentialPair> pairs, CancellationToken ct)
    {
        // Without a list of its own the well-known communities are tried, not the login passwords.
        var candidates = _options.Credentials.Count == 0
            ? SnmpCommunityProbe.DefaultCommunities
            : pairs.Select(p => p.Password);
        var communities = candidates.Where(p => p.Length > 0).Distinct(StringComparer.Ordinal)
            .Take(Math.Max(0, _options.MaxAttemptsPerProtocol)).ToList();
        if (!IPAddress.TryParse(address, out var ip))
        {
            return new CredentialFinding(address, target, CredentialStatus.Error, "SNMP needs an IP address");
        }

        try
        {
            using var client = new SnmpClient(_log);
            var options = new SnmpRequestOptions { Timeout = _options.Timeout, Retries = 0 };
            var answers = await SnmpCommunityProbe.TryCommunitiesAsync(client, new IPEndPoint(ip, target.Port),
                communities, SnmpCommunityProbe.SystemOids, options, ct).ConfigureAwait(false);
            return answers.FirstOrDefault() is { } first
                ? CommunityAccepted(address, target, first, communities.Count)
                : await NoCommunityAnsweredAsync(client, address, target, communities.Count, options, ct)
                    .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SnmpException || ex is System.Net.Sockets.SocketException)
        {
            return new CredentialFinding(address, target, CredentialStatus.Error,
                $"Snmp {address}:{target.Port}: {ex.Message}") { Attempts = communities.Count };
        }
    }

    private static CredentialFinding CommunityAccepted(string address, CredentialTarget target,
        SnmpCommunityAnswer first, int tried)
    {
        var version = SnmpCommunityProbe.Label(first.Version);
        return new CredentialFinding(address, target, CredentialStatus.Accepted,
            $"Snmp {address}:{target.Port} answered the community {first.MaskedCommunity} over {version}")
        {
            UserName = "(community)",
            MaskedPassword = first.MaskedCommunity,
            Method = version,
            Attempts = tried,
        };
    }

    /// <summary>
    /// Agents drop wrong communities silently, so silence alone cannot tell "refused" from "no agent": the
    /// SNMPv3 engine discovery, which every agent of this century answers without any secret, tells them apart.
    /// </summary>
    private static async Task<CredentialFinding> NoCommunityAnsweredAsync(SnmpClient client, string address,
        CredentialTarget target, int tried, SnmpRequestOptions options, CancellationToken ct)
    {
        var where = $"Snmp {address}:{target.Port}";
        var engine = await client.DiscoverEngineAsync(new IPEndPoint(IPAddress.Parse(address), target.Port), options,
            ct).ConfigureAwait(false);
        if (engine is null)
        {
            return new CredentialFinding(address, target, CredentialStatus.NotApplicable,
                $"{where}: no SNMP agent answered {tried} communities nor an SNMPv3 engine discovery "
                + "(none listens, UDP is filtered, or an agent without SNMPv3 refused them all)") { Attempts = tried };
        }

        return new CredentialFinding(address, target, CredentialStatus.NotAccepted,
            $"{where}: the agent (engine {engine.EngineIdHex}) answered none of {tried} communities")
        {
            Attempts = tried,
        };
    }

    /// <summary>
    /// One TCP connection before any login, so every protocol reads a port alike, whichever probe would have
    /// noticed first: a refused connection is a closed port (NotApplicable), while no answer or no route
    /// leaves the logins unknown (Error), as an audit of an unreachable device does.
    /// </summary>
    private static async Task<CredentialFinding?> UnreachableAsync(string address, CredentialTarget target,
        TimeSpan timeout, CancellationToken ct)
    {
        var state = await TcpPortProbe.ProbeAsync(address, target.Port, timeout, ct).ConfigureAwait(false);
        var where = $"{target.Protocol} {address}:{target.Port}";
        if (state == PortState.Open)
        {
            return null;
        }

        var why = state == PortState.Closed ? "connection refused: port closed"
            : state == PortState.Timeout ? $"no answer within {timeout.TotalSeconds:0.#} s: host down or port filtered"
            : "no route to the host";
        return state == PortState.Closed
            ? new CredentialFinding(address, target, CredentialStatus.NotApplicable, $"{where}: {why}")
            : new CredentialFinding(address, target, CredentialStatus.Error,
                $"{where}: not reachable ({why}); nothing could be tried");
    }

    private readonly struct AttemptResult
    {
        public AttemptResult(LoginOutcome outcome, string detail)
        {
            Outcome = outcome;
            Detail = detail;
        }

        public LoginOutcome Outcome { get; }

        public string Detail { get; }
    }
}
