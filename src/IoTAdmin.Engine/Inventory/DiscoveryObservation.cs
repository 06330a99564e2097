using System;
using System.Collections.Generic;

namespace IoTAdmin.Engine.Inventory;

/// <summary>The protocols through which devices are discovered, and Given for what the admin named.</summary>
public enum DiscoveryProtocol
{
    Mdns,
    Ssdp,
    Snmp,

    /// <summary>Not discovered: named by the admin (Test-IoTBaseline -ServicePort), such as SSH on 48022.</summary>
    Given,
}

/// <summary>
/// What one discovery protocol learnt about one address. Observations are merged per address into
/// <see cref="IoTDevice"/> objects; each is kept on the device so the report can show its source.
/// </summary>
public sealed class DiscoveryObservation
{
    public DiscoveryObservation(string address, DiscoveryProtocol protocol)
    {
        Address = address;
        Protocol = protocol;
    }

    public string Address { get; }

    public DiscoveryProtocol Protocol { get; }

    public DateTimeOffset ObservedAt { get; set; } = DateTimeOffset.UtcNow;

    public string? Name { get; set; }

    public string? Vendor { get; set; }

    public string? Model { get; set; }

    public string? FirmwareVersion { get; set; }

    public string? Description { get; set; }

    /// <summary>Protocol-specific facts: sysObjectID, UPnP deviceType, mDNS TXT keys, ...</summary>
    public Dictionary<string, string> Attributes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public List<DeviceService> Services { get; } = new List<DeviceService>();

    /// <summary>A problem met while reading this device's answer (bad description, parse error).</summary>
    public string? Error { get; set; }
}
