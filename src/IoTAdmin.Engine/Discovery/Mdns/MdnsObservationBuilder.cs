using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Discovery.Mdns;

/// <summary>
/// Turns the records of one run into one observation per IPv4 address: host name, SRV services and
/// TXT facts. A service whose host has no A record is credited to the address that announced it.
/// </summary>
internal static class MdnsObservationBuilder
{
    private static readonly string[] s_vendorKeys = { "vendor", "manufacturer", "mf", "mfg", "usb_mfg" };
    private static readonly string[] s_modelKeys = { "model", "md", "product", "modelname", "ty" };
    private static readonly string[] s_firmwareKeys = { "fw", "firmware", "fwversion", "fw_ver", "version", "fv" };

    public static IReadOnlyList<DiscoveryObservation> Build(MdnsRecordSet records, IActivityLog log)
    {
        var observations = new Dictionary<string, DiscoveryObservation>(StringComparer.Ordinal);
        foreach (var instance in Instances(records))
        {
            AddInstance(records, instance, observations, log);
        }

        // A host's own address only: A records for other interfaces would invent devices (BR-20).
        foreach (var host in records.OfType(DnsRecordType.A).Where(a => a.Address!.Equals(records.SenderOf(a))))
        {
            var observation = ObservationFor(observations, host.Address!);
            observation.Name ??= HostName(host.Name);
        }

        return observations.Values.ToList();
    }

    /// <summary>Instance names from PTR answers plus SRV records whose type was never listed.</summary>
    private static IEnumerable<DnsName> Instances(MdnsRecordSet records)
    {
        var fromPointers = records.ServiceTypes()
            .SelectMany(type => records.Find(type, DnsRecordType.Ptr))
            .Select(ptr => ptr.Target!);
        var fromSrv = records.OfType(DnsRecordType.Srv).Select(srv => srv.Name);
        return fromPointers.Concat(fromSrv).Distinct();
    }

    private static void AddInstance(
        MdnsRecordSet records,
        DnsName instance,
        Dictionary<string, DiscoveryObservation> observations,
        IActivityLog log)
    {
        var type = MdnsServiceType.TryParse(instance.Parent());
        var srv = records.Find(instance, DnsRecordType.Srv).FirstOrDefault();
        if (type is null || srv is null)
        {
            return;
        }

        if (type.IsOverLong)
        {
            log.Debug($"mDNS: service label of '{instance}' is longer than 15 characters; kept.");
        }

        var address = AddressOf(records, srv);
        var observation = ObservationFor(observations, address);
        observation.Name ??= HostName(srv.Target!);
        var service = new DeviceService(type.ServiceName, type.Transport, srv.Port, DiscoveryProtocol.Mdns)
        {
            Detail = instance.FirstLabel,
        };
        AddService(observation, service);

        foreach (var txt in records.Find(instance, DnsRecordType.Txt))
        {
            ApplyText(observation, txt.Text);
        }
    }

    /// <summary>The host's A record that matches the sender, else its first one, else the sender.</summary>
    private static IPAddress AddressOf(MdnsRecordSet records, DnsRecord srv)
    {
        var sender = records.SenderOf(srv);
        var addresses = records.Find(srv.Target!, DnsRecordType.A).Select(a => a.Address!).ToList();
        return addresses.FirstOrDefault(a => a.Equals(sender)) ?? addresses.FirstOrDefault() ?? sender;
    }

    private static DiscoveryObservation ObservationFor(Dictionary<string, DiscoveryObservation> all, IPAddress address)
    {
        var key = address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6
            ? address.MapToIPv4().ToString()
            : address.ToString();
        if (!all.TryGetValue(key, out var observation))
        {
            observation = new DiscoveryObservation(key, DiscoveryProtocol.Mdns);
            all.Add(key, observation);
        }

        return observation;
    }

    private static void AddService(DiscoveryObservation observation, DeviceService service)
    {
        var known = observation.Services.Any(s => s.Transport == service.Transport && s.Port == service.Port);
        if (!known)
        {
            observation.Services.Add(service);
        }
    }

    /// <summary>Applies TXT "key=value" entries; the first value seen for a key wins.</summary>
    internal static void ApplyText(DiscoveryObservation observation, IEnumerable<string> entries)
    {
        foreach (var entry in entries)
        {
            var equals = entry.IndexOf('=');
            var key = (equals < 0 ? entry : entry.Substring(0, equals)).Trim().ToLowerInvariant();
            var value = equals < 0 ? string.Empty : entry.Substring(equals + 1).Trim();
            if (key.Length == 0)
            {
                continue;
            }

            var attribute = "mdns.txt." + key;
            if (!observation.Attributes.ContainsKey(attribute))
            {
                observation.Attributes[attribute] = value;
            }
        }

        observation.Vendor ??= FirstValue(observation, s_vendorKeys);
        observation.Model ??= FirstValue(observation, s_modelKeys);
        observation.FirmwareVersion ??= FirstValue(observation, s_firmwareKeys);
    }

    private static string? FirstValue(DiscoveryObservation observation, IEnumerable<string> keys) =>
        keys.Select(k => observation.Attributes.TryGetValue("mdns.txt." + k, out var v) ? v : null)
            .FirstOrDefault(v => !string.IsNullOrEmpty(v));

    /// <summary>"cam1.local" becomes "cam1".</summary>
    internal static string HostName(DnsName host)
    {
        var labels = host.Labels.ToList();
        if (labels.Count > 1 && string.Equals(labels[labels.Count - 1], "local", StringComparison.OrdinalIgnoreCase))
        {
            labels.RemoveAt(labels.Count - 1);
        }

        return string.Join(".", labels);
    }
}
