using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Exposure;
using IoTAdmin.Engine.Probes;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Get-IoTService: scans devices from outside with TCP connects (and SNMP on UDP with -Snmp) and
/// names the service on each open port from its banner or a light probe (SYS.4.4.M13).
/// </summary>
[ImplementsMeasures("SYS.4.4.M5", "SYS.4.4.M13")]
[Cmdlet(VerbsCommon.Get, "IoTService")]
[OutputType(typeof(NetworkService))]
public sealed class GetIoTServiceCommand : IoTCmdletBase
{
    private const string ProgressActivity = "Scanning IoT devices for services";
    private const int ProgressId = 5;
    private const int DefaultTop = 20;

    private readonly List<IPAddress> _hosts = new List<IPAddress>();
    private readonly ConcurrentQueue<NetworkService> _finished = new ConcurrentQueue<NetworkService>();
    private readonly HashSet<string> _answering = new HashSet<string>();
    private IReadOnlyList<int> _ports = Array.Empty<int>();
    private int _done;

    /// <summary>Gets or sets the IPv4 addresses of the devices to scan.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress", "ComputerName")]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the TCP ports to scan.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int[] Port { get; set; } = Array.Empty<int>();

    /// <summary>Gets or sets port ranges such as '1-1024' or '8000-8100,9000'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] PortRange { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets how many of the most common IoT ports to scan (20 when no port is given).</summary>
    [Parameter]
    [ValidateRange(1, 50)]
    public int Top { get; set; }

    /// <summary>Gets or sets whether UDP/161 is asked for an SNMP agent too.</summary>
    [Parameter]
    public SwitchParameter Snmp { get; set; }

    /// <summary>Gets or sets whether closed, filtered and unreachable ports are written too.</summary>
    [Parameter]
    public SwitchParameter IncludeClosed { get; set; }

    /// <summary>Gets or sets whether service identification is skipped (connect scan only).</summary>
    [Parameter]
    public SwitchParameter NoServiceDetection { get; set; }

    /// <summary>Gets or sets the time a connect may take, in milliseconds.</summary>
    [Parameter]
    [ValidateRange(50, 60000)]
    public int ConnectTimeout { get; set; } = 1500;

    /// <summary>Gets or sets the time identifying one open port may take, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 120)]
    public int Timeout { get; set; } = 6;

    /// <summary>Gets or sets the time the whole scan may take, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int OverallTimeout { get; set; } = 1800;

    /// <summary>Gets or sets the most sockets open at once.</summary>
    [Parameter]
    [Alias("ThrottleLimit")]
    [ValidateRange(1, 1024)]
    public int MaxSockets { get; set; } = 128;

    protected override void BeginProcessing()
    {
        var ports = new List<int>(Port);
        try
        {
            ports.AddRange(PortRange.SelectMany(IoTPortSets.Parse));
        }
        catch (FormatException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidPortRange", ErrorCategory.InvalidArgument, PortRange));
        }

        if (Top > 0 || ports.Count == 0)
        {
            ports.AddRange(IoTPortSets.TopTcp(Top > 0 ? Top : DefaultTop));
        }

        _ports = ports.Distinct().ToList();
    }

    protected override void ProcessRecord()
    {
        foreach (var address in Address)
        {
            var trimmed = address?.Trim() ?? string.Empty;
            if (IPAddress.TryParse(trimmed, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetwork)
            {
                _hosts.Add(parsed);
                continue;
            }

            var error = new ArgumentException($"'{address}' is not an IPv4 address.");
            WriteError(new ErrorRecord(error, "InvalidAddress", ErrorCategory.InvalidArgument, address));
        }
    }

    protected override void EndProcessing()
    {
        var hosts = _hosts.Distinct().ToList();
        if (hosts.Count > 0)
        {
            Scan(hosts);
        }

        base.EndProcessing();
    }

    private void Scan(IReadOnlyList<IPAddress> hosts)
    {
        var options = new ScanOptions
        {
            ConnectTimeout = TimeSpan.FromMilliseconds(ConnectTimeout),
            IdentifyTimeout = TimeSpan.FromSeconds(Timeout),
            OverallTimeout = TimeSpan.FromSeconds(OverallTimeout),
            MaxSockets = MaxSockets,
            IdentifyServices = !NoServiceDetection,
            ProbeSnmp = Snmp,
        };
        var total = hosts.Count * _ports.Count;
        WriteVerbose($"Scanning {hosts.Count} host(s) on {_ports.Count} TCP port(s), {MaxSockets} sockets at most.");
        var scanner = new PortScanner(options, Log);
        RunEngine(token => scanner.ScanAsync(hosts, _ports, _finished.Enqueue, false, token),
            () => WriteFinished(total));
        WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, "Done")
        {
            RecordType = ProgressRecordType.Completed,
        });
        foreach (var silent in hosts.Select(h => h.ToString()).Where(h => !_answering.Contains(h)))
        {
            var error = new InvalidOperationException(
                $"'{silent}' answered on no scanned port (all filtered or unreachable).");
            WriteError(new ErrorRecord(error, "HostNotAnswering", ErrorCategory.ConnectionError, silent));
        }
    }

    private void WriteFinished(int total)
    {
        while (_finished.TryDequeue(out var service))
        {
            _done += service.Transport == Engine.Inventory.ServiceTransport.Tcp ? 1 : 0;
            if (service.State == PortState.Open || service.State == PortState.Closed)
            {
                _answering.Add(service.Address);
            }

            if (service.State == PortState.Open || IncludeClosed)
            {
                WriteObject(service);
            }
        }

        // Once per drain, not per port: a 65535-port scan must not drown the host in progress records.
        var status = $"{_done} of {total} ports";
        var percent = Math.Min(100, _done * 100 / Math.Max(1, total));
        WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, status) { PercentComplete = percent });
    }
}
