using System;
using System.Linq;
using System.Management.Automation;
using IoTAdmin.Engine.DeviceLogs;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Get-IoTDeviceLog: reads a device's own logs over SSH (logread, /var/log files) and writes each line as
/// an object, with failed logins, unknown users and logins recognised (SYS.4.4 M18).
/// </summary>
[ImplementsMeasures("SYS.4.4.M18")]
[Cmdlet(VerbsCommon.Get, "IoTDeviceLog")]
[OutputType(typeof(DeviceLogEvent))]
public sealed class GetIoTDeviceLogCommand : SshCommandBase
{
    /// <summary>Gets or sets further log files on the device to read.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] LogPath { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets how many lines are read from the end of each source.</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int Tail { get; set; } = 500;

    /// <summary>Gets or sets the earliest time of events to return; lines without a time are kept.</summary>
    [Parameter]
    public DateTime? After { get; set; }

    /// <summary>Gets or sets the kinds of events to return (all by default).</summary>
    [Parameter]
    public DeviceLogEventKind[]? Kind { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        SshLoginOrError(out var login);
        if (login is null)
        {
            return;
        }

        var collector = new DeviceLogCollector { MaxLinesPerSource = Tail };
        collector.ExtraFiles.AddRange(LogPath);
        var after = After.HasValue ? new DateTimeOffset(After.Value.ToUniversalTime()) : (DateTimeOffset?)null;
        foreach (var address in Address)
        {
            WriteVerbose($"Reading the logs of '{address}'.");
            if (!TryWithShell(address, login,
                (shell, token) => collector.CollectAsync(shell, address, TimeoutSpan, token), out var events))
            {
                continue;
            }

            if (collector.LastRunTimedOut)
            {
                WriteWarning($"'{address}' did not finish listing its logs within {Timeout} s; showing what came.");
            }

            foreach (var entry in events.Where(e => Keep(e, after)))
            {
                WriteObject(entry);
            }
        }
    }

    private bool Keep(DeviceLogEvent entry, DateTimeOffset? after) =>
        (after is null || entry.Time is null || entry.Time >= after) && (Kind is null || Kind.Contains(entry.Kind));

    private void SshLoginOrError(out Engine.Ssh.SshLogin? login)
    {
        try
        {
            login = BuildLogin();
        }
        catch (PSArgumentException ex)
        {
            login = null;
            WriteError(new ErrorRecord(ex, "SshLoginMissing", ErrorCategory.InvalidArgument, null));
        }
    }
}
