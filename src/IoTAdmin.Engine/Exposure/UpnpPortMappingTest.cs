using System.Collections.Generic;
using System.Linq;

namespace IoTAdmin.Engine.Exposure;

/// <summary>
/// The result of asking a gateway, from the LAN, to open a port to the internet: whether it found an
/// IGD, which WAN services it offers, and whether AddPortMapping succeeded and was undone.
/// </summary>
public sealed class UpnpPortMappingTest
{
    public UpnpPortMappingTest(string address)
    {
        Address = address;
    }

    public string Address { get; }

    public string? Location { get; set; }

    public string? DeviceType { get; set; }

    public string? FriendlyName { get; set; }

    /// <summary>The WAN services of the description, short names such as WANIPConnection:2.</summary>
    public IReadOnlyList<string> WanServices { get; set; } = new List<string>();

    public string? ControlUrl { get; set; }

    public int ExternalPort { get; set; }

    public string Protocol { get; set; } = "TCP";

    public string? InternalClient { get; set; }

    /// <summary>
    /// True when the gateway accepted the mapping; false when it refused; null when not tried (-WhatIf).
    /// </summary>
    public bool? MappingAdded { get; set; }

    /// <summary>True when the test mapping was deleted again; null when there was nothing to delete.</summary>
    public bool? MappingRemoved { get; set; }

    /// <summary>The UPnP error code of a refusal, e.g. 606 (not authorized) or 718 (conflict).</summary>
    public int? ErrorCode { get; set; }

    public string Detail { get; set; } = string.Empty;

    /// <summary>True when any LAN host can open ports on this gateway: the SYS.4.4.M5 finding.</summary>
    public bool LanCanOpenPorts => MappingAdded == true;

    public static string ShortTypeOf(string serviceType)
    {
        var parts = serviceType.Split(':');
        return parts.Length >= 2 ? string.Join(":", parts.Skip(parts.Length - 2)) : serviceType;
    }
}
