using System;
using System.Net;

namespace IoTAdmin.Engine.Traffic;

/// <summary>The source formats Test-IoTTraffic reads.</summary>
public enum FlowFormat
{
    /// <summary>Decide from the content.</summary>
    Auto,

    /// <summary>nftables or iptables LOG lines, as syslog, journalctl or dmesg writes them.</summary>
    FirewallLog,

    /// <summary>The output of conntrack -L or -E, or /proc/net/nf_conntrack.</summary>
    Conntrack,

    /// <summary>Zeek's conn.log in its TSV form with #fields header.</summary>
    ZeekConn,

    /// <summary>NetFlow v5, v9 or IPFIX: a pcap of the export datagrams or an IPFIX file (RFC 5655).</summary>
    NetFlow,
}

/// <summary>
/// One connection (or one packet of a new connection) from any source format, in the direction its
/// originator opened it where the format says so.
/// </summary>
public sealed class FlowRecord
{
    public FlowRecord(IPAddress source, IPAddress destination, string protocol, int sourcePort, int destinationPort)
    {
        Source = source;
        Destination = destination;
        Protocol = protocol;
        SourcePort = sourcePort;
        DestinationPort = destinationPort;
    }

    private string? _evidence;

    public IPAddress Source { get; }

    public IPAddress Destination { get; }

    /// <summary>Gets the protocol in lower case (tcp, udp, icmp, ...), or its number when it has no name.</summary>
    public string Protocol { get; }

    /// <summary>Gets the source port, 0 for protocols without ports.</summary>
    public int SourcePort { get; }

    /// <summary>Gets the destination port, 0 for protocols without ports.</summary>
    public int DestinationPort { get; }

    /// <summary>Gets when the flow was seen, when the source says (dmesg lines do not).</summary>
    public DateTimeOffset? Time { get; set; }

    public long? Bytes { get; set; }

    public long? Packets { get; set; }

    /// <summary>Gets or sets where the record came from: file and line, or file, datagram and record.</summary>
    public string Origin { get; set; } = string.Empty;

    /// <summary>Gets or sets the record as read (the log line, or a summary of a binary record).</summary>
    public string Evidence
    {
        get => _evidence ??= Summary();
        set => _evidence = value;
    }

    /// <summary>Gets or sets what a binary record's summary starts with ('NetFlow v5 from 192.0.2.1').</summary>
    /// <remarks>Binary records are summarised only when a finding keeps them: most flows are never shown.</remarks>
    internal string SummaryPrefix { get; set; } = string.Empty;

    public static string ProtocolName(int number) => number switch
    {
        1 => "icmp",
        6 => "tcp",
        17 => "udp",
        58 => "ipv6-icmp",
        132 => "sctp",
        _ => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public override string ToString() =>
        $"{Protocol} {Source}:{SourcePort} -> {Destination}:{DestinationPort}";

    private string Summary() => $"{SummaryPrefix}: {this} packets={Packets} bytes={Bytes}"
        + (Time is { } t ? " start=" + t.ToString("u", System.Globalization.CultureInfo.InvariantCulture)
            : string.Empty);
}

/// <summary>A record that could not be read, or was read with a doubt (clock skew), with where it was.</summary>
public sealed class FlowReadError
{
    public FlowReadError(string origin, string message, string evidence, bool processed = false)
    {
        Origin = origin;
        Message = message;
        Evidence = evidence;
        Processed = processed;
    }

    public string Origin { get; }

    public string Message { get; }

    /// <summary>Gets the start of the offending input (at most 200 characters).</summary>
    public string Evidence { get; }

    /// <summary>Gets whether the record was still judged (a doubt, not a loss).</summary>
    public bool Processed { get; }

    public override string ToString() => $"{Origin}: {Message}";
}

/// <summary>What the readers hand to their consumer: flows, and errors in their place in the stream.</summary>
public interface IFlowSink
{
    void Flow(FlowRecord flow);

    void Error(FlowReadError error);
}
