using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using IoTAdmin.Engine.Baseline.DataFiles;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Configuration;

/// <summary>A device the document names under Devices, so a run can start from the document alone.</summary>
public sealed class ConfigurationNode
{
    public ConfigurationNode(string address, DeviceProfile profile, IReadOnlyList<string> tags, string? name)
    {
        Address = address;
        Profile = profile;
        Tags = tags;
        Name = name;
    }

    public string Address { get; }

    public DeviceProfile Profile { get; }

    public IReadOnlyList<string> Tags { get; }

    public string? Name { get; }
}

/// <summary>
/// The desired-state document: a data-only .psd1 (read by the baseline reader of issue 7, so it can
/// never run code) with the layers Defaults, Profiles, Tags and Devices. Later layers replace a
/// setting of earlier ones as a whole; waivers add up. Unknown keys are errors, so a typo never
/// silently leaves a device unmanaged.
/// </summary>
public sealed class ConfigurationDocument
{
    private static readonly string[] s_topKeys = { "Name", "Description", "Defaults", "Profiles", "Tags", "Devices" };

    private static readonly string[] s_settingKeys =
    {
        "Accounts", "SshKeyOnly", "AuthorizedKeys", "ServicesOff", "Snmp", "AllowedPorts", "Ntp", "Syslog",
        "Baseline", "Waivers", "SshPort",
    };

    private static readonly string[] s_nodeKeys = { "Address", "Profile", "Tags" };

    private static readonly Regex s_serviceName = new Regex("^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$");

    private static readonly Regex s_hostPort = new Regex(@"^[A-Za-z0-9][A-Za-z0-9.:\[\]-]{0,252}$");

    private readonly DataTable? _defaults;
    private readonly Dictionary<DeviceProfile, DataTable> _profiles = new Dictionary<DeviceProfile, DataTable>();
    private readonly List<(string Tag, DataTable Table)> _tags = new List<(string, DataTable)>();
    private readonly List<(string Key, DataTable Table)> _devices = new List<(string, DataTable)>();

    private ConfigurationDocument(DataTable root, string source)
    {
        Source = source;
        Directory = File.Exists(source) ? Path.GetDirectoryName(Path.GetFullPath(source)) : null;
        Name = root.TryGetValue("Name", out var name) && name is string text ? text : Path.GetFileName(source);
        _defaults = OptionalTable(root, "Defaults", source);
        foreach (var (key, table) in Sections(root, "Profiles", source))
        {
            if (!Enum.TryParse<DeviceProfile>(key, true, out var profile))
            {
                throw new DataFileException($"{source} Profiles.{key}: not a profile "
                    + $"({string.Join(", ", Enum.GetNames(typeof(DeviceProfile)))}).");
            }

            _profiles[profile] = table;
        }

        _tags.AddRange(Sections(root, "Tags", source));
        _devices.AddRange(Sections(root, "Devices", source));
        Nodes = _devices.Select(d => ReadNode(d.Key, d.Table, source)).Where(n => n is not null).Select(n => n!)
            .ToList();
        ValidateEveryLayer();
    }

    public string Name { get; }

    /// <summary>The file the document came from (or the caller's label for text).</summary>
    public string Source { get; }

    /// <summary>The folder relative baseline paths are resolved against; null for text without a file.</summary>
    public string? Directory { get; }

    /// <summary>Devices named by literal IPv4 address under Devices.</summary>
    public IReadOnlyList<ConfigurationNode> Nodes { get; }

    /// <summary>Reads a document file.</summary>
    /// <exception cref="DataFileException">The file is missing, not data-only, or not a valid document.</exception>
    public static ConfigurationDocument Load(string path)
    {
        var full = Path.GetFullPath(path);
        var info = new FileInfo(full);
        if (!info.Exists)
        {
            throw new DataFileException($"The configuration file '{full}' does not exist.");
        }

        if (info.Length > DataFileReader.MaxLength)
        {
            throw new DataFileException($"{full}: the file is larger than {DataFileReader.MaxLength} bytes.");
        }

        return Parse(File.ReadAllText(full), full);
    }

    /// <summary>Reads a document from text; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="DataFileException">The text is not data-only or not a valid document.</exception>
    public static ConfigurationDocument Parse(string text, string source)
    {
        var root = DataFileReader.ReadHashtable(text, source);
        CheckKeys(root, s_topKeys, source);
        return new ConfigurationDocument(root, source);
    }

    /// <summary>The merged desired state of one device.</summary>
    public DesiredConfiguration Resolve(IoTDevice device, IReadOnlyCollection<string> tags)
    {
        var layers = new List<(string Name, DataTable Table)>();
        if (_defaults is not null)
        {
            layers.Add(("Defaults", _defaults));
        }

        if (_profiles.TryGetValue(device.Profile, out var profileTable))
        {
            layers.Add(($"Profiles.{device.Profile}", profileTable));
        }

        layers.AddRange(_tags.Where(t => tags.Contains(t.Tag, StringComparer.OrdinalIgnoreCase))
            .Select(t => ($"Tags.{t.Tag}", t.Table)));
        layers.AddRange(_devices.Where(d => Selects(d.Key, device)).Select(d => ($"Devices.{d.Key}", d.Table)));
        return Merge(layers);
    }

    private static bool Selects(string key, IoTDevice device)
    {
        var pattern = "^" + Regex.Escape(key).Replace(@"\*", ".*").Replace(@"\?", ".") + "$";
        return Regex.IsMatch(device.Address, pattern, RegexOptions.IgnoreCase)
            || (device.Name is not null && Regex.IsMatch(device.Name, pattern, RegexOptions.IgnoreCase));
    }

    private static DesiredConfiguration Merge(IReadOnlyList<(string Name, DataTable Table)> layers)
    {
        var desired = new DesiredConfiguration { Layers = layers.Select(l => l.Name).ToList() };
        var waivers = new List<DataTable>();
        foreach (var (name, table) in layers)
        {
            SettingReader.Apply(desired, table, name);
            waivers.AddRange(SettingReader.Waivers(table, name));
        }

        desired.Waivers = waivers;
        return desired;
    }

    private void ValidateEveryLayer()
    {
        // Read each layer once on its own so a bad value is reported at load time, not on the first device.
        var all = new List<(string, DataTable)>();
        if (_defaults is not null)
        {
            all.Add(("Defaults", _defaults));
        }

        all.AddRange(_profiles.Select(p => ($"Profiles.{p.Key}", p.Value)));
        all.AddRange(_tags.Select(t => ($"Tags.{t.Tag}", t.Table)));
        all.AddRange(_devices.Select(d => ($"Devices.{d.Key}", d.Table)));
        foreach (var (name, table) in all)
        {
            var keys = name.StartsWith("Devices.", StringComparison.Ordinal)
                ? s_settingKeys.Concat(s_nodeKeys).ToArray()
                : s_settingKeys;
            CheckKeys(table, keys, $"{Source} {name}");
            SettingReader.Apply(new DesiredConfiguration(), table, $"{Source} {name}");
            SettingReader.Waivers(table, $"{Source} {name}");
        }
    }

    private static ConfigurationNode? ReadNode(string key, DataTable table, string source)
    {
        var address = table.TryGetValue("Address", out var a) && a is string text ? text : key;
        if (!System.Net.IPAddress.TryParse(address, out var parsed)
            || parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            // A name or wildcard entry refines devices that come from the pipeline; it is no node itself.
            return null;
        }

        var profile = DeviceProfile.General;
        if (table.TryGetValue("Profile", out var p) && p is not null
            && !Enum.TryParse(p.ToString(), true, out profile))
        {
            throw new DataFileException($"{source} Devices.{key}.Profile: '{p}' is not a profile.");
        }

        var tags = SettingReader.Strings(table, "Tags", $"{source} Devices.{key}") ?? Array.Empty<string>();
        return new ConfigurationNode(parsed.ToString(), profile, tags, key == address ? null : key);
    }

    private static DataTable? OptionalTable(DataTable root, string key, string source)
    {
        if (!root.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }

        return value as DataTable ?? throw new DataFileException($"{source} {key}: expected a hashtable @{{ }}.");
    }

    private static IEnumerable<(string Key, DataTable Table)> Sections(DataTable root, string key, string source)
    {
        var section = OptionalTable(root, key, source);
        if (section is null)
        {
            yield break;
        }

        foreach (var entry in section.KeysInOrder)
        {
            var table = section[entry] as DataTable
                ?? throw new DataFileException($"{source} {key}.{entry}: expected a hashtable of settings.");
            yield return (entry, table);
        }
    }

    internal static void CheckKeys(DataTable table, IReadOnlyCollection<string> allowed, string where)
    {
        var unknown = table.KeysInOrder.FirstOrDefault(k => !allowed.Contains(k, StringComparer.OrdinalIgnoreCase));
        if (unknown is not null)
        {
            throw new DataFileException($"{where}: unknown key '{unknown}' (allowed: {string.Join(", ", allowed)}).");
        }
    }

    internal static bool IsServiceName(string name) => s_serviceName.IsMatch(name);

    internal static bool IsHostPort(string target) => s_hostPort.IsMatch(target);
}
