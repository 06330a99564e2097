using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Discovery;

/// <summary>
/// Merges observations into one <see cref="IoTDevice"/> per address. Each field takes the first
/// non-empty value in this order of trust:
/// <list type="number">
/// <item>SNMP (sysName, sysDescr fingerprint): the device's own management records;</item>
/// <item>SSDP description: the device's own UPnP description document;</item>
/// <item>mDNS: host name and TXT keys, set by whoever configured the advert.</item>
/// </list>
/// A firmware version read from the device's records (attribute firmware.source = "device-record",
/// or any SNMP value) beats one guessed from a banner (firmware.source = "banner"). Observations with
/// an Error are kept as evidence but only fill fields still empty, and never blank a value.
/// </summary>
public static class DeviceMerger
{
    private const string FirmwareSource = "firmware.source";

    public static IReadOnlyList<IoTDevice> Merge(IEnumerable<DiscoveryObservation> observations)
    {
        if (observations is null)
        {
            throw new ArgumentNullException(nameof(observations));
        }

        return observations
            .Where(o => !string.IsNullOrWhiteSpace(o.Address))
            .GroupBy(o => o.Address.Trim(), StringComparer.Ordinal)
            .Select(g => MergeOne(g.Key, g.ToList()))
            .OrderBy(d => AddressOrder(d.Address))
            .ThenBy(d => d.Address, StringComparer.Ordinal)
            .ToList();
    }

    private static IoTDevice MergeOne(string address, List<DiscoveryObservation> observations)
    {
        var device = new IoTDevice(address);
        var ranked = observations.OrderBy(Rank).ToList();
        device.Observations.AddRange(observations);

        device.Name = First(ranked, o => o.Name);
        device.Vendor = First(ranked, o => o.Vendor);
        device.Model = First(ranked, o => o.Model);
        device.Description = First(ranked, o => o.Description);
        device.FirmwareVersion = First(ranked.OrderBy(FirmwareRank), o => o.FirmwareVersion);
        foreach (var service in ranked.SelectMany(o => o.Services).OrderBy(s => s.Port).ThenBy(s => s.Transport))
        {
            device.AddService(new DeviceService(service.Name, service.Transport, service.Port, service.Source)
            {
                Detail = service.Detail,
            });
        }

        device.Profile = ProfileClassifier.Classify(device);
        return device;
    }

    /// <summary>Sources ordered by trust; an observation with an error goes after all clean ones.</summary>
    private static int Rank(DiscoveryObservation observation)
    {
        var protocolRank = observation.Protocol switch
        {
            DiscoveryProtocol.Snmp => 0,
            DiscoveryProtocol.Ssdp => 1,
            _ => 2,
        };
        return (observation.Error is null ? 0 : 10) + protocolRank;
    }

    private static int FirmwareRank(DiscoveryObservation observation)
    {
        observation.Attributes.TryGetValue(FirmwareSource, out var source);
        var fromRecord = observation.Protocol == DiscoveryProtocol.Snmp || source == "device-record";
        var fromBanner = source == "banner";
        return fromRecord ? 0 : fromBanner ? 2 : 1;
    }

    private static string? First(
        IEnumerable<DiscoveryObservation> ranked,
        Func<DiscoveryObservation, string?> field) =>
        ranked.Select(field).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    /// <summary>IPv4 addresses sort numerically; anything else after them.</summary>
    private static long AddressOrder(string address)
    {
        if (IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = ip.GetAddressBytes();
            return ((long)bytes[0] << 24) | ((long)bytes[1] << 16) | ((long)bytes[2] << 8) | bytes[3];
        }

        return long.MaxValue;
    }
}
