using System;
using System.Collections.Generic;
using System.Linq;
using IoTAdmin.Engine.Diagnostics;

namespace IoTAdmin.Engine.Inventory;

/// <summary>
/// One device on the network, as discovery saw it: a single IPv4 address with everything each
/// protocol said about it. Discovery merges observations into these; the audit reads them.
/// </summary>
public sealed class IoTDevice
{
    // Device-chosen text is kept free of terminal control characters (see DeviceText).
    private string? _name;
    private string? _vendor;
    private string? _model;
    private string? _firmwareVersion;
    private string? _description;

    public IoTDevice(string address)
    {
        Address = address ?? throw new ArgumentNullException(nameof(address));
    }

    /// <summary>The device's IPv4 address as text; the identity of the device within one run.</summary>
    public string Address { get; }

    public string? Name
    {
        get => _name;
        set => _name = DeviceText.ForDisplay(value);
    }

    public string? Vendor
    {
        get => _vendor;
        set => _vendor = DeviceText.ForDisplay(value);
    }

    public string? Model
    {
        get => _model;
        set => _model = DeviceText.ForDisplay(value);
    }

    public string? FirmwareVersion
    {
        get => _firmwareVersion;
        set => _firmwareVersion = DeviceText.ForDisplay(value);
    }

    public string? Description
    {
        get => _description;
        set => _description = DeviceText.ForDisplay(value);
    }

    /// <summary>The requirement profile the device is audited under (camera, building control, ...).</summary>
    public DeviceProfile Profile { get; set; } = DeviceProfile.General;

    /// <summary>Services and ports seen on the device, one entry per transport and port.</summary>
    public List<DeviceService> Services { get; } = new List<DeviceService>();

    /// <summary>What each discovery protocol reported, kept whole as evidence.</summary>
    public List<DiscoveryObservation> Observations { get; } = new List<DiscoveryObservation>();

    /// <summary>The protocols through which the device answered during discovery.</summary>
    public IReadOnlyList<DiscoveryProtocol> DiscoveredBy =>
        Observations.Select(o => o.Protocol).Distinct().OrderBy(p => p).ToList();

    public DeviceService? FindService(string name) =>
        Services.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Adds a service unless one with the same transport and port is already known.</summary>
    public void AddService(DeviceService service)
    {
        var known = Services.FirstOrDefault(s => s.Port == service.Port && s.Transport == service.Transport);
        if (known is null)
        {
            Services.Add(service);
            return;
        }

        known.Detail ??= service.Detail;
    }

    public override string ToString() => Name is null ? Address : $"{Name} ({Address})";
}
