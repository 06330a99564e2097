using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Firmware;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Maintenance;

/// <summary>How a restart of one device ended.</summary>
public enum RestartStatus
{
    /// <summary>The device went down, came back and every service that answered before answers again.</summary>
    Restarted,

    /// <summary>-WhatIf, or the operator declined.</summary>
    NotConfirmed,

    /// <summary>The restart command was refused; the device kept running.</summary>
    Failed,

    /// <summary>The device did not answer again within the timeout: check it by hand.</summary>
    NotReturned,

    /// <summary>The device came back, but some services that answered before do not.</summary>
    ServicesMissing,

    /// <summary>
    /// The device answers, but processes from before the restart still run: the command did not restart it,
    /// and whatever lived in memory may live on.
    /// </summary>
    NotRestarted,
}

/// <summary>The record of one device restart (SYS.4.4.M16), with the malware signs seen before it.</summary>
public sealed class RestartResult
{
    public RestartResult(string address)
    {
        Address = address;
    }

    public string Address { get; }

    public RestartStatus Status { get; set; } = RestartStatus.Failed;

    public string Message { get; set; } = string.Empty;

    /// <summary>TCP ports that answered before the restart.</summary>
    public List<int> ServicesBefore { get; } = new List<int>();

    /// <summary>TCP ports that answered once the device was back.</summary>
    public List<int> ServicesAfter { get; } = new List<int>();

    /// <summary>Signs of memory-resident malware seen just before the restart wiped memory.</summary>
    public List<MalwareSign> MalwareSigns { get; } = new List<MalwareSign>();

    /// <summary>Whether the malware check ran (it needs the administrative shell).</summary>
    public bool MalwareChecked { get; set; }

    public bool DownObserved { get; set; }

    /// <summary>Processes ("PID (name)") that ran before the restart and still run after it.</summary>
    public List<string> Survivors { get; } = new List<string>();

    /// <summary>The processes before the restart; null when the device's /proc could not be read.</summary>
    internal ProcessSnapshot? ProcessesBefore { get; set; }

    public TimeSpan Duration { get; set; }

    public override string ToString() => $"{Address}: {Status} - {Message}";
}

/// <summary>
/// Restarts a device through its administrative shell: records which TCP services answer, optionally
/// looks for malware signs first (a restart erases the evidence), starts the restart command detached
/// so the session ends cleanly, then waits, bounded, for the device to go down and for every service
/// to answer again, and finally proves that every process from before was replaced.
/// </summary>
public sealed class DeviceRestarter
{
    /// <summary>Ports checked when the caller names none.</summary>
    public static readonly IReadOnlyList<int> DefaultPorts = new[] { 22, 23, 80, 443, 554, 1883, 8080, 8443 };

    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_downWindow = TimeSpan.FromSeconds(30);

    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ReturnTimeout { get; set; } = TimeSpan.FromSeconds(120);

    public bool CheckMalware { get; set; } = true;

    /// <summary>The TCP port whose answer means the device is up (its SSH port).</summary>
    public int ServicePort { get; set; } = 22;

    public IReadOnlyList<int> Ports { get; set; } = DefaultPorts;

    /// <summary>Records services (and malware signs) before the restart; call before StartAsync.</summary>
    public async Task<RestartResult> SurveyAsync(string address, IDeviceSession session,
        CancellationToken cancellationToken)
    {
        var result = new RestartResult(address);
        result.ServicesBefore.AddRange(await OpenPortsAsync(address, cancellationToken).ConfigureAwait(false));
        result.ProcessesBefore = await ProcessSnapshot.ReadAsync(session, CommandTimeout, cancellationToken)
            .ConfigureAwait(false);
        if (CheckMalware)
        {
            result.MalwareSigns.AddRange(await MalwareSignCheck.RunAsync(session, CommandTimeout, cancellationToken)
                .ConfigureAwait(false));
            result.MalwareChecked = true;
        }

        return result;
    }

    /// <summary>
    /// Starts the restart command detached (with a short delay, so the session can close before the
    /// device goes); false when the device refused it. Close the session, then call
    /// <see cref="AwaitReturnAsync"/>.
    /// </summary>
    public async Task<bool> StartAsync(RestartResult result, IDeviceSession session, string command,
        CancellationToken cancellationToken)
    {
        var detached = $"( sleep 1; {command} ) </dev/null >/dev/null 2>&1 &";
        var run = await session.RunAsync(detached, CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (run.TimedOut || run.ExitStatus is not null and not 0)
        {
            result.Status = RestartStatus.Failed;
            result.Message = $"the restart command was refused: {run.Error.Trim()}";
            return false;
        }

        return true;
    }

    /// <summary>Waits, bounded, for the device to go down, come back and answer on every earlier service.</summary>
    public async Task AwaitReturnAsync(RestartResult result, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await WaitForReturnAsync(result, clock, cancellationToken).ConfigureAwait(false);
        result.Duration = clock.Elapsed;
    }

    /// <summary>
    /// After a return with every service back: proves through a new session that no process from before the
    /// restart still runs (else the result becomes <see cref="RestartStatus.NotRestarted"/>).
    /// </summary>
    public async Task ConfirmAsync(RestartResult result, IDeviceSession session, CancellationToken cancellationToken)
    {
        if (result.Status != RestartStatus.Restarted)
        {
            return;
        }

        var after = await ProcessSnapshot.ReadAsync(session, CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (result.ProcessesBefore is null || after is null)
        {
            result.Message += "; whether every process was replaced could not be read (no /proc)";
            return;
        }

        result.Survivors.AddRange(result.ProcessesBefore.Survivors(after));
        if (result.Survivors.Count == 0)
        {
            result.Message += $"; none of the {result.ProcessesBefore.Count} processes from before still runs";
            return;
        }

        result.Status = RestartStatus.NotRestarted;
        result.Message = $"{result.Survivors.Count} of {result.ProcessesBefore.Count} processes from before still "
            + $"run ({string.Join(", ", result.Survivors.Take(5))}): the command did not restart the device";
    }

    /// <summary>Confirmation needs a new login; when that fails the restart stands, unconfirmed.</summary>
    public static void ConfirmationFailed(RestartResult result, string reason) =>
        result.Message += $"; not confirmed that every process was replaced ({reason})";

    private async Task WaitForReturnAsync(RestartResult result, Stopwatch clock, CancellationToken cancellationToken)
    {
        var downLimit = ReturnTimeout < s_downWindow ? ReturnTimeout : s_downWindow;
        result.DownObserved = await WaitAsync(result.Address, false, downLimit, cancellationToken)
            .ConfigureAwait(false);
        // A device never seen down answered throughout: it is back, whatever time is left.
        var back = !result.DownObserved || await WaitAsync(result.Address, true, ReturnTimeout - clock.Elapsed,
            cancellationToken).ConfigureAwait(false);
        if (!back)
        {
            result.Status = RestartStatus.NotReturned;
            result.Message = $"tcp/{ServicePort} did not answer within {ReturnTimeout.TotalSeconds:0} s";
            return;
        }

        await WaitForServicesAsync(result, clock, cancellationToken).ConfigureAwait(false);
    }

    private async Task WaitForServicesAsync(RestartResult result, Stopwatch clock, CancellationToken cancellationToken)
    {
        // Services start one after another after boot; give them the rest of the timeout.
        while (true)
        {
            result.ServicesAfter.Clear();
            var open = await OpenPortsAsync(result.Address, cancellationToken).ConfigureAwait(false);
            result.ServicesAfter.AddRange(open);
            var missing = result.ServicesBefore.Except(result.ServicesAfter).ToList();
            if (missing.Count == 0)
            {
                result.Status = RestartStatus.Restarted;
                var down = result.DownObserved ? "went down and " : "(no down time observed) ";
                result.Message = $"{down}is back with tcp/{string.Join(", ", result.ServicesAfter)}";
                return;
            }

            if (clock.Elapsed >= ReturnTimeout)
            {
                result.Status = RestartStatus.ServicesMissing;
                result.Message = $"back, but tcp/{string.Join(", ", missing)} no longer answer";
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<int>> OpenPortsAsync(string address, CancellationToken cancellationToken)
    {
        var ports = Ports.Concat(new[] { ServicePort }).Distinct().ToList();
        var states = await Task.WhenAll(ports.Select(p => TcpPortProbe.ProbeAsync(address, p, s_probeTimeout,
            cancellationToken))).ConfigureAwait(false);
        return ports.Where((p, i) => states[i] == PortState.Open).OrderBy(p => p).ToList();
    }

    private async Task<bool> WaitAsync(string address, bool up, TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var state = await TcpPortProbe.ProbeAsync(address, ServicePort, s_probeTimeout, cancellationToken)
                .ConfigureAwait(false);
            if ((state == PortState.Open) == up)
            {
                return true;
            }

            await Task.Delay(s_pollInterval, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }
}
