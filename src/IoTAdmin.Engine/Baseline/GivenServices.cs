using System;
using System.Collections.Generic;
using System.Linq;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// Services the admin names for an audit (Test-IoTBaseline -ServicePort), such as SSH moved to 48022:
/// discovery cannot know such ports and the rules only try the standard ones, so without this a
/// moved service would be reported as absent.
/// </summary>
public static class GivenServices
{
    /// <summary>The service names rules look for on TCP.</summary>
    public static readonly IReadOnlyList<string> KnownNames = new[]
    {
        "ssh", "telnet", "http", "https", "tls", "mqtt", "mqtts", "rtsp", "ftp",
    };

    /// <summary>Checks one named service and its ports.</summary>
    /// <exception cref="ArgumentException">An unknown name or a port outside 1..65535.</exception>
    public static IReadOnlyList<DeviceService> Create(string name, IEnumerable<int> ports)
    {
        var known = KnownNames.FirstOrDefault(n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (known is null)
        {
            throw new ArgumentException(
                $"'{name}' is not a service the rules know; use one of {string.Join(", ", KnownNames)}.");
        }

        var list = ports.ToList();
        var bad = list.Where(p => p < 1 || p > 65535).ToList();
        if (list.Count == 0 || bad.Count > 0)
        {
            throw new ArgumentException($"The ports of '{known}' must be 1 to 65535" +
                (bad.Count > 0 ? $", not {string.Join(", ", bad)}." : "; none was given."));
        }

        return list.Distinct().Select(p => new DeviceService(known, ServiceTransport.Tcp, p, DiscoveryProtocol.Given))
            .ToList();
    }

    /// <summary>Adds the services to the device; a port it already knows keeps its discovered name.</summary>
    public static void AddTo(IoTDevice device, IEnumerable<DeviceService> services)
    {
        foreach (var service in services)
        {
            device.AddService(new DeviceService(service.Name, service.Transport, service.Port, service.Source));
        }
    }
}
