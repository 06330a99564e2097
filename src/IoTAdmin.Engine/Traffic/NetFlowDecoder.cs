using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;

namespace IoTAdmin.Engine.Traffic;

/// <summary>
/// Decodes NetFlow v5, NetFlow v9 (RFC 3954) and IPFIX (RFC 7011) export datagrams into flows. Templates
/// are kept per exporter, observation domain (source ID) and template ID. Data sets whose template has not
/// arrived yet are held (bounded) and decoded when it does; what is still held at <see cref="Finish"/> is
/// reported as an error per set, never dropped in silence.
/// </summary>
/// <remarks>
/// Options templates are learned so their data (exporter statistics, sampling) is skipped, not misread.
/// Limits: 4,096 templates; 1,024 held sets or 8 MB, beyond which the oldest held set is reported and
/// dropped. Only IPv4/IPv6 address, port, protocol, counter and start-time fields are read.
/// </remarks>
public sealed class NetFlowDecoder
{
    private const int MaxTemplates = 4096;
    private const int MaxHeldSets = 1024;
    private const long MaxHeldBytes = 8L * 1024 * 1024;
    private readonly IFlowSink _sink;
    private readonly Dictionary<TemplateKey, Template> _templates = new();
    private readonly LinkedList<HeldSet> _held = new();
    private readonly Dictionary<(IPAddress, uint), long> _systemInit = new();
    private long _heldBytes;

    public NetFlowDecoder(IFlowSink sink) => _sink = sink;

    /// <summary>Gets how many data sets were held for a missing template and decoded later.</summary>
    public int DecodedLate { get; private set; }

    /// <summary>Decodes one datagram (or one IPFIX message) from an exporter.</summary>
    public void Decode(IPAddress exporter, byte[] data, int offset, int length, string origin)
    {
        if (length < 4)
        {
            Error(origin, $"a datagram of {length} bytes is too short for any NetFlow header", data, offset, length);
            return;
        }

        var version = Read16(data, offset);
        var packet = new Packet(exporter, data, offset, length, origin);
        switch (version)
        {
            case 5:
                DecodeV5(packet);
                break;
            case 9:
                DecodeV9(packet);
                break;
            case 10:
                DecodeIpfix(packet);
                break;
            default:
                Error(origin, $"version {version} is not NetFlow v5, v9 or IPFIX (10)", data, offset, length);
                break;
        }
    }

    /// <summary>Reports every data set still waiting for its template.</summary>
    public void Finish()
    {
        foreach (var held in _held)
        {
            _sink.Error(new FlowReadError(held.Origin,
                $"template {held.Key.TemplateId} of exporter {held.Key.Exporter} (domain {held.Key.Domain}) never"
                + $" arrived; the {held.Length}-byte data set it describes could not be read", string.Empty));
        }

        _held.Clear();
        _heldBytes = 0;
    }

    private void DecodeV5(Packet p)
    {
        const int Header = 24;
        const int RecordLength = 48;
        if (p.Length < Header)
        {
            Error(p.Origin, $"NetFlow v5 header cut short ({p.Length} of 24 bytes)", p.Data, p.Offset, p.Length);
            return;
        }

        var count = Read16(p.Data, p.Offset + 2);
        var upTime = Read32(p.Data, p.Offset + 4);
        var unixSeconds = Read32(p.Data, p.Offset + 8);
        var available = (p.Length - Header) / RecordLength;
        if (count > 30 || count > available)
        {
            Error(p.Origin, $"NetFlow v5 header announces {count} records, the datagram holds {available}"
                + " (cut short or garbled); the complete ones are read", p.Data, p.Offset, p.Length);
        }

        var label = "NetFlow v5 from " + p.Exporter;
        for (var i = 0; i < Math.Min(count, available); i++)
        {
            var at = p.Offset + Header + i * RecordLength;
            var protocol = p.Data[at + 38];
            var flow = new FlowRecord(V4(p.Data, at), V4(p.Data, at + 4), FlowRecord.ProtocolName(protocol),
                Read16(p.Data, at + 32), Read16(p.Data, at + 34))
            {
                Packets = Read32(p.Data, at + 16),
                Bytes = Read32(p.Data, at + 20),
                Time = UpTimeToClock(unixSeconds, upTime, Read32(p.Data, at + 24)),
                Origin = $"{p.Origin} record {i + 1}",
            };
            Emit(flow, label);
        }
    }

    private void DecodeV9(Packet p)
    {
        if (p.Length < 20)
        {
            Error(p.Origin, $"NetFlow v9 header cut short ({p.Length} of 20 bytes)", p.Data, p.Offset, p.Length);
            return;
        }

        var clock = new ExportClock(Read32(p.Data, p.Offset + 8), Read32(p.Data, p.Offset + 4));
        var domain = Read32(p.Data, p.Offset + 16);
        WalkSets(p, 20, 9, domain, clock);
    }

    private void DecodeIpfix(Packet p)
    {
        if (p.Length < 16)
        {
            Error(p.Origin, $"IPFIX header cut short ({p.Length} of 16 bytes)", p.Data, p.Offset, p.Length);
            return;
        }

        var declared = Read16(p.Data, p.Offset + 2);
        if (declared != p.Length)
        {
            Error(p.Origin, $"IPFIX message says {declared} bytes but {p.Length} arrived; reading what is there",
                p.Data, p.Offset, p.Length);
        }

        var clock = new ExportClock(Read32(p.Data, p.Offset + 4), null);
        WalkSets(p, 16, 10, Read32(p.Data, p.Offset + 12), clock);
    }

    private void WalkSets(Packet p, int start, int version, uint domain, ExportClock clock)
    {
        var at = p.Offset + start;
        var end = p.Offset + p.Length;
        var index = 0;
        while (at + 4 <= end)
        {
            index++;
            var setId = Read16(p.Data, at);
            var setLength = Read16(p.Data, at + 2);
            if (setLength < 4 || at + setLength > end)
            {
                Error($"{p.Origin} set {index}", $"set {setId} claims {setLength} bytes, {end - at} remain"
                    + " (cut short or garbled); the rest of the datagram is skipped", p.Data, at, end - at);
                return;
            }

            var set = new SetView(p, at + 4, setLength - 4, $"{p.Origin} set {index}", domain, clock);
            DecodeSet(set, setId, version);
            at += setLength;
        }
    }

    private void DecodeSet(SetView set, int setId, int version)
    {
        var templateSet = version == 9 ? 0 : 2;
        var optionsSet = version == 9 ? 1 : 3;
        if (setId == templateSet)
        {
            ReadTemplates(set, version, options: false);
        }
        else if (setId == optionsSet)
        {
            ReadTemplates(set, version, options: true);
        }
        else if (setId >= 256)
        {
            DecodeData(set, setId, version);
        }
    }

    private void ReadTemplates(SetView set, int version, bool options)
    {
        var at = set.Start;
        var end = set.Start + set.Length;
        try
        {
            while (end - at >= 4)
            {
                var template = Template.Read(set.Packet.Data, ref at, end, version, options);
                if (template is null)
                {
                    break;
                }

                Learn(new TemplateKey(set.Packet.Exporter, set.Domain, template.Id, version), template);
            }
        }
        catch (FormatException ex)
        {
            Error(set.Origin, "template set: " + ex.Message, set.Packet.Data, set.Start, set.Length);
        }
    }

    private void Learn(TemplateKey key, Template template)
    {
        if (template.Fields.Count == 0)
        {
            _templates.Remove(key);
            return;
        }

        if (!_templates.ContainsKey(key) && _templates.Count >= MaxTemplates)
        {
            throw new FormatException($"more than {MaxTemplates} templates; template {key.TemplateId} ignored");
        }

        _templates[key] = template;
        ReleaseHeld(key);
    }

    private void DecodeData(SetView set, int setId, int version)
    {
        var key = new TemplateKey(set.Packet.Exporter, set.Domain, setId, version);
        if (!_templates.TryGetValue(key, out var template))
        {
            Hold(key, set);
            return;
        }

        var at = set.Start;
        var end = set.Start + set.Length;
        var record = 0;
        while (at < end && end - at >= template.MinimumLength && template.MinimumLength > 0)
        {
            record++;
            var origin = $"{set.Origin} record {record}";
            if (!template.TryDecode(set.Packet.Data, ref at, end, out var values))
            {
                Error(origin, $"record cut short inside template {setId}'s fields", set.Packet.Data, at, end - at);
                return;
            }

            if (template.IsOptions)
            {
                RememberSystemInit(values, set);
                continue;
            }

            ToFlow(values, template, set, origin);
        }
    }

    /// <summary>IPFIX exporters give flow times as uptime and say once, in an options record, when it began.</summary>
    private void RememberSystemInit(FieldValues values, SetView set)
    {
        if (values.SystemInitMilliseconds is { } init && _systemInit.Count < MaxTemplates)
        {
            _systemInit[(set.Packet.Exporter, set.Domain)] = init;
        }
    }

    private DateTimeOffset FlowTime(FieldValues values, SetView set)
    {
        if (values.StartMilliseconds is { } ms)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        if (values.StartUpTime is { } up)
        {
            if (set.Clock.UpTime is { } sysUp)
            {
                return UpTimeToClock(set.Clock.UnixSeconds, sysUp, up);
            }

            if (_systemInit.TryGetValue((set.Packet.Exporter, set.Domain), out var init))
            {
                return DateTimeOffset.FromUnixTimeMilliseconds(init + up);
            }
        }

        return DateTimeOffset.FromUnixTimeSeconds(set.Clock.UnixSeconds);
    }

    private void ToFlow(FieldValues values, Template template, SetView set, string origin)
    {
        if (values.Source is null || values.Destination is null)
        {
            Error(origin, $"template {template.Id} carries no source and destination address fields; record skipped",
                Array.Empty<byte>(), 0, 0);
            return;
        }

        var flow = new FlowRecord(values.Source, values.Destination, FlowRecord.ProtocolName(values.Protocol),
            values.SourcePort, values.DestinationPort)
        {
            Bytes = values.Bytes,
            Packets = values.Packets,
            Time = FlowTime(values, set),
            Origin = origin,
        };
        Emit(flow, template.Label ??= $"{(template.Version == 9 ? "NetFlow v9" : "IPFIX")} from {set.Packet.Exporter}"
            + $" template {template.Id}");
    }

    private void Hold(TemplateKey key, SetView set)
    {
        var copy = new byte[set.Length];
        Buffer.BlockCopy(set.Packet.Data, set.Start, copy, 0, set.Length);
        _held.AddLast(new HeldSet(key, copy, set.Origin, set.Clock));
        _heldBytes += copy.Length;
        while (_held.Count > MaxHeldSets || _heldBytes > MaxHeldBytes)
        {
            var oldest = _held.First!.Value;
            _held.RemoveFirst();
            _heldBytes -= oldest.Length;
            _sink.Error(new FlowReadError(oldest.Origin, $"template {oldest.Key.TemplateId} of {oldest.Key.Exporter}"
                + " did not arrive before the hold limit; this data set is dropped", string.Empty));
        }
    }

    private void ReleaseHeld(TemplateKey key)
    {
        var node = _held.First;
        while (node != null)
        {
            var next = node.Next;
            var held = node.Value;
            if (held.Key.Equals(key))
            {
                _held.Remove(node);
                _heldBytes -= held.Length;
                DecodedLate++;
                var packet = new Packet(key.Exporter, held.Bytes, 0, held.Length, held.Origin);
                DecodeData(new SetView(packet, 0, held.Length, held.Origin + " (held for its template)",
                    key.Domain, held.Clock), key.TemplateId, key.Version);
            }

            node = next;
        }
    }

    private void Emit(FlowRecord flow, string what)
    {
        flow.SummaryPrefix = what;
        _sink.Flow(flow);
    }

    private void Error(string origin, string message, byte[] data, int offset, int length)
    {
        var shown = BitConverter.ToString(data, offset, Math.Max(0, Math.Min(length, 32)));
        _sink.Error(new FlowReadError(origin, message, shown));
    }

    private static DateTimeOffset UpTimeToClock(uint unixSeconds, uint sysUpTime, uint eventUpTime)
    {
        // Both uptimes are in the exporter's milliseconds; the difference is how long before the export it was.
        var before = unchecked((int)(sysUpTime - eventUpTime));
        return DateTimeOffset.FromUnixTimeSeconds(unixSeconds).AddMilliseconds(-before);
    }

    internal static int Read16(byte[] data, int at) => (data[at] << 8) | data[at + 1];

    internal static uint Read32(byte[] data, int at) =>
        (uint)((data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]);

    private static IPAddress V4(byte[] data, int at) => new IPAddress(Read32Little(data, at));

    private static long Read32Little(byte[] data, int at) =>
        (uint)(data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24));

    private readonly struct Packet
    {
        public Packet(IPAddress exporter, byte[] data, int offset, int length, string origin)
        {
            Exporter = exporter;
            Data = data;
            Offset = offset;
            Length = length;
            Origin = origin;
        }

        public IPAddress Exporter { get; }

        public byte[] Data { get; }

        public int Offset { get; }

        public int Length { get; }

        public string Origin { get; }
    }

    private readonly struct SetView
    {
        public SetView(Packet packet, int start, int length, string origin, uint domain, ExportClock clock)
        {
            Packet = packet;
            Start = start;
            Length = length;
            Origin = origin;
            Domain = domain;
            Clock = clock;
        }

        public Packet Packet { get; }

        public int Start { get; }

        public int Length { get; }

        public string Origin { get; }

        public uint Domain { get; }

        public ExportClock Clock { get; }
    }

    private readonly struct ExportClock
    {
        public ExportClock(uint unixSeconds, uint? upTime)
        {
            UnixSeconds = unixSeconds;
            UpTime = upTime;
        }

        public uint UnixSeconds { get; }

        public uint? UpTime { get; }
    }

    private readonly struct TemplateKey : IEquatable<TemplateKey>
    {
        public TemplateKey(IPAddress exporter, uint domain, int templateId, int version)
        {
            Exporter = exporter;
            Domain = domain;
            TemplateId = templateId;
            Version = version;
        }

        public IPAddress Exporter { get; }

        public uint Domain { get; }

        public int TemplateId { get; }

        public int Version { get; }

        public bool Equals(TemplateKey other) => Exporter.Equals(other.Exporter) && Domain == other.Domain
            && TemplateId == other.TemplateId && Version == other.Version;

        public override bool Equals(object? obj) => obj is TemplateKey other && Equals(other);

        public override int GetHashCode() =>
            (Exporter.GetHashCode() * 397) ^ (int)Domain ^ (TemplateId << 16) ^ Version;
    }

    private sealed class HeldSet
    {
        public HeldSet(TemplateKey key, byte[] bytes, string origin, ExportClock clock)
        {
            Key = key;
            Bytes = bytes;
            Origin = origin;
            Clock = clock;
        }

        public TemplateKey Key { get; }

        public byte[] Bytes { get; }

        public int Length => Bytes.Length;

        public string Origin { get; }

        public ExportClock Clock { get; }
    }
}
