using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Monitoring;

/// <summary>
/// Polls devices in rounds: reachability (SNMP answer or ICMP echo), sysUpTime (a value smaller than the last
/// one means a restart) and SNMP readings against their limits, raising <see cref="DeviceAlert"/>s on changes
/// of state. Its memory is one small state per device, whatever the number of rounds.
/// </summary>
/// <remarks>
/// sysUpTime counts from the SNMP agent's start, so restarting only the agent also reads as a reboot; the
/// 497-day wrap of the 32-bit counter is recognised and not reported. A reboot shorter than the interval is
/// seen as long as the agent answers at the next poll.
/// </remarks>
public sealed class DeviceWatcher
{
    private const double TicksPerSecond = 100;
    private static readonly ObjectIdentifier s_sysUpTime = ObjectIdentifier.Parse("1.3.6.1.2.1.1.3.0");
    private readonly WatchOptions _options;
    private readonly SnmpClient _client;
    private readonly Action<DeviceAlert> _onAlert;
    private readonly IActivityLog _log;
    private readonly DeviceState[] _states;

    public DeviceWatcher(IEnumerable<WatchTarget> targets, WatchOptions options, SnmpClient client,
        Action<DeviceAlert> onAlert, IActivityLog? log = null)
    {
        _options = options;
        _client = client;
        _onAlert = onAlert;
        _log = log ?? NullActivityLog.Instance;
        _states = targets.Select(t => new DeviceState(t)).ToArray();
    }

    /// <summary>Gets the number of rounds completed.</summary>
    public long Rounds { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (_options.Count == 0 || Rounds < _options.Count)
        {
            var clock = Stopwatch.StartNew();
            await PollRoundAsync(cancellationToken).ConfigureAwait(false);
            Rounds++;
            if (_options.Count != 0 && Rounds >= _options.Count)
            {
                return;
            }

            var wait = _options.Interval - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PollRoundAsync(CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, _options.Parallelism));
        var polls = _states.Select(async state =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await PollAsync(state, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(polls).ConfigureAwait(false);
    }

    private async Task PollAsync(DeviceState state, CancellationToken cancellationToken)
    {
        var poll = await SnmpAsync(state, cancellationToken).ConfigureAwait(false);
        var reachable = poll.Answered || await PingAsync(state.Target.Address).ConfigureAwait(false);
        CheckReachability(state, reachable);
        CheckSnmpFailure(state, poll);
        if (poll.Response is null || !poll.Response.IsSuccess)
        {
            return;
        }

        foreach (var variable in poll.Response.Variables)
        {
            if (variable.Oid.Equals(s_sysUpTime))
            {
                CheckUptime(state, variable.Value);
            }
        }

        foreach (var threshold in _options.Thresholds)
        {
            var variable = poll.Response.Variables.FirstOrDefault(v => v.Oid.Equals(threshold.Oid));
            CheckThreshold(state, threshold, variable?.Value);
        }
    }

    private async Task<SnmpPoll> SnmpAsync(DeviceState state, CancellationToken cancellationToken)
    {
        if (_options.Snmp is null || !IPAddress.TryParse(state.Target.Address, out var address))
        {
            return SnmpPoll.Silent;
        }

        var oids = new[] { s_sysUpTime }.Concat(_options.Thresholds.Select(t => t.Oid)).ToList();
        try
        {
            var agent = new IPEndPoint(address, _options.SnmpPort);
            var response = await _options.Snmp.GetAsync(_client, agent, oids, _options.SnmpRequest, cancellationToken)
                .ConfigureAwait(false);
            return response.IsSuccess
                ? new SnmpPoll(response, null)
                : new SnmpPoll(response, $"the agent answered {ErrorStatusName(response)} to the GET request");
        }
        catch (SnmpException ex)
        {
            // The agent answered but refused (USM: wrong passphrase, unknown user) or sent garbage: not down.
            _log.Verbose($"{state.Target.Address}: SNMP refused: {ex.Message}");
            return new SnmpPoll(null, ex.Message);
        }
        catch (Exception ex) when (ex is TimeoutException || ex is System.Net.Sockets.SocketException)
        {
            // Silence is what a dead device and a wrong community both give, so ICMP echo decides.
            _log.Verbose($"{state.Target.Address}: no SNMP answer: {ex.Message}");
            return SnmpPoll.Silent;
        }
    }

    private async Task<bool> PingAsync(string address)
    {
        try
        {
            using var ping = new Ping();
            var timeout = (int)_options.PingTimeout.TotalMilliseconds;
            var reply = await ping.SendPingAsync(address, timeout).ConfigureAwait(false);
            return reply.Status == IPStatus.Success;
        }
        catch (Exception ex) when (ex is PingException || ex is InvalidOperationException || ex is ArgumentException)
        {
            _log.Verbose($"{address}: ICMP echo failed ({ex.Message}).");
            return false;
        }
    }

    private void CheckReachability(DeviceState state, bool reachable)
    {
        var was = state.Reachable;
        state.Reachable = reachable;
        if (!reachable && was != false)
        {
            Raise(state, DeviceAlertKind.Unreachable, "Critical", "the device answers neither SNMP nor ICMP echo");
        }
        else if (reachable && was == false)
        {
            Raise(state, DeviceAlertKind.Recovered, "Information", "the device answers again");
        }
    }

    /// <summary>One ReadingFailed alert when SNMP answers but fails, then none until a GET succeeds again.</summary>
    private void CheckSnmpFailure(DeviceState state, SnmpPoll poll)
    {
        if (poll.Failure is null)
        {
            // A silent agent neither clears nor repeats the failure; only a successful GET clears it.
            state.SnmpFailing &= poll.Response is null;
            return;
        }

        if (!state.SnmpFailing)
        {
            state.SnmpFailing = true;
            Raise(state, DeviceAlertKind.ReadingFailed, "Warning",
                $"SNMP readings failed although the device answers: {poll.Failure.TrimEnd('.')}. sysUpTime and "
                + "the thresholds are not checked until a reading succeeds.");
        }
    }

    private void CheckUptime(DeviceState state, SnmpValue value)
    {
        if (value.Type != SnmpType.TimeTicks)
        {
            return;
        }

        var ticks = value.ToUInt64();
        var previous = state.UpTimeTicks;
        state.UpTimeTicks = ticks;
        if (previous is null || ticks >= previous)
        {
            return;
        }

        var margin = (ulong)(_options.Interval.TotalSeconds * TicksPerSecond * 4);
        var wrapped = previous > uint.MaxValue - margin && ticks < margin;
        if (!wrapped)
        {
            var alert = Raise(state, DeviceAlertKind.Rebooted, "Warning", string.Format(CultureInfo.InvariantCulture,
                "sysUpTime went back from {0} to {1}: the device restarted about {1} ago",
                Uptime(previous.Value), Uptime(ticks)));
            alert.Reading = "sysUpTime";
            alert.Value = ticks / TicksPerSecond;
            alert.PreviousValue = previous.Value / TicksPerSecond;
        }
    }

    private void CheckThreshold(DeviceState state, ReadingThreshold threshold, SnmpValue? raw)
    {
        if (raw is null || raw.IsException || !IsNumber(raw.Type))
        {
            if (state.ReadingFailed.Add(threshold.Name))
            {
                Raise(state, DeviceAlertKind.ReadingFailed, "Warning",
                    $"{threshold.Name} ({threshold.Oid}) gave no number: {raw?.ToString() ?? "no value"}").Reading =
                    threshold.Name;
            }

            return;
        }

        state.ReadingFailed.Remove(threshold.Name);
        var number = raw.Type == SnmpType.Integer ? raw.ToInt64() : (double)raw.ToUInt64();
        var value = number / threshold.Divisor;
        var side = value > threshold.Maximum ? 1 : value < threshold.Minimum ? -1 : 0;
        state.Sides.TryGetValue(threshold.Name, out var before);
        state.Sides[threshold.Name] = side;
        if (side == before)
        {
            return;
        }

        var alert = side != 0
            ? Raise(state, DeviceAlertKind.ThresholdExceeded, "Warning",
                $"{threshold.Name} is {value.ToString(CultureInfo.InvariantCulture)}, outside {threshold.Describe()}")
            : Raise(state, DeviceAlertKind.ThresholdCleared, "Information",
                $"{threshold.Name} is {value.ToString(CultureInfo.InvariantCulture)},"
                + $" back within {threshold.Describe()}");
        alert.Reading = threshold.Name;
        alert.Value = value;
        alert.Threshold = threshold.Describe();
    }

    private DeviceAlert Raise(DeviceState state, DeviceAlertKind kind, string severity, string message)
    {
        var alert = new DeviceAlert(state.Target.Address, kind, severity, message) { Name = state.Target.Name };
        _onAlert(alert);
        return alert;
    }

    private static string ErrorStatusName(SnmpResponse response)
    {
        // Written as RFC 3416 names it (authorizationError), as the agents' own logs do.
        var name = response.ErrorStatus == SnmpErrorStatus.UnknownError
            ? response.Pdu.RawErrorStatus.ToString(CultureInfo.InvariantCulture)
            : response.ErrorStatus.ToString();
        return char.ToLowerInvariant(name[0]) + name.Substring(1);
    }

    private static bool IsNumber(SnmpType type) => type is SnmpType.Integer or SnmpType.Counter32
        or SnmpType.Gauge32 or SnmpType.TimeTicks or SnmpType.Counter64;

    private static string Uptime(ulong ticks) =>
        TimeSpan.FromSeconds(ticks / TicksPerSecond).ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture);

    private sealed class DeviceState
    {
        public DeviceState(WatchTarget target) => Target = target;

        public WatchTarget Target { get; }

        public bool? Reachable { get; set; }

        public ulong? UpTimeTicks { get; set; }

        public Dictionary<string, int> Sides { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

        public HashSet<string> ReadingFailed { get; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Gets or sets whether the agent answers but its GET fails (refused, error-status).</summary>
        public bool SnmpFailing { get; set; }
    }

    /// <summary>One SNMP poll: the response, why an answering agent gave no readings, or neither (silence).</summary>
    private readonly struct SnmpPoll
    {
        public static readonly SnmpPoll Silent = new SnmpPoll(null, null);

        public SnmpPoll(SnmpResponse? response, string? failure)
        {
            Response = response;
            Failure = failure;
        }

        public SnmpResponse? Response { get; }

        public string? Failure { get; }

        public bool Answered => Response is not null || Failure is not null;
    }
}
