using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IoTAdmin.Engine.Exposure;
using IoTAdmin.Engine.Probes;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Disable-IoTService: switches a network service (Telnet by default) off on devices over SSH, for
/// good, whichever init system starts it, then proves from outside that its port is closed
/// (SYS.4.4.M5, M11, M13).
/// </summary>
[ImplementsMeasures("SYS.4.4.M5", "SYS.4.4.M13")]
[Cmdlet(VerbsLifecycle.Disable, "IoTService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ServiceDisableResult))]
public sealed class DisableIoTServiceCommand : SshCommandBase
{
    /// <summary>
    /// Gets or sets the service to switch off: telnet, ftp, http, upnp, snmp, mqtt, rtsp or an init-script name.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidatePattern("^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")]
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the TCP port proven closed afterwards; the service's usual port by default.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int ServicePort { get; set; }

    protected override void ProcessRecord()
    {
        var login = default(Engine.Ssh.SshLogin);
        foreach (var address in Address)
        {
            var action = $"Disable the service '{Name}' persistently (init scripts, inetd, inittab) and stop it";
            if (!ShouldProcess(address, action))
            {
                continue;
            }

            login ??= BuildLogin();
            var device = address.Trim();
            RecordChange(device, () => DisableOn(device, login));
        }
    }

    private void DisableOn(string address, Engine.Ssh.SshLogin login)
    {
        var result = new ServiceDisableResult(address, Name);
        result.Port = ServicePort > 0 ? ServicePort : ServiceDisableScript.StandardPort(Name);
        if (result.Port is int port)
        {
            result.StateBefore = RunEngine(token =>
                TcpPortProbe.ProbeAsync(address, port, TimeSpan.FromSeconds(3), token));
        }

        if (!TryWithShell(address, login, (shell, token) =>
                ServiceDisabler.RunScriptAsync(shell, Name, TimeoutSpan, token), out var outcome))
        {
            return;
        }

        result.Actions = outcome.Actions;
        Prove(result);
        if (outcome.Actions.Count == 0)
        {
            ReportNothingChanged(result, outcome.AlreadyOff);
        }

        WriteObject(result);
    }

    /// <summary>
    /// Nothing enabled was found. On a re-run of fleet hardening the service is simply already off: the
    /// device shows it switched off and its port, when known, is not open. Anything else is an error.
    /// </summary>
    private void ReportNothingChanged(ServiceDisableResult result, IReadOnlyList<string> alreadyOff)
    {
        if (alreadyOff.Count > 0 && result.StateAfter != PortState.Open)
        {
            result.Detail = $"already off ({string.Join(", ", alreadyOff)})"
                + (result.StateAfter is PortState after ? $"; TCP {result.Port} is {after} from outside" : "");
            return;
        }

        var error = new InvalidOperationException(
            $"No enabled init script, unit, inetd or inittab entry for '{Name}' was found on {result.Address}; "
            + "nothing changed.");
        WriteError(new ErrorRecord(error, "ServiceNotFound", ErrorCategory.ObjectNotFound, result.Address));
    }

    private void Prove(ServiceDisableResult result)
    {
        if (result.Port is not int port)
        {
            result.Detail = $"no usual port for '{Name}': give -ServicePort to have it checked from outside";
            WriteWarning(result.Detail);
            return;
        }

        result.StateAfter = RunEngine(token =>
            ServiceDisabler.WaitClosedAsync(result.Address, port, TimeSpan.FromSeconds(3), token));
        result.Detail = $"TCP {port} from outside: {result.StateBefore} before, {result.StateAfter} after; "
            + $"{result.Actions.Count} change(s)";
        if (result.StateAfter == PortState.Open)
        {
            var error = new InvalidOperationException(
                $"TCP {port} on {result.Address} still accepts connections after disabling '{Name}' "
                + $"({string.Join(", ", result.Actions.DefaultIfEmpty("no change made"))}).");
            WriteError(new ErrorRecord(error, "ServiceStillListening", ErrorCategory.InvalidResult, result.Address));
        }
    }
}
