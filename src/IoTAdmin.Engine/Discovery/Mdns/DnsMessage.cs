using System.Collections.Generic;

namespace IoTAdmin.Engine.Discovery.Mdns;

/// <summary>A parsed DNS message; answer, authority and additional records are kept in one list.</summary>
internal sealed class DnsMessage
{
    public ushort Id { get; set; }

    public bool IsResponse { get; set; }

    public List<DnsQuestion> Questions { get; } = new List<DnsQuestion>();

    public List<DnsRecord> Records { get; } = new List<DnsRecord>();

    /// <summary>Problems that did not spoil the whole message, such as one record with bad data.</summary>
    public List<string> Warnings { get; } = new List<string>();
}
