using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTAdmin.Engine.Inventory.Lifecycle;

/// <summary>
/// What retiring a device involves (SYS.4.4 M20): the configuration paths that are backed up, the data
/// paths that are backed up and then wiped, and the factory-reset command run last. Each requirement
/// profile has defaults; callers may override every part.
/// </summary>
/// <remarks>
/// Vendors have no common factory-reset command, so the defaults name one only where a convention
/// exists (OpenWrt's firstboot on gateways); for other profiles the caller must give the vendor's command.
/// </remarks>
public sealed class DecommissionPlan
{
    private static readonly string[] s_systemPaths =
        { "/", "/bin", "/boot", "/dev", "/lib", "/lib64", "/proc", "/run", "/sbin", "/sys", "/usr" };

    public DecommissionPlan(IEnumerable<string> configurationPaths, IEnumerable<string> dataPaths,
        string? factoryResetCommand)
    {
        ConfigurationPaths = configurationPaths.Select(CheckPath).Distinct().ToList();
        DataPaths = dataPaths.Select(CheckPath).Distinct().ToList();
        FactoryResetCommand = string.IsNullOrWhiteSpace(factoryResetCommand) ? null : factoryResetCommand!.Trim();
        if (ConfigurationPaths.Count + DataPaths.Count == 0)
        {
            throw new ArgumentException("A decommissioning plan needs at least one path to back up.");
        }
    }

    /// <summary>Backed up, not wiped: the factory reset restores them.</summary>
    public IReadOnlyList<string> ConfigurationPaths { get; }

    /// <summary>Backed up, then emptied (the folders themselves stay).</summary>
    public IReadOnlyList<string> DataPaths { get; }

    /// <summary>Run over SSH after the wipe; null when none is known for the profile.</summary>
    public string? FactoryResetCommand { get; }

    /// <summary>Every path that goes into the backup, configuration first.</summary>
    public IEnumerable<string> BackupPaths => ConfigurationPaths.Concat(DataPaths).Distinct();

    /// <summary>The defaults of a profile: /etc as configuration, /data as data.</summary>
    public static DecommissionPlan ForProfile(DeviceProfile profile) =>
        new DecommissionPlan(new[] { "/etc" }, new[] { "/data" }, DefaultResetCommand(profile));

    /// <summary>The factory-reset command a profile names by default; null when there is no convention.</summary>
    public static string? DefaultResetCommand(DeviceProfile profile) =>
        profile == DeviceProfile.Gateway ? "firstboot -y" : null;

    /// <summary>
    /// Only plain absolute paths below the root that are not the system's own folders: anything else
    /// could make a wipe remove more than the profile meant.
    /// </summary>
    private static string CheckPath(string path)
    {
        var trimmed = (path ?? string.Empty).Trim().TrimEnd('/');
        var plain = trimmed.StartsWith("/", StringComparison.Ordinal)
            && trimmed.All(c => char.IsLetterOrDigit(c) || c is '/' or '-' or '_' or '.')
            && !trimmed.Split('/').Any(part => part == "." || part == "..")
            && !trimmed.Contains("//");
        if (!plain || s_systemPaths.Contains(trimmed.Length == 0 ? "/" : trimmed, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"'{path}' cannot be a decommissioning path: give a plain absolute folder such as /data, not the "
                + "root, a system folder, wildcards, spaces or '..'.");
        }

        return trimmed;
    }
}
