using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace IoTAdmin.Engine.Discovery.Mdns;

/// <summary>
/// Every record received during one run, remembering which address sent it. Bounded so a flood
/// of answers cannot exhaust memory.
/// </summary>
internal sealed class MdnsRecordSet
{
    public const int MaxRecords = 20000;

    private readonly Dictionary<string, List<DnsRecord>> _byName = new Dictionary<string, List<DnsRecord>>();
    private readonly Dictionary<DnsRecord, IPAddress> _senders = new Dictionary<DnsRecord, IPAddress>();

    public int Count => _senders.Count;

    public static string ServicesName { get; } = "_services._dns-sd._udp.local";

    public bool Add(DnsRecord record, IPAddress sender)
    {
        if (_senders.Count >= MaxRecords || Find(record.Name, record.Type).Any(r => SameData(r, record)))
        {
            return false;
        }

        if (!_byName.TryGetValue(record.Name.Key, out var list))
        {
            list = new List<DnsRecord>();
            _byName.Add(record.Name.Key, list);
        }

        list.Add(record);
        _senders[record] = sender;
        return true;
    }

    public IEnumerable<DnsRecord> Find(DnsName name, ushort type) =>
        _byName.TryGetValue(name.Key, out var list) ? list.Where(r => r.Type == type) : Enumerable.Empty<DnsRecord>();

    public IEnumerable<DnsRecord> OfType(ushort type) => _byName.Values.SelectMany(l => l).Where(r => r.Type == type);

    public IPAddress SenderOf(DnsRecord record) => _senders[record];

    /// <summary>Service types advertised, from the DNS-SD meta-query and from any PTR to an instance.</summary>
    public IEnumerable<DnsName> ServiceTypes()
    {
        var fromMeta = Find(DnsName.Parse(ServicesName), DnsRecordType.Ptr).Select(r => r.Target!);
        var fromInstances = OfType(DnsRecordType.Ptr)
            .Where(r => MdnsServiceType.TryParse(r.Name) is not null)
            .Select(r => r.Name);
        return fromMeta.Concat(fromInstances).Distinct();
    }

    private static bool SameData(DnsRecord a, DnsRecord b) =>
        Equals(a.Target, b.Target) && a.Port == b.Port && Equals(a.Address, b.Address)
        && a.Text.SequenceEqual(b.Text);
}
