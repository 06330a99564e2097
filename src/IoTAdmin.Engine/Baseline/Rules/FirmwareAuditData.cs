using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Firmware;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Snmp;
using IoTAdmin.Engine.Vulnerabilities;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>
/// What the IOT-FW-* rules share within one audit run (one <see cref="AuditOptions"/> object): the
/// catalogue and vulnerability data, loaded once with their problems logged once, and each device's
/// firmware, read once however many rules ask.
/// </summary>
internal sealed class FirmwareAuditData
{
    private static readonly ConditionalWeakTable<AuditOptions, FirmwareAuditData> s_runs =
        new ConditionalWeakTable<AuditOptions, FirmwareAuditData>();

    private readonly AuditOptions _options;
    private readonly Lazy<(FirmwareCatalog? Catalog, string? Error)> _catalog;
    private readonly Lazy<VulnerabilityData?> _vulnerabilities;
    private readonly ConcurrentDictionary<string, Lazy<Task<DeviceFirmware>>> _devices =
        new ConcurrentDictionary<string, Lazy<Task<DeviceFirmware>>>(StringComparer.Ordinal);

    private FirmwareAuditData(AuditOptions options, AuditContext context)
    {
        _options = options;
        _catalog = new Lazy<(FirmwareCatalog?, string?)>(() => LoadCatalog(context));
        _vulnerabilities = new Lazy<VulnerabilityData?>(() => LoadVulnerabilities(context));
    }

    public static FirmwareAuditData For(AuditContext context) =>
        s_runs.GetValue(context.Options, options => new FirmwareAuditData(options, context));

    public bool HasCatalog => _options.FirmwareCatalogPath is not null;

    public FirmwareCatalog? Catalog => _catalog.Value.Catalog;

    /// <summary>Why the catalogue could not be read; null when it was (or none was given).</summary>
    public string? CatalogError => _catalog.Value.Error;

    public VulnerabilityData? Vulnerabilities => _vulnerabilities.Value;

    /// <summary>The device's firmware, read once per run.</summary>
    public Task<DeviceFirmware> FirmwareOfAsync(IoTDevice device, AuditContext context, CancellationToken token)
    {
        var lazy = _devices.GetOrAdd(device.Address,
            _ => new Lazy<Task<DeviceFirmware>>(() => ReadAsync(device, context, token)));
        return lazy.Value;
    }

    private Task<DeviceFirmware> ReadAsync(IoTDevice device, AuditContext context, CancellationToken token)
    {
        var options = new FirmwareReadOptions { Timeout = _options.ProbeTimeout, Catalog = Catalog };
        options.SnmpCredentials.AddRange(_options.Communities.Select(c => SnmpCredential.FromCommunity(c)));
        options.SnmpCredentials.AddRange(_options.SnmpV3Credentials.Select(SnmpCredential.FromUser));
        if (options.SnmpCredentials.Count > 0)
        {
            // The default community is still tried: most devices that show their firmware answer "public".
            options.SnmpCredentials.Add(SnmpCredential.FromCommunity("public"));
        }

        return new FirmwareReader(context.Log).ReadAsync(device, options, token);
    }

    private (FirmwareCatalog?, string?) LoadCatalog(AuditContext context)
    {
        if (_options.FirmwareCatalogPath is null)
        {
            return (null, null);
        }

        try
        {
            var catalog = FirmwareCatalog.Load(_options.FirmwareCatalogPath);
            foreach (var problem in catalog.Problems)
            {
                context.Log.Warning($"Firmware catalogue: {problem}");
            }

            return (catalog, null);
        }
        catch (VulnerabilityDataException ex)
        {
            context.Log.Warning(ex.Message);
            return (null, ex.Message);
        }
    }

    private VulnerabilityData? LoadVulnerabilities(AuditContext context)
    {
        if (_options.VulnerabilityDataPaths.Count == 0)
        {
            return null;
        }

        var data = VulnerabilityData.Load(_options.VulnerabilityDataPaths);
        context.Log.Verbose($"Vulnerability data: {data.KnownExploited.Count} KEV entries, {data.Records.Count} "
            + $"CVE records, {data.Problems.Count} problem(s).");
        foreach (var problem in data.Problems.Take(20))
        {
            context.Log.Verbose($"Vulnerability data: {problem}");
        }

        return data;
    }
}
