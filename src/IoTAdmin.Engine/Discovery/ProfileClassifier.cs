using System;
using System.Collections.Generic;
using System.Linq;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Discovery;

/// <summary>
/// Chooses the SYS.4.4 requirement profile of a device from its services and the words in its
/// vendor, model, description and UPnP types. Camera evidence wins over gateway, gateway over
/// building control; a device with no evidence is General.
/// </summary>
public static class ProfileClassifier
{
    private const int BacnetPort = 47808;

    private static readonly string[] s_cameraWords =
    {
        "camera", "nvr", "dvr", "ipcam", "network video", "hikvision", "axis", "dahua", "vivotek", "mobotix",
        "hanwha", "uniview", "amcrest", "reolink", "foscam", "digital video recorder",
    };

    private static readonly string[] s_gatewayWords =
    {
        "router", "gateway", "internetgatewaydevice", "wanipconnection", "wanpppconnection", "wandevice",
        "openwrt", "dd-wrt", "draytek", "vigor", "fritz!box", "livebox", "teltonika",
    };

    private static readonly string[] s_buildingWords =
    {
        "hvac", "bms", "building", "controller", "bacnet", "carel", "pcoweb", "stulz", "desigo", "chiller",
        "thermostat", "knx", "modbus",
    };

    public static DeviceProfile Classify(IoTDevice device)
    {
        if (device is null)
        {
            throw new ArgumentNullException(nameof(device));
        }

        var text = Evidence(device);
        if (device.FindService("rtsp") is not null || ContainsAny(text, s_cameraWords))
        {
            return DeviceProfile.Camera;
        }

        if (ContainsAny(text, s_gatewayWords))
        {
            return DeviceProfile.Gateway;
        }

        if (device.Services.Any(s => s.Port == BacnetPort) || ContainsAny(text, s_buildingWords))
        {
            return DeviceProfile.BuildingControl;
        }

        return DeviceProfile.General;
    }

    /// <summary>The lower-case text the word lists are matched against.</summary>
    private static string Evidence(IoTDevice device)
    {
        var parts = new List<string?> { device.Vendor, device.Model, device.Description };

        // mDNS instance names ("BMS-4000 controller (hvac1)") are often the only words a device offers.
        parts.AddRange(device.Services.Select(s => s.Detail));
        foreach (var observation in device.Observations)
        {
            parts.Add(observation.Vendor);
            parts.Add(observation.Model);
            parts.Add(observation.Description);
            parts.AddRange(observation.Attributes
                .Where(a => a.Key.StartsWith("upnp.", StringComparison.Ordinal))
                .Select(a => a.Value));
        }

        return string.Join(" | ", parts.Where(p => !string.IsNullOrEmpty(p))).ToLowerInvariant();
    }

    private static bool ContainsAny(string text, IEnumerable<string> words) =>
        words.Any(w => ContainsWord(text, w));

    /// <summary>Matches whole words so "axis" does not match "taxis" and "nvr" not "convert".</summary>
    private static bool ContainsWord(string text, string word)
    {
        for (var index = text.IndexOf(word, StringComparison.Ordinal); index >= 0;
            index = text.IndexOf(word, index + 1, StringComparison.Ordinal))
        {
            var before = index == 0 || !char.IsLetterOrDigit(text[index - 1]);
            var end = index + word.Length;
            var after = end >= text.Length || !char.IsLetter(text[end]);
            if (before && after)
            {
                return true;
            }
        }

        return false;
    }
}
