using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Firmware;

/// <summary>
/// Reads the firmware from version files on the device over its administrative shell: vendor release
/// files (/etc/firmware-release, /etc/version, /etc/openwrt_release) hold the firmware; /etc/os-release
/// names the operating system, kept as a component. KEY="value" lines are read; nothing is executed
/// from them.
/// </summary>
public static class DeviceFileSource
{
    private const int MaxOutputCharacters = 64 * 1024;

    private static readonly string[] s_firmwareFiles =
    {
        "/etc/firmware-release", "/etc/openwrt_release", "/etc/version",
    };

    private static readonly string[] s_versionKeys =
    {
        "VERSION", "FIRMWARE_VERSION", "FW_VERSION", "DISTRIB_RELEASE",
    };
    private static readonly string[] s_modelKeys = { "MODEL", "PRODUCT", "DISTRIB_TARGET" };
    private static readonly string[] s_vendorKeys = { "VENDOR", "MANUFACTURER", "DISTRIB_ID" };

    public static async Task<IReadOnlyList<FirmwareReading>> ReadAsync(IDeviceSession session, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var files = s_firmwareFiles.Concat(new[] { "/etc/os-release" });
        var dumps = files.Select(f => $"[ -r {f} ] && {{ echo '@@FILE {f}'; head -c 8192 {f}; echo; }}");
        var command = string.Join("; ", dumps) + "; true";
        var result = await session.RunAsync(command, timeout, cancellationToken).ConfigureAwait(false);
        return Parse(result.Output.Length > MaxOutputCharacters ? result.Output.Substring(0, MaxOutputCharacters)
            : result.Output);
    }

    /// <summary>Reads the output of the file dump ("@@FILE path" then the file's lines).</summary>
    public static IReadOnlyList<FirmwareReading> Parse(string output)
    {
        var readings = new List<FirmwareReading>();
        foreach (var (path, values) in Split(output))
        {
            if (path == "/etc/os-release")
            {
                readings.Add(new FirmwareReading(FirmwareSource.DeviceFile, FirmwareConfidence.DeviceRecord,
                    Get(values, "ID"), Get(values, "NAME"), Get(values, "VERSION_ID") ?? Get(values, "VERSION"))
                {
                    Kind = FirmwareReadingKind.Component,
                    Detail = path,
                });
                continue;
            }

            var version = s_versionKeys.Select(k => Get(values, k)).FirstOrDefault(v => v is not null);
            if (version is null && values.Count == 0)
            {
                continue;
            }

            var vendor = s_vendorKeys.Select(k => Get(values, k)).FirstOrDefault(v => v is not null);
            var model = s_modelKeys.Select(k => Get(values, k)).FirstOrDefault(v => v is not null);
            readings.Add(new FirmwareReading(FirmwareSource.DeviceFile, FirmwareConfidence.DeviceRecord, vendor, model,
                version) { Detail = path });
        }

        return readings;
    }

    private static IEnumerable<(string Path, Dictionary<string, string> Values)> Split(string output)
    {
        string? path = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("@@FILE ", StringComparison.Ordinal))
            {
                if (path is not null)
                {
                    yield return (path, values);
                }

                path = line.Substring(7).Trim();
                values = new Dictionary<string, string>(StringComparer.Ordinal);
                continue;
            }

            var equals = line.IndexOf('=');
            if (path is not null && equals > 0)
            {
                values[line.Substring(0, equals).Trim()] = line.Substring(equals + 1).Trim().Trim('"', '\'');
            }
        }

        if (path is not null)
        {
            yield return (path, values);
        }
    }

    private static string? Get(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
}
