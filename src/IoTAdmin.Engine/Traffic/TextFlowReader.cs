using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;

namespace IoTAdmin.Engine.Traffic;

/// <summary>
/// Reads the text formats line by line: firewall LOG lines, conntrack listings and Zeek conn.log. Each line
/// that belongs to the format but cannot be read gives one <see cref="FlowReadError"/>; lines of other
/// programs in a syslog file are passed over in silence.
/// </summary>
public sealed class TextFlowReader
{
    private const int EvidenceLength = 200;
    private static readonly string[] s_months =
        { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

    private readonly string _name;
    private readonly IFlowSink _sink;
    private readonly DateTimeOffset _now;
    private string[]? _zeekFields;
    private Dictionary<string, int>? _zeekIndex;

    public TextFlowReader(string name, IFlowSink sink, DateTimeOffset? now = null)
    {
        _name = name;
        _sink = sink;
        _now = now ?? DateTimeOffset.UtcNow;
    }

    public void Read(Stream stream, FlowFormat format)
    {
        var reader = new BoundedLineReader(stream);
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            var origin = $"{_name}:{reader.LineNumber}";
            if (reader.LastLineWasCut)
            {
                Error(origin, $"the line is longer than {BoundedLineReader.MaxLineLength} bytes; skipped", line);
                continue;
            }

            var lineFormat = format == FlowFormat.Auto ? Detect(line) : format;
            try
            {
                ReadLine(line, lineFormat, origin);
            }
            catch (FormatException ex)
            {
                Error(origin, ex.Message, line);
            }
        }
    }

    /// <summary>Tells a line's format from its look; Auto when it is none of them.</summary>
    public static FlowFormat Detect(string line)
    {
        if (line.StartsWith("#", StringComparison.Ordinal) || (line.Length > 0 && char.IsDigit(line[0])
            && line.IndexOf('\t') > 0))
        {
            return FlowFormat.ZeekConn;
        }

        if (line.IndexOf(" SRC=", StringComparison.Ordinal) >= 0 || line.StartsWith("SRC=", StringComparison.Ordinal)
            || line.IndexOf(" IN=", StringComparison.Ordinal) >= 0)
        {
            return FlowFormat.FirewallLog;
        }

        return line.IndexOf(" src=", StringComparison.Ordinal) >= 0 ? FlowFormat.Conntrack : FlowFormat.Auto;
    }

    private void ReadLine(string line, FlowFormat format, string origin)
    {
        var flow = format switch
        {
            FlowFormat.FirewallLog => FirewallLine(line),
            FlowFormat.Conntrack => ConntrackLine(line),
            FlowFormat.ZeekConn => ZeekLine(line, origin),
            _ => null,
        };
        if (flow is null)
        {
            return;
        }

        flow.Origin = origin;
        flow.Evidence = Cut(line);
        CheckClock(flow);
        _sink.Flow(flow);
    }

    /// <summary>IN=eth0 OUT= SRC=a DST=b ... PROTO=TCP SPT=1 DPT=2: the kernel's nf_log format.</summary>
    private FlowRecord? FirewallLine(string line)
    {
        var start = line.IndexOf("SRC=", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        // The kernel writes the fields in a fixed order, so each is looked for after the one before it.
        var source = ParseAddress(Field(line, "SRC=", ref start), "SRC");
        var destination = ParseAddress(Field(line, "DST=", ref start), "DST");
        var protocol = Field(line, "PROTO=", ref start).ToLowerInvariant();
        var ports = protocol == "tcp" || protocol == "udp" || protocol == "sctp";
        var sourcePort = ports ? ParsePort(Field(line, "SPT=", ref start), "SPT") : 0;
        var destinationPort = ports ? ParsePort(Field(line, "DPT=", ref start), "DPT") : 0;
        return new FlowRecord(source, destination, protocol, sourcePort, destinationPort)
        {
            Time = SyslogTime(line),
            Packets = 1,
        };
    }

    /// <summary>The value of ' KEY=' at or after <paramref name="from"/>, up to the next space.</summary>
    private static string Field(string line, string key, ref int from)
    {
        var at = from;
        while (true)
        {
            at = line.IndexOf(key, at, StringComparison.Ordinal);
            if (at < 0)
            {
                throw Truncated(key.TrimEnd('='));
            }

            if (at == 0 || line[at - 1] == ' ')
            {
                break;
            }

            at += key.Length;
        }

        var valueStart = at + key.Length;
        var end = line.IndexOf(' ', valueStart);
        from = end < 0 ? line.Length : end;
        return line.Substring(valueStart, from - valueStart);
    }

    /// <summary>tcp 6 117 SYN_SENT src=a dst=b sport=1 dport=2 [UNREPLIED] src=b ...: the original tuple.</summary>
    private static FlowRecord? ConntrackLine(string line)
    {
        if (line.IndexOf("src=", StringComparison.Ordinal) < 0)
        {
            return null;
        }

        var tokens = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string? protocol = null;
        foreach (var token in tokens)
        {
            var eq = token.IndexOf('=');
            if (eq > 0)
            {
                // The first of each key is the original direction; the reply tuple repeats the keys.
                var key = token.Substring(0, eq);
                if (!fields.ContainsKey(key))
                {
                    fields[key] = token.Substring(eq + 1);
                }
            }
            else if (protocol is null && IsProtocolName(token))
            {
                protocol = token.ToLowerInvariant();
            }
        }

        var source = Address(fields, "src", "source");
        var destination = Address(fields, "dst", "destination");
        if (protocol is null)
        {
            throw new FormatException("no protocol name (tcp, udp, icmp...) before the addresses");
        }

        var ports = fields.ContainsKey("sport") || fields.ContainsKey("dport");
        var flow = new FlowRecord(source, destination, protocol,
            ports ? Port(fields, "sport") : 0, ports ? Port(fields, "dport") : 0);
        flow.Bytes = fields.TryGetValue("bytes", out var b) && long.TryParse(b, out var bytes) ? bytes : null;
        flow.Packets = fields.TryGetValue("packets", out var k) && long.TryParse(k, out var packets) ? packets : null;
        return flow;
    }

    private FlowRecord? ZeekLine(string line, string origin)
    {
        if (line.StartsWith("#", StringComparison.Ordinal))
        {
            ZeekHeader(line);
            return null;
        }

        if (_zeekIndex is null || _zeekFields is null)
        {
            throw new FormatException("a Zeek record before any #fields header line");
        }

        var values = line.Split('\t');
        if (values.Length != _zeekFields.Length)
        {
            throw new FormatException($"{values.Length} fields where the #fields header names {_zeekFields.Length}"
                + " (a cut or garbled record)");
        }

        var source = ParseAddress(Zeek(values, "id.orig_h"), "id.orig_h");
        var destination = ParseAddress(Zeek(values, "id.resp_h"), "id.resp_h");
        var flow = new FlowRecord(source, destination, Zeek(values, "proto").ToLowerInvariant(),
            ParsePort(Zeek(values, "id.orig_p"), "id.orig_p"), ParsePort(Zeek(values, "id.resp_p"), "id.resp_p"));
        flow.Time = ZeekTime(Zeek(values, "ts"));
        flow.Bytes = ZeekSum(values, "orig_ip_bytes", "resp_ip_bytes") ?? ZeekSum(values, "orig_bytes", "resp_bytes");
        flow.Packets = ZeekSum(values, "orig_pkts", "resp_pkts");
        return flow;
    }

    private void ZeekHeader(string line)
    {
        if (line.StartsWith("#fields\t", StringComparison.Ordinal))
        {
            _zeekFields = line.Substring("#fields\t".Length).Split('\t');
            _zeekIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < _zeekFields.Length; i++)
            {
                _zeekIndex[_zeekFields[i]] = i;
            }

            foreach (var required in new[] { "ts", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto" })
            {
                if (!_zeekIndex.ContainsKey(required))
                {
                    _zeekIndex = null;
                    throw new FormatException($"the #fields header lacks '{required}'; this is not a conn.log");
                }
            }
        }
    }

    private string Zeek(string[] values, string field) => values[_zeekIndex![field]];

    private long? ZeekSum(string[] values, string first, string second)
    {
        if (!_zeekIndex!.TryGetValue(first, out var a) || !_zeekIndex.TryGetValue(second, out var b))
        {
            return null;
        }

        var ok1 = long.TryParse(values[a], NumberStyles.None, CultureInfo.InvariantCulture, out var x);
        var ok2 = long.TryParse(values[b], NumberStyles.None, CultureInfo.InvariantCulture, out var y);
        return ok1 || ok2 ? x + y : null;
    }

    private static DateTimeOffset ZeekTime(string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0
            || seconds > 253402300799)
        {
            throw new FormatException($"ts '{Cut(text)}' is not a UNIX time");
        }

        return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
    }

    /// <summary>RFC 3164 'Mmm dd hh:mm:ss' (a year-less date placed in the past year) or an ISO 8601 prefix.</summary>
    private DateTimeOffset? SyslogTime(string line)
    {
        if (line.Length > 19 && line[4] == '-' && line[10] == 'T')
        {
            var space = line.IndexOf(' ');
            var text = space < 0 ? line : line.Substring(0, space);
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal,
                out var iso) ? iso : null;
        }

        var month = line.Length >= 15 ? Array.IndexOf(s_months, line.Substring(0, 3)) + 1 : 0;
        if (month == 0 || line[3] != ' ' || line[6] != ' ' || line[9] != ':' || line[12] != ':'
            || !TwoDigits(line, 4, out var day) || !TwoDigits(line, 7, out var hour)
            || !TwoDigits(line, 10, out var minute) || !TwoDigits(line, 13, out var second)
            || day < 1 || day > DateTime.DaysInMonth(_now.Year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return null;
        }

        var candidate = new DateTimeOffset(_now.Year, month, day, hour, minute, second, TimeSpan.Zero);
        return candidate > _now.AddDays(1) ? candidate.AddYears(-1) : candidate;
    }

    private static bool TwoDigits(string text, int at, out int value)
    {
        var high = text[at] == ' ' ? 0 : text[at] - '0';
        var low = text[at + 1] - '0';
        value = high * 10 + low;
        return high >= 0 && high <= 9 && low >= 0 && low <= 9;
    }

    private void CheckClock(FlowRecord flow)
    {
        if (flow.Time is { } time && time > _now.AddMinutes(10))
        {
            _sink.Error(new FlowReadError(flow.Origin,
                $"the record's time {time:u} lies {(time - _now).TotalMinutes:N0} minutes ahead of this machine's"
                + " clock (clock skew?); the flow was judged anyway", flow.Evidence, processed: true));
        }
    }

    private static IPAddress Address(Dictionary<string, string> fields, string key, string what) =>
        fields.TryGetValue(key, out var text) ? ParseAddress(text, key) : throw Truncated(key);

    private static IPAddress ParseAddress(string text, string key)
    {
        if (IPAddress.TryParse(text, out var address) && (text.IndexOf(':') >= 0 || text.Split('.').Length == 4))
        {
            return address;
        }

        throw new FormatException($"{key} '{Cut(text)}' is not an IP address (a cut or garbled record)");
    }

    private static int Port(Dictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out var text) ? ParsePort(text, key) : throw Truncated(key);

    private static int ParsePort(string text, string key)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
        {
            return port;
        }

        throw new FormatException($"{key} '{Cut(text)}' is not a port number");
    }

    private static FormatException Truncated(string key) =>
        new FormatException($"no {key}= field: the record is cut short or garbled");

    private static bool IsProtocolName(string token) => token switch
    {
        "tcp" or "udp" or "icmp" or "icmpv6" or "sctp" or "dccp" or "udplite" or "gre" or "unknown" => true,
        _ => false,
    };

    private void Error(string origin, string message, string line) =>
        _sink.Error(new FlowReadError(origin, message, Cut(line)));

    private static string Cut(string text) => text.Length <= EvidenceLength ? text : text.Substring(0, EvidenceLength);
}
