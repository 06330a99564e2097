using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Traffic;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Test-IoTTraffic: reads connection records (firewall LOG lines, conntrack, Zeek conn.log, NetFlow v5/v9,
/// IPFIX) from files or a UDP collector port and flags every flow from an IoT device to a destination its
/// policy does not allow (SYS.4.4 M12, M17), with the record as evidence.
/// </summary>
[ImplementsMeasures("SYS.4.4.M12", "SYS.4.4.M17")]
[Cmdlet(VerbsDiagnostic.Test, "IoTTraffic", DefaultParameterSetName = FileSet)]
[OutputType(typeof(TrafficFinding))]
public sealed class TestIoTTrafficCommand : IoTCmdletBase
{
    private const string FileSet = "File";
    private const string ListenSet = "Listen";
    private const int MaxErrorRecords = 100;
    private readonly ConcurrentQueue<FlowReadError> _errors = new();
    private readonly ConcurrentQueue<TrafficFinding> _overflow = new();
    private readonly List<string> _paths = new();
    private int _errorRecords;

    /// <summary>Gets or sets the files to read.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FileSet, ValueFromPipeline = true,
        ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the UDP port to collect NetFlow/IPFIX exports on, for -Duration seconds.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ListenSet)]
    [ValidateRange(1, 65535)]
    public int ListenPort { get; set; }

    /// <summary>Gets or sets the local address the collector listens on.</summary>
    [Parameter(ParameterSetName = ListenSet)]
    [ValidateNotNullOrEmpty]
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>Gets or sets how long the collector listens, in seconds.</summary>
    [Parameter(ParameterSetName = ListenSet)]
    [ValidateRange(1, 86400)]
    public int Duration { get; set; } = 60;

    /// <summary>Gets or sets the format of the files; detected from the content by default.</summary>
    [Parameter(ParameterSetName = FileSet)]
    public FlowFormat Format { get; set; } = FlowFormat.Auto;

    /// <summary>Gets or sets the IoT devices: IoTDevice objects, addresses or CIDR networks.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public object[] Device { get; set; } = Array.Empty<object>();

    /// <summary>Gets or sets destinations every device may reach (address, CIDR, ports, protocol).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Allow { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets destinations per profile or device: a hashtable, or the path of a JSON file.</summary>
    [Parameter]
    public object? Policy { get; set; }

    /// <summary>Gets or sets whether allowed flows are written too (Verdict Allowed).</summary>
    [Parameter]
    public SwitchParameter IncludeAllowed { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var path in Path)
        {
            foreach (var resolved in ResolvePaths(path))
            {
                _paths.Add(resolved);
            }
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (!TrafficPolicyBuilder.TryBuild(this, Device, Allow, Policy, out var policy))
        {
            return;
        }

        if (ParameterSetName == ListenSet && !IPAddress.TryParse(ListenAddress, out _))
        {
            var error = new ArgumentException($"'{ListenAddress}' is not an IP address to listen on.");
            WriteError(new ErrorRecord(error, "InvalidAddress", ErrorCategory.InvalidArgument, ListenAddress));
            return;
        }

        var analyzer = new TrafficAnalyzer(policy, IncludeAllowed, _errors.Enqueue, _overflow.Enqueue);
        try
        {
            RunEngine(token => Task.Run(() => Analyze(analyzer, token), token), WriteQueued);
        }
        catch (SocketException ex)
        {
            var target = $"{ListenAddress}:{ListenPort}";
            WriteError(new ErrorRecord(ex, "TrafficListenFailed", ErrorCategory.ResourceUnavailable, target));
        }

        WriteQueued();
        foreach (var finding in analyzer.Findings())
        {
            WriteObject(finding);
        }

        var counts = analyzer.Counts;
        if (_errorRecords > MaxErrorRecords)
        {
            WriteWarning($"{_errorRecords - MaxErrorRecords} more unreadable records were not written as errors.");
        }

        WriteVerbose($"{counts.Records} flows read, {counts.FromDevices} from IoT devices, {counts.Forbidden}"
            + $" to destinations not allowed, {counts.Errors} records with errors.");
        base.EndProcessing();
    }

    private int Analyze(TrafficAnalyzer analyzer, CancellationToken token)
    {
        analyzer.Cancellation = token;
        if (ParameterSetName == ListenSet)
        {
            Collect(analyzer, token);
            return 0;
        }

        foreach (var path in _paths)
        {
            Log.Verbose($"Reading '{path}'.");
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 65536);
                analyzer.ReadSource(System.IO.Path.GetFileName(path), stream, Format);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                _errors.Enqueue(new FlowReadError(path, "the file cannot be read: " + ex.Message, string.Empty));
            }
        }

        return 0;
    }

    private void Collect(TrafficAnalyzer analyzer, CancellationToken token)
    {
        var decoder = new NetFlowDecoder((IFlowSink)analyzer);
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Parse(ListenAddress), ListenPort));
        var deadline = DateTime.UtcNow.AddSeconds(Duration);
        var datagrams = 0;
        Log.Verbose($"Collecting NetFlow/IPFIX on {ListenAddress}:{ListenPort} for {Duration} s.");
        while (DateTime.UtcNow < deadline)
        {
            var receive = socket.ReceiveAsync();
            var left = deadline - DateTime.UtcNow;
            if (!receive.Wait((int)Math.Max(0, left.TotalMilliseconds), token))
            {
                break;
            }

            datagrams++;
            var result = receive.Result;
            decoder.Decode(result.RemoteEndPoint.Address, result.Buffer, 0, result.Buffer.Length,
                $"datagram {datagrams} from {result.RemoteEndPoint}");
        }

        decoder.Finish();
        Log.Verbose($"Collected {datagrams} datagrams.");
    }

    private void WriteQueued()
    {
        while (_overflow.TryDequeue(out var finding))
        {
            WriteObject(finding);
        }

        while (_errors.TryDequeue(out var error))
        {
            if (error.Processed)
            {
                WriteWarning($"{error.Origin}: {error.Message}");
                continue;
            }

            if (++_errorRecords <= MaxErrorRecords)
            {
                var exception = new InvalidDataException($"{error.Origin}: {error.Message}. Input: {error.Evidence}");
                WriteError(new ErrorRecord(exception, "TrafficRecordInvalid", ErrorCategory.InvalidData, error.Origin));
            }
        }
    }

    private IEnumerable<string> ResolvePaths(string path)
    {
        System.Collections.ObjectModel.Collection<string>? resolved = null;
        try
        {
            resolved = GetResolvedProviderPathFromPSPath(path, out _);
        }
        catch (ItemNotFoundException ex)
        {
            WriteError(new ErrorRecord(ex, "TrafficFileNotFound", ErrorCategory.ObjectNotFound, path));
        }

        return resolved ?? (IEnumerable<string>)Array.Empty<string>();
    }
}
