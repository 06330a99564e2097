using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Exposure;

/// <summary>One port of one device as a scan from outside saw it, with the service identified on it.</summary>
public sealed class NetworkService
{
    public NetworkService(string address, int port, ServiceTransport transport, PortState state)
    {
        Address = address;
        Port = port;
        Transport = transport;
        State = state;
    }

    public string Address { get; }

    public int Port { get; }

    public ServiceTransport Transport { get; }

    /// <summary>Open, Closed, Timeout (filtered, silent or not scanned in time) or Unreachable.</summary>
    public PortState State { get; }

    /// <summary>
    /// A lower-case service name (ssh, telnet, http, https, rtsp, mqtt, ftp, upnp, snmp, tls), or null.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>The server software the service named, e.g. dropbear or lighttpd.</summary>
    public string? Product { get; set; }

    public string? Version { get; set; }

    /// <summary>The first printable bytes the service sent (control bytes as dots), at most 160 characters.</summary>
    public string? Banner { get; set; }

    /// <summary>True when the service spoke TLS.</summary>
    public bool Tls { get; set; }

    /// <summary>How the service was identified, or why it was not.</summary>
    public string? Detail { get; set; }

    public override string ToString() =>
        $"{Address}:{Port}/{Transport.ToString().ToLowerInvariant()} {State} {Name ?? "?"}";
}
