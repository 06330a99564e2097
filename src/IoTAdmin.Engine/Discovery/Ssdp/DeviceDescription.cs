using System.Collections.Generic;

namespace IoTAdmin.Engine.Discovery.Ssdp;

/// <summary>What a UPnP device description document says about the root device and its children.</summary>
public sealed class DeviceDescription
{
    public string? DeviceType { get; set; }

    public string? FriendlyName { get; set; }

    public string? Manufacturer { get; set; }

    public string? ModelName { get; set; }

    public string? ModelNumber { get; set; }

    public string? ModelDescription { get; set; }

    public string? SerialNumber { get; set; }

    public string? Udn { get; set; }

    /// <summary>Vendor extension (Belkin WeMo and others) naming the running firmware.</summary>
    public string? FirmwareVersion { get; set; }

    /// <summary>Kept as the device sent it, since real devices send URLs that do not parse.</summary>
    public string? PresentationUrl { get; set; }

    public string? UrlBase { get; set; }

    /// <summary>deviceType of the root device and every embedded device, in document order.</summary>
    public List<string> DeviceTypes { get; } = new List<string>();

    /// <summary>serviceType of every service of every device, in document order, without repeats.</summary>
    public List<string> ServiceTypes { get; } = new List<string>();

    /// <summary>Faults that did not stop the parse, such as a URLBase that is not a URL.</summary>
    public List<string> Problems { get; } = new List<string>();
}
