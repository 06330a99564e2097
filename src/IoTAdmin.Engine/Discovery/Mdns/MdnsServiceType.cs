using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Discovery.Mdns;

/// <summary>
/// A DNS-SD service type such as <c>_rtsp._tcp.local</c>, mapped to the inventory's service name.
/// </summary>
internal sealed class MdnsServiceType
{
    // RFC 6763 allows 15 characters; real devices send longer ones (_voucher_com_udemy_tv-auth).
    private const int MaxStandardLabelLength = 16;

    private MdnsServiceType(string serviceName, ServiceTransport transport, bool isOverLong)
    {
        ServiceName = serviceName;
        Transport = transport;
        IsOverLong = isOverLong;
    }

    /// <summary>The label without its underscore, lower-case: http, rtsp, ssh, mqtt, ...</summary>
    public string ServiceName { get; }

    public ServiceTransport Transport { get; }

    /// <summary>True when the service label breaks the 15-character limit; accepted but flagged.</summary>
    public bool IsOverLong { get; }

    /// <summary>Reads "_label._tcp.local" (or the type part of an instance name); null if it is not one.</summary>
    public static MdnsServiceType? TryParse(DnsName type)
    {
        if (type.Labels.Count < 2)
        {
            return null;
        }

        var label = type.Labels[0];
        var protocol = type.Labels[1].ToLowerInvariant();
        if (label.Length < 2 || label[0] != '_' || (protocol != "_tcp" && protocol != "_udp"))
        {
            return null;
        }

        var transport = protocol == "_tcp" ? ServiceTransport.Tcp : ServiceTransport.Udp;
        var isOverLong = label.Length > MaxStandardLabelLength;
        return new MdnsServiceType(label.Substring(1).ToLowerInvariant(), transport, isOverLong);
    }
}
