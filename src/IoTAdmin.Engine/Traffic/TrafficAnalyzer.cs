using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;

namespace IoTAdmin.Engine.Traffic;

/// <summary>Counts of one analysis, for the summary and the benchmark.</summary>
public sealed class TrafficCounts
{
    public long Records { get; internal set; }

    public long FromDevices { get; internal set; }

    public long Forbidden { get; internal set; }

    public long Errors { get; internal set; }
}

/// <summary>
/// Judges every flow read from the sources against a <see cref="TrafficPolicy"/> and keeps one finding per
/// device, destination, port and protocol. Memory grows with the number of distinct findings, never with
/// the number of records; past <see cref="MaxFindings"/> distinct ones, new findings are handed straight to
/// the overflow callback (still reported, no longer counted together).
/// </summary>
public sealed class TrafficAnalyzer : IFlowSink
{
    public const int MaxFindings = 100_000;
    private readonly TrafficPolicy _policy;
    private readonly bool _keepAllowed;
    private readonly Action<FlowReadError> _onError;
    private readonly Action<TrafficFinding> _onOverflow;
    private readonly Dictionary<(IPAddress, IPAddress, int, string), TrafficFinding> _findings = new();

    public TrafficAnalyzer(TrafficPolicy policy, bool keepAllowed, Action<FlowReadError> onError,
        Action<TrafficFinding>? onOverflow = null)
    {
        _policy = policy;
        _keepAllowed = keepAllowed;
        _onError = onError;
        _onOverflow = onOverflow ?? (_ => { });
    }

    public TrafficCounts Counts { get; } = new TrafficCounts();

    public CancellationToken Cancellation { get; set; }

    /// <summary>Reads one source to its end; the format is detected from its first bytes when Auto.</summary>
    public void ReadSource(string name, Stream stream, FlowFormat format)
    {
        var buffered = stream.CanSeek ? stream : new BufferedStream(stream, 64 * 1024);
        if (format == FlowFormat.Auto)
        {
            format = DetectBinary(buffered) ? FlowFormat.NetFlow : FlowFormat.Auto;
        }

        if (format == FlowFormat.NetFlow)
        {
            new NetFlowFileReader(name, new NetFlowDecoder(this), this).Read(buffered);
        }
        else
        {
            new TextFlowReader(name, this).Read(buffered, format);
        }
    }

    /// <summary>The findings so far, forbidden first, then by device and count.</summary>
    public IEnumerable<TrafficFinding> Findings() => _findings.Values
        .OrderBy(f => f.Allowed).ThenBy(f => f.Device, StringComparer.Ordinal).ThenByDescending(f => f.Count);

    void IFlowSink.Flow(FlowRecord flow)
    {
        Counts.Records++;
        if ((Counts.Records & 0xFFF) == 0)
        {
            Cancellation.ThrowIfCancellationRequested();
        }

        var device = _policy.FindDevice(flow.Source);
        if (device is null)
        {
            return;
        }

        Counts.FromDevices++;
        var rule = _policy.FindAllowing(device, flow);
        if (rule is null)
        {
            Counts.Forbidden++;
        }
        else if (!_keepAllowed)
        {
            return;
        }

        Record(device, flow, rule);
    }

    void IFlowSink.Error(FlowReadError error)
    {
        Counts.Errors++;
        _onError(error);
    }

    private void Record(PolicyDevice device, FlowRecord flow, AllowRule? rule)
    {
        var key = TrafficFinding.Key(flow);
        if (!_findings.TryGetValue(key, out var finding))
        {
            finding = new TrafficFinding(device, flow, rule != null, Reason(device, flow, rule));
            if (_findings.Count >= MaxFindings)
            {
                finding.Add(flow);
                _onOverflow(finding);
                return;
            }

            _findings[key] = finding;
        }

        finding.Add(flow);
    }

    private string Reason(PolicyDevice device, FlowRecord flow, AllowRule? rule)
    {
        if (rule != null)
        {
            return $"allowed by '{rule}'";
        }

        var rules = _policy.RulesFor(device, flow.Source).Select(r => r.Text).ToList();
        var allowed = rules.Count == 0 ? "nothing" : string.Join(", ", rules.Take(10));
        return $"{flow.Destination}:{flow.DestinationPort}/{flow.Protocol} is not among the destinations allowed"
            + $" for {device.Profile} device {flow.Source}: {allowed}";
    }

    private static bool DetectBinary(Stream stream)
    {
        if (!stream.CanSeek)
        {
            return false;
        }

        var head = new byte[4];
        var position = stream.Position;
        var read = stream.Read(head, 0, 4);
        stream.Position = position;
        if (read < 4)
        {
            return false;
        }

        var magic = NetFlowDecoder.Read32(head, 0);
        var version = NetFlowDecoder.Read16(head, 0);
        return magic is 0xA1B2C3D4 or 0xD4C3B2A1 or 0xA1B23C4D or 0x4D3CB2A1 or 0x0A0D0D0A
            || version is 5 or 9 or 10;
    }
}
