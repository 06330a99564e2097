using System;
using System.Collections.Generic;
using System.Linq;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>The plain-HTTP URLs a web rule requests: "/" on each open port and the UPnP presentation URL.</summary>
internal static class WebTargets
{
    private const string PresentationKey = "upnp.presentationURL";

    public static IReadOnlyList<Uri> For(IoTDevice device, IReadOnlyList<int> openPorts)
    {
        var targets = openPorts.Select(port => new Uri($"http://{device.Address}:{port}/")).ToList();
        foreach (var observation in device.Observations.Where(o => o.Attributes.ContainsKey(PresentationKey)))
        {
            var url = Resolve(observation);
            if (url is not null && IsPlainHttpOn(url, device) && !targets.Contains(url))
            {
                targets.Add(url);
            }
        }

        return targets;
    }

    /// <summary>The presentation URL made absolute against URLBase or the SSDP location, if it parses.</summary>
    private static Uri? Resolve(DiscoveryObservation observation)
    {
        var raw = observation.Attributes[PresentationKey];
        // On Unix "/admin/" parses as an absolute file: URI, so only a leading scheme counts as absolute.
        if (raw.IndexOf("://", StringComparison.Ordinal) > 0 && Uri.TryCreate(raw, UriKind.Absolute, out var absolute))
        {
            return absolute;
        }

        observation.Attributes.TryGetValue("upnp.urlBase", out var urlBase);
        observation.Attributes.TryGetValue("ssdp.location", out var location);
        var baseText = string.IsNullOrEmpty(urlBase) ? location : urlBase;
        return Uri.TryCreate(baseText, UriKind.Absolute, out var baseUri)
            && Uri.TryCreate(baseUri, raw, out var resolved)
            ? resolved
            : null;
    }

    // Only the device itself, over plain HTTP: a presentation URL must never send the audit elsewhere.
    private static bool IsPlainHttpOn(Uri url, IoTDevice device) =>
        url.Scheme == Uri.UriSchemeHttp && string.Equals(url.Host, device.Address, StringComparison.OrdinalIgnoreCase);
}
