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
/// Update-IoTFirmware: installs the catalogue's latest firmware on devices over SSH. The image is
/// checked (SHA-256, signature) before any device is contacted; the first device is a canary; the
/// run stops at the first failure; every device gets a result record.
/// </summary>
[ImplementsMeasures("SYS.4.4.M3")]
[Cmdlet(VerbsData.Update, "IoTFirmware", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(FirmwareUpdateResult))]
public sealed class UpdateIoTFirmwareCommand : SshCommandBase
{
    private const string ProgressActivity = "Updating IoT device firmware";
    private readonly List<string> _addresses = new List<string>();
    private readonly ConcurrentQueue<FirmwareUpdateResult> _finished = new ConcurrentQueue<FirmwareUpdateResult>();
    private FirmwareCatalog? _catalog;

    /// <summary>Gets or sets the firmware catalogue that names each model's image, hash and upgrade command.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string FirmwareCatalog { get; set; } = string.Empty;

    /// <summary>Gets or sets a local image to use instead of the catalogue's URL; its hash is still checked.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ImagePath { get; set; }

    /// <summary>Gets or sets SNMP credentials used to read the version before and after the update.</summary>
    [Parameter]
    [ValidateNotNull]
    public SnmpCredential[] SnmpCredential { get; set; } = Array.Empty<SnmpCredential>();

    /// <summary>Gets or sets the canary device's address, updated alone first; the first device by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Canary { get; set; }

    /// <summary>Gets or sets how many devices are updated at once after the canary.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    /// <summary>Gets or sets the seconds a device may take to come back; the catalogue's value by default.</summary>
    [Parameter]
    [ValidateRange(5, 3600)]
    public int RebootTimeout { get; set; }

    /// <summary>Gets or sets whether devices that already run the latest version are installed again.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void BeginProcessing()
    {
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
        foreach (var address in Address)
        {
            var trimmed = address?.Trim() ?? string.Empty;
            if (IPAddress.TryParse(trimmed, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetwork)
            {
                _addresses.Add(parsed.ToString());
                continue;
            }

            var error = new ArgumentException($"'{address}' is not an IPv4 address.");
            WriteError(new ErrorRecord(error, "InvalidAddress", ErrorCategory.InvalidArgument, address));
        }
    }

    protected override void EndProcessing()
    {
        var addresses = _addresses.Distinct().ToList();
        if (addresses.Count > 0)
        {
            var login = BuildLoginOrStop();
            var updater = new FirmwareUpdater(BuildOptions(login), Log);
            var prepared = Prepare(updater, addresses);
            var confirmed = Confirm(prepared);
            if (confirmed.Count > 0)
            {
                Install(updater, confirmed);
            }
        }

        base.EndProcessing();
    }

    private SshLogin BuildLoginOrStop()
    {
        try
        {
            return BuildLogin();
        }
        catch (PSArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "SshLoginMissing", ErrorCategory.InvalidArgument, null));
            throw;
        }
    }

    private FirmwareUpdateOptions BuildOptions(SshLogin login)
    {
        var read = new FirmwareReadOptions { Timeout = TimeSpan.FromSeconds(Math.Min(Timeout, 5)), Catalog = _catalog };
        read.SnmpCredentials.AddRange(SnmpCredential);
        read.ReadBanners = false;
        var options = new FirmwareUpdateOptions
        {
            ServicePort = Port,
            CommandTimeout = TimeSpan.FromSeconds(Math.Max(Timeout, 60)),
            Force = Force,
            RebootTimeout = RebootTimeout > 0 ? TimeSpan.FromSeconds(RebootTimeout) : null,
            ReadOptions = read,
        };
        options.Connect = async (address, token) => new DeviceShellSession(
            await DeviceShell.ConnectAsync(address, Port, login, HostKeyPolicy, TimeoutSpan, token)
                .ConfigureAwait(false),
            owned: true);
        read.ExtraSource = (device, problems, token) => ReadDeviceFilesAsync(options, device, problems, token);
        return options;
    }

    private async Task<IReadOnlyList<FirmwareReading>> ReadDeviceFilesAsync(FirmwareUpdateOptions options,
        IoTDevice device, List<string> problems, CancellationToken token)
    {
        try
        {
            using var session = await options.Connect!(device.Address, token).ConfigureAwait(false);
            return await DeviceFileSource.ReadAsync(session, TimeoutSpan, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            // SNMP may still show the version; the SSH problem is noted, not fatal here.
            problems.Add($"version files over SSH not read: {Unwrap(ex).Message}");
            return Array.Empty<FirmwareReading>();
        }
    }

    /// <summary>Reads every device's firmware and checks each needed image once, before anything is sent.</summary>
    private List<(DeviceFirmware Firmware, FirmwareImage Image)> Prepare(
        FirmwareUpdater updater, List<string> addresses)
    {
        var ready = new List<(DeviceFirmware, FirmwareImage)>();
        var images = new Dictionary<FirmwareCatalogEntry, (FirmwareImage? Image, string? Error)>();
        foreach (var address in addresses)
        {
            var (firmware, refusal) = RunEngine(token => updater.PrepareAsync(new IoTDevice(address), token));
            if (refusal is not null)
            {
                Report(refusal);
                continue;
            }

            var entry = firmware.CatalogEntry!;
            if (!images.TryGetValue(entry, out var checkedImage))
            {
                checkedImage = LoadImage(entry);
                images[entry] = checkedImage;
            }

            if (checkedImage.Image is null)
            {
                var rejected = new FirmwareUpdateResult(address, FirmwareUpdateStatus.Refused, checkedImage.Error!)
                {
                    Model = entry.Model,
                    PreviousVersion = firmware.Version,
                    TargetVersion = entry.LatestVersion.Text,
                    Finished = DateTimeOffset.UtcNow,
                };
                Report(rejected, "FirmwareImageRejected");
                continue;
            }

            ready.Add((firmware, checkedImage.Image));
        }

        return ready;
    }

    private (FirmwareImage?, string?) LoadImage(FirmwareCatalogEntry entry)
    {
        try
        {
            var path = ImagePath is null ? null : GetUnresolvedProviderPathFromPSPath(ImagePath);
            var limit = TimeSpan.FromSeconds(Math.Max(Timeout, 60));
            var image = RunEngine(token => FirmwareImage.LoadAsync(entry, path, limit, token));
            WriteVerbose($"Image for {entry.Model} verified: SHA-256 {image.Sha256}"
                + (image.SignatureVerified ? ", signature valid." : " (the catalogue has no signature)."));
            return (image, null);
        }
        catch (Exception ex) when (Unwrap(ex) is FirmwareImageRejectedException rejected)
        {
            return (null, "image rejected before upload: " + rejected.Message);
        }
    }

    private List<(DeviceFirmware Firmware, FirmwareImage Image)> Confirm(
        List<(DeviceFirmware Firmware, FirmwareImage Image)> prepared)
    {
        var confirmed = new List<(DeviceFirmware, FirmwareImage)>();
        foreach (var item in prepared)
        {
            var entry = item.Firmware.CatalogEntry!;
            var action = $"Install firmware {entry.LatestVersion} (SHA-256 {item.Image.Sha256.Substring(0, 16)}...) "
                + $"over {item.Firmware.Version} and restart the device";
            if (ShouldProcess($"{item.Firmware.Address} ({entry.Vendor} {entry.Model})", action))
            {
                confirmed.Add(item);
            }
        }

        return confirmed;
    }

    private void Install(FirmwareUpdater updater, List<(DeviceFirmware Firmware, FirmwareImage Image)> devices)
    {
        var canaryIndex = Canary is null ? 0 : devices.FindIndex(d => d.Firmware.Address == Canary.Trim());
        if (canaryIndex < 0)
        {
            WriteWarning($"The canary {Canary} is not among the devices to update; the first device is the canary.");
            canaryIndex = 0;
        }

        var canary = devices[canaryIndex];
        var rest = devices.Where((d, i) => i != canaryIndex).ToList();
        WriteVerbose(
            $"Canary {canary.Firmware.Address} first, then {rest.Count} device(s), {ThrottleLimit} at a time.");
        var first = RunEngine(token => updater.InstallAsync(canary.Firmware, canary.Image, token), DrainFinished);
        first.Canary = true;
        Report(first);
        if (first.IsFailure)
        {
            SkipAll(rest, $"not attempted: the canary {first.Address} ended {first.Status}");
            return;
        }

        RunEngine(token => InstallRestAsync(updater, rest, token), DrainFinished);
        DrainFinished();
        WriteProgress(new ProgressRecord(4, ProgressActivity, "Done") { RecordType = ProgressRecordType.Completed });
    }

    private async Task<bool> InstallRestAsync(FirmwareUpdater updater,
        List<(DeviceFirmware Firmware, FirmwareImage Image)> devices, CancellationToken cancellationToken)
    {
        using var throttle = new SemaphoreSlim(ThrottleLimit);
        string? stoppedBy = null;
        var runs = devices.Select(async device =>
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (Volatile.Read(ref stoppedBy) is { } failed)
                {
                    _finished.Enqueue(Skipped(device.Firmware, $"not attempted: {failed} failed before"));
                    return;
                }

                var result = await updater.InstallAsync(device.Firmware, device.Image, cancellationToken)
                    .ConfigureAwait(false);
                if (result.IsFailure)
                {
                    Interlocked.CompareExchange(ref stoppedBy, result.Address, null);
                }

                _finished.Enqueue(result);
            }
            finally
            {
                throttle.Release();
            }
        });
        await Task.WhenAll(runs).ConfigureAwait(false);
        return true;
    }

    private void SkipAll(IEnumerable<(DeviceFirmware Firmware, FirmwareImage Image)> devices, string reason)
    {
        foreach (var device in devices)
        {
            Report(Skipped(device.Firmware, reason));
        }
    }

    private static FirmwareUpdateResult Skipped(DeviceFirmware firmware, string reason) =>
        new FirmwareUpdateResult(firmware.Address, FirmwareUpdateStatus.Skipped, reason)
        {
            Model = firmware.Product,
            PreviousVersion = firmware.Version,
            TargetVersion = firmware.CatalogEntry?.LatestVersion.Text,
            Finished = DateTimeOffset.UtcNow,
        };

    private void DrainFinished()
    {
        while (_finished.TryDequeue(out var result))
        {
            Report(result);
        }
    }

    private void Report(FirmwareUpdateResult result, string? errorIdOverride = null)
    {
        WriteObject(result);
        RecordInstall(result);
        var errorId = errorIdOverride ?? result.Status switch
        {
            FirmwareUpdateStatus.Refused => "FirmwareUpdateRefused",
            FirmwareUpdateStatus.Failed => "FirmwareUpdateFailed",
            FirmwareUpdateStatus.NotReturned => "DeviceNotReturned",
            FirmwareUpdateStatus.VersionMismatch => "FirmwareVersionMismatch",
            _ => null,
        };
        if (result.Status == FirmwareUpdateStatus.Skipped)
        {
            WriteWarning($"'{result.Address}' was not updated: {result.Message}");
        }

        if (errorId is null)
        {
            return;
        }

        var category = errorIdOverride is not null ? ErrorCategory.SecurityError
            : result.NeedsAttention ? ErrorCategory.ResourceUnavailable : ErrorCategory.InvalidOperation;
        var error = new InvalidOperationException(
            $"Firmware update of '{result.Address}': {result.Status}: {result.Message}");
        WriteError(new ErrorRecord(error, errorId, category, result.Address));
    }

    /// <summary>Records the confirmed installs; refusals and current devices never reached the device.</summary>
    private void RecordInstall(FirmwareUpdateResult result)
    {
        var outcome = result.Status switch
        {
            FirmwareUpdateStatus.Updated => "Success",
            FirmwareUpdateStatus.Skipped => "Skipped",
            FirmwareUpdateStatus.Failed or FirmwareUpdateStatus.NotReturned
                or FirmwareUpdateStatus.VersionMismatch => "Failed",
            _ => null,
        };
        if (outcome is not null)
        {
            RecordAction(result.Address, outcome, $"{result.Status}: {result.Message}");
        }
    }
}
