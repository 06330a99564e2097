namespace IoTAdmin.Engine.Inventory;

/// <summary>Transport protocol of a service.</summary>
public enum ServiceTransport
{
    Tcp,
    Udp,
}

/// <summary>A network service a device offers, as seen by one discovery protocol.</summary>
public sealed class DeviceService
{
    public DeviceService(string name, ServiceTransport transport, int port, DiscoveryProtocol source)
    {
        Name = name;
        Transport = transport;
        Port = port;
        Source = source;
    }

    /// <summary>A lower-case service name: ssh, telnet, http, https, rtsp, snmp, mqtt, upnp.</summary>
    public string Name { get; }

    public ServiceTransport Transport { get; }

    public int Port { get; }

    /// <summary>The discovery protocol that reported the service.</summary>
    public DiscoveryProtocol Source { get; }

    /// <summary>Free text such as an mDNS instance name or a UPnP device type.</summary>
    public string? Detail { get; set; }

    public override string ToString() => $"{Name}/{Transport.ToString().ToLowerInvariant()}:{Port}";
}
