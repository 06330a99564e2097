using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline.Credentials;

/// <summary>
/// The built-in default credentials (Data/default-credentials.csv: SecLists Mirai list plus an IoT
/// subset of the DefaultCreds cheat sheet) and the order in which to try them on a device.
/// </summary>
public sealed class DefaultCredentialList
{
    private const string MiraiSource = "mirai";
    private const string ResourceName = "IoTAdmin.Engine.Data.default-credentials.csv";
    private static readonly Lazy<DefaultCredentialList> s_builtIn = new Lazy<DefaultCredentialList>(LoadBuiltIn);

    // Accounts that exist in typical camera, DVR and router firmware; tried before exotic ones.
    private static readonly string[] s_typicalUsers = { "root", "admin", "user", "support", "guest", "default" };

    // Words in the list's vendor column that name a class of device, per requirement profile.
    private static readonly Dictionary<DeviceProfile, string[]> s_profileWords = new Dictionary<DeviceProfile, string[]>
    {
        [DeviceProfile.Camera] = new[]
        {
            "camera", "ipcamera", "cam", "ipcam", "webcam", "dvr", "nvr", "hi3516", "hi3518",
        },
        [DeviceProfile.Gateway] = new[] { "router", "gateway", "modem", "adsl", "dsl", "wireless" },
        [DeviceProfile.BuildingControl] = new[] { "hvac", "bms", "building", "bacnet", "controller", "plc" },
    };

    public DefaultCredentialList(IReadOnlyList<DefaultCredential> entries)
    {
        Entries = entries;
    }

    /// <summary>The embedded list, loaded once.</summary>
    public static DefaultCredentialList BuiltIn => s_builtIn.Value;

    public IReadOnlyList<DefaultCredential> Entries { get; }

    /// <summary>
    /// The pairs to try on a device, in this order: when <paramref name="options"/> carries
    /// credentials, exactly those (in their order) and not the built-in list, because an operator who
    /// names credentials expects only those to be sent; otherwise the built-in list ordered by
    /// <see cref="OrderFor(string, DeviceProfile, string)"/>.
    /// </summary>
    public static IReadOnlyList<CredentialPair> Select(IoTDevice device, AuditOptions options, string protocol) =>
        options.Credentials.Count > 0
            ? options.Credentials.ToList()
            : BuiltIn.OrderFor(device.Vendor, device.Profile, protocol);

    /// <summary>Orders the pairs for a device of unknown profile; see the overload with a profile.</summary>
    public IReadOnlyList<CredentialPair> OrderFor(string? vendor, string protocol) =>
        OrderFor(vendor, DeviceProfile.General, protocol);

    /// <summary>
    /// Orders the pairs for a device: first the entries of its vendor (those naming the protocol
    /// first); then the entries listed for its class of device (cameras and DVRs for a camera,
    /// routers for a gateway), those naming this kind of login first and the pairs most sources agree
    /// on first; then the Mirai pairs of typical
    /// IoT accounts in the botnet's own order (what really works on cameras and DVRs), then other
    /// typical accounts by how many sources list them, then the rest. Each pair appears once.
    /// The attempt cap of an audit cuts this list, so its head is what a device is really tried with.
    /// </summary>
    public IReadOnlyList<CredentialPair> OrderFor(string? vendor, DeviceProfile profile, string protocol)
    {
        var vendorKey = VendorKey(vendor);
        var popularity = Entries.GroupBy(PairKey).ToDictionary(g => g.Key, g => g.Count());
        var ranked = Entries
            .Select((entry, index) => new { entry, index })
            .OrderBy(x => Rank(x.entry, vendorKey, profile, protocol))
            .ThenByDescending(x => x.entry.Source == MiraiSource ? 0 : popularity[PairKey(x.entry)])
            .ThenBy(x => x.index);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<CredentialPair>();
        foreach (var item in ranked)
        {
            if (seen.Add(PairKey(item.entry)))
            {
                ordered.Add(item.entry.ToPair());
            }
        }

        return ordered;
    }

    /// <summary>Reads the format of Data/default-credentials.csv (header vendor,username,password,source).</summary>
    public static DefaultCredentialList Parse(TextReader reader)
    {
        var entries = new List<DefaultCredential>();
        var header = reader.ReadLine();
        if (header is null)
        {
            return new DefaultCredentialList(entries);
        }

        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var fields = SplitCsvLine(line);
            if (fields.Count >= 4 && fields[1].Length > 0)
            {
                entries.Add(new DefaultCredential(fields[0], fields[1], fields[2], fields[3]));
            }
        }

        return new DefaultCredentialList(entries);
    }

    /// <summary>The first word of a vendor name, lower case: "Hikvision Digital" and "hikvision (ssh)" agree.</summary>
    internal static string VendorKey(string? vendor)
    {
        if (string.IsNullOrWhiteSpace(vendor))
        {
            return string.Empty;
        }

        var separators = new[] { ' ', '(', ',', '-' };
        var words = vendor!.Trim().ToLowerInvariant().Split(separators, StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? string.Empty : words[0];
    }

    private static int Rank(DefaultCredential entry, string vendorKey, DeviceProfile profile, string protocol)
    {
        var entryKey = VendorKey(entry.Vendor);
        if (vendorKey.Length > 0 && entryKey == vendorKey)
        {
            return entry.Vendor.IndexOf(protocol, StringComparison.OrdinalIgnoreCase) >= 0 ? 0 : 1;
        }

        var typical = Array.IndexOf(s_typicalUsers, entry.UserName) >= 0;
        if (typical && NamesDeviceClass(entry.Vendor, profile))
        {
            return NamesLoginKind(entry.Vendor, protocol) ? 2 : 3;
        }

        if (entryKey.Length == 0)
        {
            return typical ? 4 : 6;
        }

        return typical ? 5 : 7;
    }

    private static bool NamesLoginKind(string vendor, string protocol)
    {
        // SSH and Telnet both log into the device's shell, so a pair listed for one fits the other.
        var shell = new[] { "ssh", "telnet" };
        var kinds = Array.IndexOf(shell, protocol.ToLowerInvariant()) >= 0 ? shell : new[] { protocol };
        return kinds.Any(kind => vendor.IndexOf(kind, StringComparison.OrdinalIgnoreCase) >= 0);
    }

    private static bool NamesDeviceClass(string vendor, DeviceProfile profile)
    {
        if (!s_profileWords.TryGetValue(profile, out var words))
        {
            return false;
        }

        var separators = new[] { ' ', '(', ')', ',', '-', '_', '/' };
        var vendorWords = vendor.ToLowerInvariant().Split(separators, StringSplitOptions.RemoveEmptyEntries);
        return vendorWords.Any(w => Array.IndexOf(words, w) >= 0);
    }

    private static string PairKey(DefaultCredential entry) => entry.UserName + "\u0000" + entry.Password;

    private static DefaultCredentialList LoadBuiltIn()
    {
        using var stream = typeof(DefaultCredentialList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader);
    }

    private static List<string> SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var index = 0; index < line.Length; index++)
        {
            var c = line[index];
            if (quoted && c == '"' && index + 1 < line.Length && line[index + 1] == '"')
            {
                field.Append('"');
                index++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
