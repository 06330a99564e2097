using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Discovery.Ssdp;

/// <summary>Fills an SSDP observation from the datagrams of one address and its device description.</summary>
internal static class SsdpObservationBuilder
{
    /// <summary>Attribute naming where FirmwareVersion came from: "device-record" or "banner".</summary>
    public const string FirmwareSourceAttribute = "firmware.source";

    private const int SsdpPort = 1900;

    // UPnP stacks whose version says nothing about the device firmware.
    private static readonly string[] s_upnpStacks =
    {
        "miniupnpd", "libupnp", "portable sdk", "intel sdk", "cling", "upnp", "dlnadoc", "sdk", "sonos",
    };

    private static readonly Regex s_productToken = new Regex(@"([A-Za-z][\w.\-]*)/([\w.\-]+)");

    public static void ApplyResponse(DiscoveryObservation observation, SsdpResponse response)
    {
        AddOnce(observation, "ssdp.st", response.SearchTarget);
        SetIfPresent(observation, "ssdp.location", response.Location);
        if (response.Server is not null && !observation.Attributes.ContainsKey("ssdp.server"))
        {
            observation.Attributes["ssdp.server"] = response.Server;
        }

        if (observation.Services.All(s => s.Port != SsdpPort || s.Transport != ServiceTransport.Udp))
        {
            var ssdp = new DeviceService("ssdp", ServiceTransport.Udp, SsdpPort, DiscoveryProtocol.Ssdp);
            observation.Services.Add(ssdp);
        }
    }

    public static void ApplyDescription(DiscoveryObservation observation, DeviceDescription description, Uri location)
    {
        observation.Name ??= description.FriendlyName;
        observation.Vendor ??= description.Manufacturer;
        observation.Model ??= JoinModel(description.ModelName, description.ModelNumber);
        observation.Description ??= description.ModelDescription;
        if (description.FirmwareVersion is not null && !IsFromRecord(observation))
        {
            observation.FirmwareVersion = description.FirmwareVersion;
            observation.Attributes[FirmwareSourceAttribute] = "device-record";
        }

        SetIfPresent(observation, "upnp.deviceType", description.DeviceType);
        SetIfPresent(observation, "upnp.udn", description.Udn);
        SetIfPresent(observation, "upnp.serialNumber", description.SerialNumber);
        SetIfPresent(observation, "upnp.presentationURL", description.PresentationUrl);
        SetIfPresent(observation, "upnp.urlBase", description.UrlBase);
        SetIfPresent(observation, "upnp.deviceTypes", Join(description.DeviceTypes));
        SetIfPresent(observation, "upnp.services", Join(description.ServiceTypes.Select(ShortType)));
        if (observation.Services.All(s => s.Port != location.Port || s.Transport != ServiceTransport.Tcp))
        {
            var upnp = new DeviceService("upnp", ServiceTransport.Tcp, location.Port, DiscoveryProtocol.Ssdp)
            {
                Detail = description.DeviceType,
            };
            observation.Services.Add(upnp);
        }
    }

    /// <summary>A firmware guess from SERVER ("Linux UPnP/1.0 Roku/9.1.0" gives "9.1.0"), if any.</summary>
    public static void ApplyServerBanner(DiscoveryObservation observation)
    {
        if (observation.FirmwareVersion is not null
            || !observation.Attributes.TryGetValue("ssdp.server", out var server))
        {
            return;
        }

        var version = FirmwareFromServer(server);
        if (version is not null)
        {
            observation.FirmwareVersion = version;
            observation.Attributes[FirmwareSourceAttribute] = "banner";
        }
    }

    internal static string? FirmwareFromServer(string server)
    {
        var tokens = s_productToken.Matches(server).Cast<Match>().ToList();
        var upnp = tokens.FindIndex(t => t.Groups[1].Value.Equals("UPnP", StringComparison.OrdinalIgnoreCase));
        return tokens.Skip(upnp + 1)
            .Where(t => upnp >= 0 && !IsStack(t.Groups[1].Value))
            .Select(t => t.Groups[2].Value)
            .FirstOrDefault();
    }

    public static void AddError(DiscoveryObservation observation, string error) =>
        observation.Error = observation.Error is null ? error : observation.Error + " " + error;

    private static bool IsStack(string product) =>
        s_upnpStacks.Any(s => product.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    private static bool IsFromRecord(DiscoveryObservation observation) =>
        observation.Attributes.TryGetValue(FirmwareSourceAttribute, out var source) && source == "device-record";

    /// <summary>"urn:schemas-upnp-org:service:WANIPConnection:1" becomes "WANIPConnection".</summary>
    private static string ShortType(string type)
    {
        var parts = type.Split(':');
        return parts.Length >= 2 ? parts[parts.Length - 2] : type;
    }

    private static string? JoinModel(string? name, string? number)
    {
        if (name is null || number is null || name.IndexOf(number, StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return name ?? number;
        }

        return name + " " + number;
    }

    private static string? Join(IEnumerable<string> values)
    {
        var text = string.Join(",", values.Distinct());
        return text.Length == 0 ? null : text;
    }

    private static void SetIfPresent(DiscoveryObservation observation, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value) && !observation.Attributes.ContainsKey(key))
        {
            observation.Attributes[key] = value!;
        }
    }

    private static void AddOnce(DiscoveryObservation observation, string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (!observation.Attributes.TryGetValue(key, out var known))
        {
            observation.Attributes[key] = value!;
        }
        else if (!known.Split(',').Contains(value))
        {
            observation.Attributes[key] = known + "," + value;
        }
    }
}
