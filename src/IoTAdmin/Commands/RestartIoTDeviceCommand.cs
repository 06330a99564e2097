using System;
using System.Management.Automation;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Firmware;
using IoTAdmin.Engine.Maintenance;

namespace IoTAdmin.Commands;

/// <summary>
/// Restart-IoTDevice (SYS.4.4.M16): restarts devices over SSH, one after another, after looking for
/// signs of memory-resident malware (a restart erases them), and checks that every service that
/// answered before answers again.
/// </summary>
[ImplementsMeasures("SYS.4.4.M16")]
[Cmdlet(VerbsLifecycle.Restart, "IoTDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RestartResult))]
public sealed class RestartIoTDeviceCommand : SshCommandBase
{
    /// <summary>Gets or sets the device command that restarts it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Command { get; set; } = "reboot";

    /// <summary>Gets or sets the seconds the device may take to come back with all its services.</summary>
    [Parameter]
    [ValidateRange(5, 3600)]
    public int ReturnTimeout { get; set; } = 180;

    /// <summary>Gets or sets the TCP ports whose services must answer again (those open before the restart).</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int[] ServicePort { get; set; } = { 22, 23, 80, 443, 554, 1883, 8080, 8443 };

    /// <summary>Gets or sets whether the check for signs of memory-resident malware is left out.</summary>
    [Parameter]
    public SwitchParameter SkipMalwareCheck { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var address in Address)
        {
            if (!ShouldProcess(address, $"Restart the device with '{Command}' and wait for its services"))
            {
                continue;
            }

            var device = address.Trim();
            RecordChange(device, () => RestartOne(device));
        }
    }

    private void RestartOne(string address)
    {
        SshLoginOrStop(out var login);
        var restarter = new DeviceRestarter
        {
            CommandTimeout = TimeoutSpan,
            ReturnTimeout = TimeSpan.FromSeconds(ReturnTimeout),
            CheckMalware = !SkipMalwareCheck,
            ServicePort = Port,
            Ports = ServicePort,
        };
        if (!TryWithShell(address, login, async (shell, token) =>
            {
                var session = new DeviceShellSession(shell, owned: false);
                var survey = await restarter.SurveyAsync(address, session, token).ConfigureAwait(false);
                var started = await restarter.StartAsync(survey, session, Command, token).ConfigureAwait(false);
                return (survey, started);
            }, out var outcome))
        {
            return;
        }

        if (outcome.started)
        {
            RunEngine(async token =>
            {
                await restarter.AwaitReturnAsync(outcome.survey, token).ConfigureAwait(false);
                return true;
            });
            Confirm(restarter, outcome.survey, login);
        }

        Report(outcome.survey);
    }

    /// <summary>Logs in again to prove no process from before survived; a failed login leaves it unconfirmed.</summary>
    private void Confirm(DeviceRestarter restarter, RestartResult result, Engine.Ssh.SshLogin login)
    {
        if (result.Status != RestartStatus.Restarted)
        {
            return;
        }

        // A failed login is written as its own error (a host key changed by the restart matters).
        var confirmed = TryWithShell(result.Address, login, async (shell, token) =>
        {
            await restarter.ConfirmAsync(result, new DeviceShellSession(shell, owned: false), token)
                .ConfigureAwait(false);
            return true;
        }, out _);
        if (!confirmed)
        {
            DeviceRestarter.ConfirmationFailed(result, "the login after the restart failed");
        }
    }

    private void SshLoginOrStop(out Engine.Ssh.SshLogin login)
    {
        try
        {
            login = BuildLogin();
        }
        catch (PSArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "SshLoginMissing", ErrorCategory.InvalidArgument, null));
            throw;
        }
    }

    private void Report(RestartResult result)
    {
        foreach (var sign in result.MalwareSigns)
        {
            WriteWarning($"'{result.Address}' showed a sign of memory-resident malware before the restart: {sign}");
        }

        WriteObject(result);
        var errorId = result.Status switch
        {
            RestartStatus.Failed => "RestartFailed",
            RestartStatus.NotReturned => "DeviceNotReturned",
            RestartStatus.ServicesMissing => "ServicesMissing",
            RestartStatus.NotRestarted => "DeviceNotRestarted",
            _ => null,
        };
        if (errorId is not null)
        {
            var error = new InvalidOperationException(
                $"Restart of '{result.Address}': {result.Status}: {result.Message}");
            WriteError(new ErrorRecord(error, errorId, ErrorCategory.ResourceUnavailable, result.Address));
        }
    }
}
