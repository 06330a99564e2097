using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using IoTAdmin.Engine.Vulnerabilities;

namespace IoTAdmin.Engine.Firmware;

/// <summary>A detached signature over a firmware image, as the catalogue gives it.</summary>
public sealed class FirmwareSignature
{
    public FirmwareSignature(string algorithm, string publicKey, string value)
    {
        Algorithm = algorithm;
        PublicKey = publicKey;
        Value = value;
    }

    /// <summary>rsa-pkcs1-sha256 or rsa-pss-sha256.</summary>
    public string Algorithm { get; }

    /// <summary>The vendor's public key: base64 of a DER SubjectPublicKeyInfo (PEM armour allowed).</summary>
    public string PublicKey { get; }

    /// <summary>The signature, base64.</summary>
    public string Value { get; }
}

/// <summary>
/// One vendor model in the firmware catalogue: the latest firmware the vendor ships, its image and
/// how a device of this model installs it. The format is documented in docs/firmware-catalog.md.
/// </summary>
public sealed class FirmwareCatalogEntry
{
    public FirmwareCatalogEntry(string vendor, string model, FirmwareVersion latestVersion)
    {
        Vendor = vendor;
        Model = model;
        LatestVersion = latestVersion;
    }

    public string Vendor { get; }

    public string Model { get; }

    /// <summary>Other names the model reports itself under.</summary>
    public List<string> Aliases { get; } = new List<string>();

    /// <summary>The firmware's CPE name pattern (version ANY), e.g. cpe:2.3:o:vendor:model_firmware:*:...</summary>
    public CpeName? Cpe { get; set; }

    /// <summary>The hardware's CPE name, e.g. cpe:2.3:h:vendor:model:-:...</summary>
    public CpeName? HardwareCpe { get; set; }

    public FirmwareVersion LatestVersion { get; }

    public DateTime? ReleaseDate { get; set; }

    /// <summary>The day the vendor stops fixing this model; null when not announced.</summary>
    public DateTime? EndOfSupport { get; set; }

    /// <summary>Where the image is: an http(s) or file URL, or a path relative to the catalogue file.</summary>
    public string? ImageUrl { get; set; }

    /// <summary>The image's SHA-256, lower-case hex (64 characters).</summary>
    public string? Sha256 { get; set; }

    /// <summary>The image size in bytes, when given; a download larger than this is refused.</summary>
    public long? ImageSize { get; set; }

    public FirmwareSignature? Signature { get; set; }

    /// <summary>Where the image is uploaded on the device.</summary>
    public string UploadPath { get; set; } = "/tmp/firmware.img";

    /// <summary>The device command that installs the uploaded image; {path} is replaced by the upload path.</summary>
    public string? UpgradeCommand { get; set; }

    /// <summary>How long the device may take to come back after the upgrade.</summary>
    public TimeSpan RebootTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Where the device shows its update settings (M4), if the catalogue knows.</summary>
    public UpdateSettingsLocation? UpdateSettings { get; set; }

    /// <summary>The folder of the catalogue file, for relative image paths.</summary>
    public string? BaseDirectory { get; set; }

    /// <summary>True when this entry describes the given vendor and model (names compared loosely).</summary>
    public bool Describes(string? vendor, string? model)
    {
        if (model is null)
        {
            return false;
        }

        var key = Key(model);
        var vendorMatches = vendor is null || Key(vendor).Contains(Key(Vendor)) || Key(Vendor).Contains(Key(vendor));
        return vendorMatches && (Key(Model) == key || Aliases.Any(a => Key(a) == key));
    }

    public override string ToString() => $"{Vendor} {Model} {LatestVersion}";

    internal static string Key(string text) =>
        new string(text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}

/// <summary>
/// The firmware catalogue: a JSON file an administrator keeps (docs/firmware-catalog.md and
/// docs/firmware-catalog-schema.json). Entries with errors are listed in <see cref="Problems"/> and
/// left out; the rest load.
/// </summary>
public sealed class FirmwareCatalog
{
    public const int MaxFileBytes = 16 * 1024 * 1024;
    public const int SupportedSchemaVersion = 1;

    public FirmwareCatalog(string source)
    {
        Source = source;
    }

    /// <summary>The file the catalogue came from.</summary>
    public string Source { get; }

    public List<FirmwareCatalogEntry> Entries { get; } = new List<FirmwareCatalogEntry>();

    public List<DataProblem> Problems { get; } = new List<DataProblem>();

    /// <summary>The entry for a vendor and model, or null.</summary>
    public FirmwareCatalogEntry? Find(string? vendor, string? model) =>
        Entries.FirstOrDefault(e => e.Describes(vendor, model));

    /// <summary>Reads a catalogue file.</summary>
    /// <exception cref="VulnerabilityDataException">The file cannot be read or is not a catalogue.</exception>
    public static FirmwareCatalog Load(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new VulnerabilityDataException($"the firmware catalogue '{path}' does not exist");
            }

            if (info.Length > MaxFileBytes)
            {
                throw new VulnerabilityDataException($"the firmware catalogue '{path}' is over {MaxFileBytes} bytes");
            }

            using var stream = info.OpenRead();
            return Read(stream, path, info.DirectoryName);
        }
        catch (IOException ex)
        {
            throw new VulnerabilityDataException($"the firmware catalogue '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a catalogue from a stream.</summary>
    /// <exception cref="VulnerabilityDataException">Not JSON, or not a catalogue of a known schema.</exception>
    public static FirmwareCatalog Read(Stream stream, string source, string? baseDirectory)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw new VulnerabilityDataException(
                $"the firmware catalogue '{source}' is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            CheckSchema(root, source);
            var catalog = new FirmwareCatalog(source);
            var index = 0;
            foreach (var item in root.GetProperty("entries").EnumerateArray())
            {
                catalog.AddEntry(item, index++, baseDirectory);
            }

            return catalog;
        }
    }

    private static void CheckSchema(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            throw new VulnerabilityDataException($"'{source}' is not a firmware catalogue (no \"entries\" list)");
        }

        var version = root.TryGetProperty("schemaVersion", out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetInt32() : 0;
        if (version != SupportedSchemaVersion)
        {
            throw new VulnerabilityDataException(
                $"'{source}' has schemaVersion {version}; this module reads version {SupportedSchemaVersion}");
        }
    }

    private void AddEntry(JsonElement item, int index, string? baseDirectory)
    {
        try
        {
            var entry = CatalogEntryReader.Read(item);
            entry.BaseDirectory = baseDirectory;
            Entries.Add(entry);
        }
        catch (Exception ex) when (ex is VulnerabilityDataException or FormatException or InvalidOperationException)
        {
            var name = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("model", out var m)
                && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            Problems.Add(new DataProblem(Source, index, name, ex.Message));
        }
    }
}

/// <summary>Reads and checks one catalogue entry.</summary>
internal static class CatalogEntryReader
{
    public static FirmwareCatalogEntry Read(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new VulnerabilityDataException("the entry is not an object");
        }

        var latestText = Required(item, "latestVersion");
        if (!FirmwareVersion.TryParse(latestText, out var latest, out var problem))
        {
            throw new VulnerabilityDataException($"latestVersion: {problem}");
        }

        var entry = new FirmwareCatalogEntry(Required(item, "vendor"), Required(item, "model"), latest!)
        {
            Cpe = OptionalCpe(item, "cpe"),
            HardwareCpe = OptionalCpe(item, "hardwareCpe"),
            ReleaseDate = OptionalDate(item, "releaseDate"),
            EndOfSupport = OptionalDate(item, "endOfSupport"),
        };
        if (item.TryGetProperty("aliases", out var aliases) && aliases.ValueKind == JsonValueKind.Array)
        {
            entry.Aliases.AddRange(aliases.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String)
                .Select(a => a.GetString()!));
        }

        ReadImage(item, entry);
        ReadUpgrade(item, entry);
        ReadUpdateSettings(item, entry);
        return entry;
    }

    private static void ReadUpdateSettings(JsonElement item, FirmwareCatalogEntry entry)
    {
        if (!item.TryGetProperty("updateSettings", out var settings) || settings.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var path = Required(settings, "path");
        if (!path.StartsWith("/", StringComparison.Ordinal))
        {
            throw new VulnerabilityDataException("updateSettings.path must begin with /");
        }

        entry.UpdateSettings = new UpdateSettingsLocation(path,
            Pattern(settings, "autoUpdatePattern"), Pattern(settings, "updateUrlPattern"))
        {
            Port = settings.TryGetProperty("port", out var port) && port.ValueKind == JsonValueKind.Number
                ? port.GetInt32() : 80,
            Https = Optional(settings, "scheme") == "https",
        };
    }

    private static System.Text.RegularExpressions.Regex? Pattern(JsonElement settings, string property)
    {
        var text = Optional(settings, property);
        if (text is null)
        {
            return null;
        }

        try
        {
            return new System.Text.RegularExpressions.Regex(text,
                System.Text.RegularExpressions.RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(200));
        }
        catch (ArgumentException ex)
        {
            throw new VulnerabilityDataException(
                $"updateSettings.{property} is not a regular expression: {ex.Message}");
        }
    }

    private static void ReadImage(JsonElement item, FirmwareCatalogEntry entry)
    {
        if (!item.TryGetProperty("image", out var image) || image.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        entry.ImageUrl = Optional(image, "url");
        entry.Sha256 = Optional(image, "sha256")?.Trim().ToLowerInvariant();
        if (entry.Sha256 is not null && (entry.Sha256.Length != 64 || !entry.Sha256.All(Uri.IsHexDigit)))
        {
            throw new VulnerabilityDataException("image.sha256 must be 64 hexadecimal digits");
        }

        if (entry.ImageUrl is not null && entry.Sha256 is null)
        {
            throw new VulnerabilityDataException("image.url is given without image.sha256");
        }

        entry.ImageSize = image.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Number
            ? size.GetInt64() : null;
        if (image.TryGetProperty("signature", out var signature) && signature.ValueKind == JsonValueKind.Object)
        {
            entry.Signature = new FirmwareSignature(Required(signature, "algorithm"), Required(signature, "publicKey"),
                Required(signature, "value"));
        }
    }

    private static void ReadUpgrade(JsonElement item, FirmwareCatalogEntry entry)
    {
        if (!item.TryGetProperty("upgrade", out var upgrade) || upgrade.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        entry.UpgradeCommand = Optional(upgrade, "command");
        entry.UploadPath = Optional(upgrade, "uploadPath") ?? entry.UploadPath;
        if (!entry.UploadPath.StartsWith("/", StringComparison.Ordinal) || entry.UploadPath.Contains("'"))
        {
            throw new VulnerabilityDataException("upgrade.uploadPath must be an absolute path without quotes");
        }

        if (upgrade.TryGetProperty("rebootSeconds", out var seconds) && seconds.ValueKind == JsonValueKind.Number)
        {
            entry.RebootTimeout = TimeSpan.FromSeconds(Math.Max(5, Math.Min(3600, seconds.GetInt32())));
        }
    }

    private static string Required(JsonElement element, string property) =>
        Optional(element, property) is { Length: > 0 } text
            ? text
            : throw new VulnerabilityDataException($"'{property}' is missing or not text");

    private static string? Optional(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static CpeName? OptionalCpe(JsonElement element, string property)
    {
        var text = Optional(element, property);
        if (text is null)
        {
            return null;
        }

        return CpeName.TryParse(text, out var name, out var problem)
            ? name
            : throw new VulnerabilityDataException($"{property}: {problem}");
    }

    private static DateTime? OptionalDate(JsonElement element, string property)
    {
        var text = Optional(element, property);
        if (text is null)
        {
            return null;
        }

        return DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : throw new VulnerabilityDataException($"{property} '{text}' is not a date (yyyy-MM-dd)");
    }
}
