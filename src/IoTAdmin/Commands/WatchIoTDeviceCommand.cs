using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using IoTAdmin.Engine.ActionLog;
using IoTAdmin.Engine.Monitoring;
using IoTAdmin.Engine.Snmp;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Watch-IoTDevice: polls devices for reachability, reboots (sysUpTime going backwards) and SNMP readings
/// against limits, and writes alert objects as they happen, optionally also to syslog and a webhook
/// (SYS.4.4 M22). Runs -Count rounds, or until stopped when -Count is 0.
/// </summary>
[ImplementsMeasures("SYS.4.4.M22")]
[Cmdlet(VerbsCommon.Watch, "IoTDevice")]
[OutputType(typeof(DeviceAlert))]
public sealed class WatchIoTDeviceCommand : IoTCmdletBase, IDisposable
{
    private readonly List<WatchTarget> _targets = new();
    private readonly ConcurrentQueue<DeviceAlert> _alerts = new();
    private SnmpClient? _client;

    /// <summary>Gets or sets the devices' IPv4 addresses; IoTDevice objects bind by Address.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress", "ComputerName")]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the device name shown in alerts (bound from IoTDevice objects).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the SNMP credential for sysUpTime and readings; without it only reachability.</summary>
    [Parameter]
    public SnmpCredential? Credential { get; set; }

    /// <summary>Gets or sets the UDP port of the SNMP agents.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 161;

    /// <summary>Gets or sets the seconds between the starts of two polling rounds.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int Interval { get; set; } = 60;

    /// <summary>Gets or sets the number of rounds; 0 polls until the pipeline is stopped.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Count { get; set; }

    /// <summary>Gets or sets readings and limits: hashtables with Name, Oid, Min, Max and Divisor.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable[] Threshold { get; set; } = Array.Empty<Hashtable>();

    /// <summary>Gets or sets a syslog receiver for alerts: udp://, tcp:// or tls://host:port.</summary>
    [Parameter]
    public string? SyslogTarget { get; set; }

    /// <summary>Gets or sets a URL that receives each alert as a JSON POST.</summary>
    [Parameter]
    public Uri? WebhookUri { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var address in Address)
        {
            // Literal addresses only: a watch must not send DNS queries nobody asked for.
            if (System.Net.IPAddress.TryParse(address?.Trim(), out _))
            {
                _targets.Add(new WatchTarget(address!.Trim(), Name));
                continue;
            }

            var error = new ArgumentException($"'{address}' is not an IP address.");
            WriteError(new ErrorRecord(error, "InvalidAddress", ErrorCategory.InvalidArgument, address));
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (!TryBuildOptions(out var options, out var syslog))
        {
            return;
        }

        _client = new SnmpClient(Log);
        using var forwarder = new AlertForwarder(syslog, WebhookUri, Log);
        var watcher = new DeviceWatcher(_targets, options, _client, alert =>
        {
            _alerts.Enqueue(alert);
            forwarder.ForwardAsync(alert, StopToken).GetAwaiter().GetResult();
        }, Log);
        WriteVerbose($"Watching {_targets.Count} device(s) every {Interval} s"
            + (Count == 0 ? " until stopped." : $" for {Count} round(s)."));
        RunEngine(async token =>
        {
            await watcher.RunAsync(token).ConfigureAwait(false);
            return 0;
        }, WriteAlerts);
        WriteAlerts();
        base.EndProcessing();
        Dispose();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _client?.Dispose();
        _client = null;
    }

    private void WriteAlerts()
    {
        while (_alerts.TryDequeue(out var alert))
        {
            // A failing reading hides reboots and limits, so it is said on the console even when alerts are piped.
            if (alert.Kind == DeviceAlertKind.ReadingFailed)
            {
                WriteWarning($"{alert.Device}: {alert.Message}");
            }

            WriteObject(alert);
        }
    }

    private bool TryBuildOptions(out WatchOptions options, out SyslogTarget? syslog)
    {
        options = new WatchOptions
        {
            Interval = TimeSpan.FromSeconds(Interval),
            Count = Count,
            Snmp = Credential,
            SnmpPort = Port,
        };
        syslog = null;
        try
        {
            syslog = string.IsNullOrEmpty(SyslogTarget) ? null : Engine.ActionLog.SyslogTarget.Parse(SyslogTarget!);
            foreach (var table in Threshold)
            {
                options.Thresholds.Add(ToThreshold(table));
            }

            return true;
        }
        catch (Exception ex) when (ex is FormatException || ex is ArgumentException || ex is InvalidCastException)
        {
            WriteError(new ErrorRecord(ex, "InvalidWatchParameter", ErrorCategory.InvalidArgument, null));
            return false;
        }
    }

    private static ReadingThreshold ToThreshold(Hashtable table)
    {
        var oid = table["Oid"]?.ToString() ?? throw new ArgumentException("A threshold has no Oid.");
        var threshold = new ReadingThreshold(table["Name"]?.ToString() ?? oid, MibNames.Resolve(oid))
        {
            Minimum = Number(table["Min"]),
            Maximum = Number(table["Max"]),
            Divisor = Number(table["Divisor"]) ?? 1,
        };
        if (threshold.Minimum is null && threshold.Maximum is null)
        {
            throw new ArgumentException($"The threshold '{threshold.Name}' has neither Min nor Max.");
        }

        return threshold;
    }

    private static double? Number(object? value) => value is null
        ? null
        : Convert.ToDouble(PSObject.AsPSObject(value).BaseObject, CultureInfo.InvariantCulture);
}
