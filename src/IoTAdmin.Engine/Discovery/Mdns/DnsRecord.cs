using System.Collections.Generic;
using System.Net;

namespace IoTAdmin.Engine.Discovery.Mdns;

/// <summary>DNS record types mDNS discovery reads.</summary>
internal static class DnsRecordType
{
    public const ushort A = 1;
    public const ushort Ptr = 12;
    public const ushort Txt = 16;
    public const ushort Aaaa = 28;
    public const ushort Srv = 33;
    public const ushort Any = 255;
}

/// <summary>One resource record with the data of the types discovery uses already decoded.</summary>
internal sealed class DnsRecord
{
    public DnsRecord(DnsName name, ushort type, ushort recordClass, uint ttl)
    {
        Name = name;
        Type = type;
        Class = recordClass;
        Ttl = ttl;
    }

    public DnsName Name { get; }

    public ushort Type { get; }

    /// <summary>The class without the mDNS cache-flush bit.</summary>
    public ushort Class { get; }

    public uint Ttl { get; }

    /// <summary>PTR target or SRV host.</summary>
    public DnsName? Target { get; set; }

    public ushort Port { get; set; }

    public IPAddress? Address { get; set; }

    /// <summary>TXT character-strings, decoded as UTF-8.</summary>
    public List<string> Text { get; } = new List<string>();

    public override string ToString() => $"{Name} type {Type}";
}

/// <summary>A question of a DNS message.</summary>
internal sealed class DnsQuestion
{
    public DnsQuestion(DnsName name, ushort type)
    {
        Name = name;
        Type = type;
    }

    public DnsName Name { get; }

    public ushort Type { get; }
}
