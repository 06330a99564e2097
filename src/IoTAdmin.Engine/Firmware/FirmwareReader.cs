using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;
using IoTAdmin.Engine.Snmp;
using IoTAdmin.Engine.Vulnerabilities;

namespace IoTAdmin.Engine.Firmware;

/// <summary>How <see cref="FirmwareReader"/> asks a device.</summary>
public sealed class FirmwareReadOptions
{
    /// <summary>Time allowed for each request (SNMP, HTTP, SSH identification).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>SNMP credentials tried in order until one answers; none means v2c community "public".</summary>
    public List<SnmpCredential> SnmpCredentials { get; } = new List<SnmpCredential>();

    public int SnmpPort { get; set; } = 161;

    /// <summary>Whether HTTP and SSH banners are read as a last resort.</summary>
    public bool ReadBanners { get; set; } = true;

    /// <summary>The catalogue that names models and their CPEs, if any.</summary>
    public FirmwareCatalog? Catalog { get; set; }

    /// <summary>
    /// Readings taken elsewhere (version files over SSH), merged with the network sources; the list it
    /// is given collects its problems in words.
    /// </summary>
    public Func<IoTDevice, List<string>, CancellationToken, Task<IReadOnlyList<FirmwareReading>>>? ExtraSource
    {
        get;
        set;
    }
}

/// <summary>
/// Reads a device's firmware from every source it offers, best first: version files (through
/// <see cref="FirmwareReadOptions.ExtraSource"/>), SNMP ENTITY-MIB and vendor MIBs, sysDescr, the UPnP
/// description seen in discovery, then HTTP and SSH banners. Every source is bounded by the timeout;
/// one failing source is a note in <see cref="DeviceFirmware.Problems"/>, never an exception.
/// </summary>
public sealed class FirmwareReader
{
    private const int MaxHttpBytes = 32 * 1024;
    private static readonly TimeSpan s_regexTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly ObjectIdentifier s_sysDescr = ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0");
    private static readonly ObjectIdentifier s_sysObjectId = ObjectIdentifier.Parse("1.3.6.1.2.1.1.2.0");
    private static readonly ObjectIdentifier s_sysName = ObjectIdentifier.Parse("1.3.6.1.2.1.1.5.0");
    private static readonly ObjectIdentifier s_entPhysicalEntry = ObjectIdentifier.Parse("1.3.6.1.2.1.47.1.1.1.1");
    private static readonly uint[] s_entityColumns = { 9, 10, 12, 13 };
    private static readonly ObjectIdentifier[] s_vendorOids =
    {
        ObjectIdentifier.Parse("1.3.6.1.4.1.39165.1.1.0"), ObjectIdentifier.Parse("1.3.6.1.4.1.39165.1.3.0"),
    };

    private static readonly Regex s_pageFirmware = new Regex(
        @"firmware(?:\s+version)?\s*[:=]?\s*(V?\d+(?:\.\d+)+(?:\s+build\s+\d+)?)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, s_regexTimeout);

    private static readonly Regex s_title = new Regex(@"<title>\s*([^<]{1,120}?)\s*(?:-[^<]*)?</title>",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, s_regexTimeout);

    private readonly IActivityLog _log;

    public FirmwareReader(IActivityLog log)
    {
        _log = log;
    }

    /// <summary>Reads the firmware of one device.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<DeviceFirmware> ReadAsync(IoTDevice device, FirmwareReadOptions options,
        CancellationToken cancellationToken)
    {
        var firmware = new DeviceFirmware(device.Address) { Name = device.Name };
        if (options.ExtraSource is not null)
        {
            var extra = await options.ExtraSource(device, firmware.Problems, cancellationToken).ConfigureAwait(false);
            firmware.Readings.AddRange(extra);
        }

        firmware.Readings.AddRange(await ReadSnmpAsync(device, options, firmware.Problems, cancellationToken)
            .ConfigureAwait(false));
        firmware.Readings.AddRange(ReadUpnp(device));
        if (options.ReadBanners)
        {
            firmware.Readings.AddRange(await ReadHttpAsync(device, options, cancellationToken).ConfigureAwait(false));
            firmware.Readings.AddRange(await ReadSshBannerAsync(device, options, cancellationToken)
                .ConfigureAwait(false));
        }

        FirmwareSelection.Choose(firmware, options.Catalog);
        return firmware;
    }

    private async Task<IReadOnlyList<FirmwareReading>> ReadSnmpAsync(IoTDevice device, FirmwareReadOptions options,
        List<string> problems, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(device.Address, out var address))
        {
            problems.Add($"SNMP: '{device.Address}' is not an IP address");
            return Array.Empty<FirmwareReading>();
        }

        var agent = new IPEndPoint(address, options.SnmpPort);
        var credentials = options.SnmpCredentials.Count > 0
            ? options.SnmpCredentials
            : new List<SnmpCredential> { SnmpCredential.FromCommunity("public") };
        var request = new SnmpRequestOptions { Timeout = options.Timeout, Retries = 1, MaxWalkRequests = 8 };
        using var client = new SnmpClient(_log);
        foreach (var credential in credentials)
        {
            try
            {
                var variables = await QuerySnmpAsync(client, agent, credential, request, cancellationToken)
                    .ConfigureAwait(false);
                return SnmpReadings(variables);
            }
            catch (Exception ex) when (ex is TimeoutException or SnmpException or SocketException)
            {
                // The exception text names the agent and attempts, never the community.
                problems.Add($"SNMP with {credential}: {ex.Message}");
            }
        }

        return Array.Empty<FirmwareReading>();
    }

    private static async Task<List<SnmpVariable>> QuerySnmpAsync(SnmpClient client, IPEndPoint agent,
        SnmpCredential credential, SnmpRequestOptions request, CancellationToken cancellationToken)
    {
        var system = await credential.GetAsync(client, agent, new[] { s_sysDescr, s_sysObjectId, s_sysName }, request,
            cancellationToken).ConfigureAwait(false);
        var variables = system.Variables.ToList();
        foreach (var column in s_entityColumns)
        {
            var walk = await credential.WalkAsync(client, agent, s_entPhysicalEntry.Append(column), request,
                cancellationToken).ConfigureAwait(false);
            variables.AddRange(walk.Variables.Take(64));
        }

        var vendor = await credential.GetAsync(client, agent, s_vendorOids, request, cancellationToken)
            .ConfigureAwait(false);
        if (vendor.IsSuccess)
        {
            variables.AddRange(vendor.Variables);
        }

        return variables;
    }

    internal static IReadOnlyList<FirmwareReading> SnmpReadings(IReadOnlyList<SnmpVariable> variables)
    {
        var readings = new List<FirmwareReading>();
        var entity = EntityReading(variables);
        if (entity is not null)
        {
            readings.Add(entity);
        }

        var whole = SnmpDeviceIdentity.FromVariables(variables);
        var vendorMib = SnmpDeviceIdentity.FromVariables(variables.Where(v => s_vendorOids.Contains(v.Oid)));
        var vendorFirmware = Text(variables.FirstOrDefault(v => v.Oid == s_vendorOids[1]));
        if (vendorFirmware is not null)
        {
            // The raw text keeps the build ("V5.5.3 build 171025") that the identity's model trims off.
            readings.Add(new FirmwareReading(FirmwareSource.SnmpVendorMib, FirmwareConfidence.DeviceRecord,
                vendorMib.Vendor, vendorMib.Model, vendorFirmware) { Detail = s_vendorOids[1].ToString() });
        }

        var systemGroup = variables.Where(v => v.Oid == s_sysDescr || v.Oid == s_sysObjectId);
        var system = SnmpDeviceIdentity.FromVariables(systemGroup);
        if (system.Description is not null)
        {
            readings.Add(new FirmwareReading(FirmwareSource.SnmpSysDescr, FirmwareConfidence.DeviceText,
                system.Vendor ?? whole.Vendor, system.Model ?? whole.Model, system.FirmwareVersion)
            {
                Detail = "sysDescr.0: " + system.Description,
            });
        }

        return readings;
    }

    private static FirmwareReading? EntityReading(IReadOnlyList<SnmpVariable> variables)
    {
        var rows = variables
            .Where(v => v.Oid.IsDescendantOf(s_entPhysicalEntry) && v.Oid.Length == s_entPhysicalEntry.Length + 2)
            .Where(v => Text(v) is not null)
            .GroupBy(v => v.Oid.Components[v.Oid.Length - 1])
            .OrderBy(g => g.Key)
            .Select(g => (Index: g.Key, Columns: g.ToDictionary(v => v.Oid.Components[s_entPhysicalEntry.Length],
                v => Text(v)!)))
            .ToList();

        // The chassis: the first entity with a firmware or software revision.
        var chassis = rows.FirstOrDefault(r => r.Columns.ContainsKey(9) || r.Columns.ContainsKey(10));
        if (chassis.Columns is null)
        {
            return null;
        }

        string? Column(uint id) => chassis.Columns.TryGetValue(id, out var text) ? text : null;
        var column = Column(9) is null ? "entPhysicalSoftwareRev" : "entPhysicalFirmwareRev";
        return new FirmwareReading(FirmwareSource.SnmpEntityMib, FirmwareConfidence.DeviceRecord, Column(12),
            Column(13), Column(9) ?? Column(10)) { Detail = $"{column}.{chassis.Index}" };
    }

    /// <summary>An OCTET STRING's text without the quotes and backslashes some agents leave; null if empty.</summary>
    private static string? Text(SnmpVariable? variable)
    {
        if (variable is null || variable.Value.IsException || variable.Value.Type != SnmpType.OctetString)
        {
            return null;
        }

        var text = variable.Value.ToText().Trim().Trim('"', '\\', '\'').Trim();
        return text.Length == 0 ? null : text;
    }

    private static IEnumerable<FirmwareReading> ReadUpnp(IoTDevice device) =>
        device.Observations
            .Where(o => o.Protocol == DiscoveryProtocol.Ssdp && (o.FirmwareVersion ?? o.Model) is not null)
            .Select(o => new FirmwareReading(FirmwareSource.UpnpDescription, FirmwareConfidence.DeviceText, o.Vendor,
                o.Model, o.FirmwareVersion)
            {
                Detail = o.Attributes.TryGetValue("ssdp.location", out var l) ? l : null,
            });

    private async Task<IReadOnlyList<FirmwareReading>> ReadHttpAsync(IoTDevice device, FirmwareReadOptions options,
        CancellationToken cancellationToken)
    {
        var port = device.FindService("http")?.Port ?? 80;
        using var deadline = new ProbeDeadline(options.Timeout, cancellationToken);
        try
        {
            using var connection = await NetConnection.OpenAsync(device.Address, port, deadline.Token)
                .ConfigureAwait(false);
            var request = $"GET / HTTP/1.0\r\nHost: {device.Address}\r\nUser-Agent: IoTAdmin\r\n"
                + "Connection: close\r\n\r\n";
            await connection.WriteAsync(Encoding.ASCII.GetBytes(request), deadline.Token).ConfigureAwait(false);
            var text = await ReadBoundedAsync(connection, deadline.Token).ConfigureAwait(false);
            return HttpReadings(text, port);
        }
        catch (OperationCanceledException)
        {
            deadline.ThrowIfCallerCancelled();
            return Array.Empty<FirmwareReading>();
        }
        catch (Exception ex) when (ex is SocketException or System.IO.IOException)
        {
            _log.Verbose($"{device.Address}: no HTTP banner on tcp/{port}: {ex.Message}");
            return Array.Empty<FirmwareReading>();
        }
    }

    private static async Task<string> ReadBoundedAsync(NetConnection connection, CancellationToken token)
    {
        var buffer = new byte[4096];
        var text = new StringBuilder();
        var total = 0;
        while (total < MaxHttpBytes)
        {
            var read = await connection.ReadAsync(buffer, token).ConfigureAwait(false);
            if (read <= 0)
            {
                break;
            }

            total += read;
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    internal static IReadOnlyList<FirmwareReading> HttpReadings(string response, int port)
    {
        var readings = new List<FirmwareReading>();
        var headerEnd = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = headerEnd < 0 ? response : response.Substring(0, headerEnd);
        var body = headerEnd < 0 ? string.Empty : response.Substring(headerEnd + 4);
        var server = headers.Split('\n').Select(l => l.Trim())
            .FirstOrDefault(l => l.StartsWith("Server:", StringComparison.OrdinalIgnoreCase))?.Substring(7).Trim();
        var page = s_pageFirmware.Match(body);
        if (page.Success)
        {
            var title = s_title.Match(body);
            readings.Add(new FirmwareReading(FirmwareSource.HttpBanner, FirmwareConfidence.Banner, null,
                title.Success ? title.Groups[1].Value.Trim() : null, page.Groups[1].Value)
            {
                Detail = $"web page on tcp/{port}",
            });
        }

        if (!string.IsNullOrEmpty(server))
        {
            var slash = server!.Split(' ')[0].Split('/');
            readings.Add(new FirmwareReading(FirmwareSource.HttpBanner, FirmwareConfidence.Banner, null, slash[0],
                slash.Length > 1 ? slash[1] : null)
            {
                Kind = FirmwareReadingKind.Component,
                Detail = $"Server: {server}",
            });
        }

        return readings;
    }

    private static async Task<IReadOnlyList<FirmwareReading>> ReadSshBannerAsync(IoTDevice device,
        FirmwareReadOptions options, CancellationToken cancellationToken)
    {
        var port = device.FindService("ssh")?.Port ?? 22;
        var hello = await SshProbe.ReadServerHelloAsync(device.Address, port, options.Timeout, cancellationToken)
            .ConfigureAwait(false);
        var software = hello.Identification?.SoftwareVersion;
        if (string.IsNullOrEmpty(software))
        {
            // No server, or an empty software version (SSH-2.0-): nothing to read.
            return Array.Empty<FirmwareReading>();
        }

        var parts = software!.Split(new[] { '_', '-' }, 2);
        var reading = new FirmwareReading(FirmwareSource.SshBanner, FirmwareConfidence.Banner, null, parts[0],
            parts.Length > 1 ? parts[1] : null)
        {
            Kind = FirmwareReadingKind.Component,
            Detail = hello.Identification!.Line,
        };
        return new[] { reading };
    }
}
