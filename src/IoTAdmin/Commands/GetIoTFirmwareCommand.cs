using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Firmware;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Snmp;
using IoTAdmin.Engine.Ssh;
using IoTAdmin.Engine.Vulnerabilities;

namespace IoTAdmin.Commands;

/// <summary>
/// Get-IoTFirmware: the firmware of each device, from the best source it offers, with that source
/// and a confidence. With an SSH login the device's version files are read first. Devices are read
/// concurrently; a device that shows nothing still gets an object (with its problems) and a
/// non-terminating error.
/// </summary>
[ImplementsMeasures("SYS.4.4.M3")]
[Cmdlet(VerbsCommon.Get, "IoTFirmware")]
[OutputType(typeof(DeviceFirmware))]
public sealed class GetIoTFirmwareCommand : SshCommandBase
{
    private const string ProgressActivity = "Reading IoT device firmware";

    private readonly List<IoTDevice> _devices = new List<IoTDevice>();
    private SshLogin? _login;

    /// <summary>
    /// Gets or sets the devices from Get-IoTDevice; their UPnP description is used too. They also bind
    /// -Address by property name.
    /// </summary>
    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    public IoTDevice[] InputObject { get; set; } = Array.Empty<IoTDevice>();

    /// <summary>Gets or sets SNMP v2c communities to read with (each password is one); "public" by default.</summary>
    [Parameter]
    [ValidateNotNull]
    public PSCredential[] Community { get; set; } = Array.Empty<PSCredential>();

    /// <summary>Gets or sets SNMP credentials from New-IoTSnmpCredential (v1, v2c or v3).</summary>
    [Parameter]
    [ValidateNotNull]
    public SnmpCredential[] SnmpCredential { get; set; } = Array.Empty<SnmpCredential>();

    /// <summary>Gets or sets the firmware catalogue file that names models, their CPEs and latest versions.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FirmwareCatalog { get; set; }

    /// <summary>Gets or sets whether HTTP and SSH banners are left unread.</summary>
    [Parameter]
    public SwitchParameter NoBanner { get; set; }

    /// <summary>Gets or sets how many devices are read at once.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 8;

    private FirmwareCatalog? _catalog;

    protected override void BeginProcessing()
    {
        if (FirmwareCatalog is null)
        {
            return;
        }

        try
        {
            _catalog = Engine.Firmware.FirmwareCatalog.Load(GetUnresolvedProviderPathFromPSPath(FirmwareCatalog));
        }
        catch (VulnerabilityDataException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "FirmwareCatalogInvalid", ErrorCategory.InvalidData,
                FirmwareCatalog));
        }

        foreach (var problem in _catalog!.Problems)
        {
            WriteWarning($"Firmware catalogue: {problem}");
        }
    }

    protected override void ProcessRecord()
    {
        var piped = InputObject.Where(d => d is not null).ToDictionary(d => d.Address, d => d);
        foreach (var address in Address)
        {
            var trimmed = address?.Trim() ?? string.Empty;
            if (IPAddress.TryParse(trimmed, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetwork)
            {
                var key = parsed.ToString();
                _devices.Add(piped.TryGetValue(key, out var device) ? device : new IoTDevice(key));
                continue;
            }

            var error = new ArgumentException($"'{address}' is not an IPv4 address.");
            WriteError(new ErrorRecord(error, "InvalidAddress", ErrorCategory.InvalidArgument, address));
        }
    }

    protected override void EndProcessing()
    {
        var devices = _devices.GroupBy(d => d.Address).Select(g => g.First()).ToList();
        if (devices.Count > 0)
        {
            _login = Credential is null && KeyFile is null ? null : BuildLogin();
            var options = BuildOptions();
            var reader = new FirmwareReader(Log);
            RunThrottled(devices, ThrottleLimit, 3, ProgressActivity,
                (device, token) => reader.ReadAsync(device, options, token), WriteFirmware);
            var done = new ProgressRecord(3, ProgressActivity, "Done") { RecordType = ProgressRecordType.Completed };
            WriteProgress(done);
        }

        base.EndProcessing();
    }

    private FirmwareReadOptions BuildOptions()
    {
        var options = new FirmwareReadOptions
        {
            // SNMP and banners answer fast or not at all; SSH logins get the whole -Timeout.
            Timeout = TimeSpan.FromSeconds(Math.Min(Timeout, 5)),
            ReadBanners = !NoBanner,
            Catalog = _catalog,
        };
        if (_login is not null)
        {
            options.ExtraSource = ReadDeviceFilesAsync;
        }

        options.SnmpCredentials.AddRange(SnmpCredential);
        options.SnmpCredentials.AddRange(
            Community.Select(c => Engine.Snmp.SnmpCredential.FromCommunity(c.GetNetworkCredential().Password)));
        return options;
    }

    private async Task<IReadOnlyList<FirmwareReading>> ReadDeviceFilesAsync(IoTDevice device, List<string> problems,
        CancellationToken token)
    {
        try
        {
            using var shell = await DeviceShell.ConnectAsync(device.Address, Port, _login!, HostKeyPolicy, TimeoutSpan,
                token).ConfigureAwait(false);
            using var session = new DeviceShellSession(shell, owned: false);
            return await DeviceFileSource.ReadAsync(session, TimeoutSpan, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            // A refused host key or login is a problem of this source only; SNMP and banners still count.
            problems.Add($"SSH: {Unwrap(ex).Message}");
            return Array.Empty<FirmwareReading>();
        }
    }

    private void WriteFirmware(DeviceFirmware firmware)
    {
        if (firmware.Version is null)
        {
            var reasons = firmware.Problems.Count == 0
                ? "no source named a version"
                : string.Join("; ", firmware.Problems);
            var error = new InvalidOperationException(
                $"The firmware of '{firmware.Address}' is unknown: {reasons}");
            WriteError(new ErrorRecord(error, "FirmwareUnknown", ErrorCategory.ObjectNotFound, firmware.Address));
        }

        WriteObject(firmware);
    }
}
