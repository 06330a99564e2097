using System;
using System.Collections.Generic;
using System.Net;

namespace IoTAdmin.Engine.Discovery;

/// <summary>Settings for one discovery run, shared by every protocol.</summary>
public sealed class DiscoveryOptions
{
    /// <summary>Total time discovery may take; every protocol runs concurrently within it.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>IPv4 ranges in CIDR notation that the SNMP sweep covers.</summary>
    public List<string> Subnets { get; } = new List<string>();

    /// <summary>v1/v2c communities the SNMP sweep tries, in order.</summary>
    public List<string> Communities { get; } = new List<string> { "public" };

    /// <summary>
    /// The local IPv4 address multicast queries leave from. When null the operating system picks
    /// the interface by its routing table.
    /// </summary>
    public IPAddress? InterfaceAddress { get; set; }

    /// <summary>Largest UPnP device description read, in bytes; larger bodies are cut off and rejected.</summary>
    public int MaxDescriptionBytes { get; set; } = 256 * 1024;

    /// <summary>Largest number of SNMP requests in flight at once during a sweep.</summary>
    public int MaxConcurrentSnmpRequests { get; set; } = 256;
}
