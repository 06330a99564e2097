using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Probes;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Engine.Exposure;

/// <summary>What Disable-IoTService did on one device and what a scan from outside saw afterwards.</summary>
public sealed class ServiceDisableResult
{
    public ServiceDisableResult(string address, string name)
    {
        Address = address;
        Name = name;
    }

    public string Address { get; }

    /// <summary>The service asked for, e.g. telnet.</summary>
    public string Name { get; }

    /// <summary>
    /// The changes made, as "style:item" (initd:/etc/init.d/S30telnetd->/etc/init.d/K30telnetd, ...).
    /// </summary>
    public IReadOnlyList<string> Actions { get; set; } = new List<string>();

    /// <summary>
    /// The TCP port checked from outside; null when the service has no usual port and none was given.
    /// </summary>
    public int? Port { get; set; }

    public PortState? StateBefore { get; set; }

    public PortState? StateAfter { get; set; }

    /// <summary>True when the port no longer accepts connections from outside; null when not checked.</summary>
    public bool? PortClosed => StateAfter is null ? null : StateAfter != PortState.Open;

    public string Detail { get; set; } = string.Empty;
}

/// <summary>
/// Switches a service off on a device over an SSH shell with <see cref="ServiceDisableScript"/>
/// (fed on standard input, so it works in exec and PTY mode alike), then proves the port closed by
/// connecting from outside: a few attempts a second apart, since a daemon may take a moment to exit.
/// </summary>
public static class ServiceDisabler
{
    private const int CloseAttempts = 10;
    private static readonly TimeSpan s_betweenAttempts = TimeSpan.FromSeconds(1);

    /// <summary>Runs the disable script; returns its actions, or throws when it did not finish.</summary>
    /// <exception cref="InvalidOperationException">The script timed out or never reported completion.</exception>
    public static async Task<ServiceScriptOutcome> RunScriptAsync(
        DeviceShell shell,
        string service,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var script = ServiceDisableScript.Build(service, dryRun: false);
        var result = await shell.RunAsync("sh -s", script, timeout, cancellationToken).ConfigureAwait(false);
        if (result.TimedOut || !ServiceDisableScript.Completed(result.StandardOutput))
        {
            var reason = result.TimedOut ? $"did not finish within {timeout.TotalSeconds:0} s" : "stopped early";
            throw new InvalidOperationException(
                $"The disable script on {shell.Host} {reason} (exit {result.ExitStatus?.ToString() ?? "?"}): "
                + Tail(result.StandardError + result.StandardOutput));
        }

        return new ServiceScriptOutcome(
            ServiceDisableScript.ParseActions(result.StandardOutput),
            ServiceDisableScript.ParseAlreadyOff(result.StandardOutput));
    }

    /// <summary>Connects from outside until the port refuses or stays silent, at most ten times.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<PortState> WaitClosedAsync(
        string address,
        int port,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var state = PortState.Open;
        for (var attempt = 0; attempt < CloseAttempts && state == PortState.Open; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(s_betweenAttempts, cancellationToken).ConfigureAwait(false);
            }

            state = await TcpPortProbe.ProbeAsync(address, port, timeout, cancellationToken).ConfigureAwait(false);
        }

        return state;
    }

    private static string Tail(string text)
    {
        var trimmed = (text ?? string.Empty).Trim();
        return trimmed.Length > 300 ? "..." + trimmed.Substring(trimmed.Length - 300) : trimmed;
    }
}

/// <summary>What the disable script did, and where it found the service already off.</summary>
public sealed class ServiceScriptOutcome
{
    public ServiceScriptOutcome(IReadOnlyList<string> actions, IReadOnlyList<string> alreadyOff)
    {
        Actions = actions;
        AlreadyOff = alreadyOff;
    }

    /// <summary>The changes made, as "style:item".</summary>
    public IReadOnlyList<string> Actions { get; }

    /// <summary>Where the service was found switched off already, as "style:item".</summary>
    public IReadOnlyList<string> AlreadyOff { get; }
}
