using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;
using IoTAdmin.Engine.Vulnerabilities;

namespace IoTAdmin.Engine.Firmware;

/// <summary>A command's outcome on a device shell.</summary>
public sealed class DeviceCommandResult
{
    public DeviceCommandResult(int? exitStatus, string output, string error, bool timedOut)
    {
        ExitStatus = exitStatus;
        Output = output;
        Error = error;
        TimedOut = timedOut;
    }

    public int? ExitStatus { get; }

    public string Output { get; }

    public string Error { get; }

    public bool TimedOut { get; }
}

/// <summary>
/// What the updater needs from a device's administrative shell: run a command and upload a file. The
/// SSH layer provides it; the updater itself knows nothing of SSH.
/// </summary>
public interface IDeviceSession : IDisposable
{
    Task<DeviceCommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken);

    Task UploadAsync(Stream content, string remotePath, CancellationToken cancellationToken);
}

/// <summary>How the updater reaches a device and reads its firmware.</summary>
public sealed class FirmwareUpdateOptions
{
    /// <summary>Opens an administrative session to a device (address); throws when it cannot.</summary>
    public Func<string, CancellationToken, Task<IDeviceSession>>? Connect { get; set; }

    /// <summary>The port whose answer means the device is up again (SSH).</summary>
    public int ServicePort { get; set; } = 22;

    public FirmwareReadOptions ReadOptions { get; set; } = new FirmwareReadOptions();

    /// <summary>Time allowed for each command and connection attempt.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Install even when the device already runs the latest version.</summary>
    public bool Force { get; set; }

    /// <summary>Overrides the catalogue's reboot timeout when set.</summary>
    public TimeSpan? RebootTimeout { get; set; }
}

/// <summary>
/// Updates one device: reads its firmware, checks it is behind the catalogue, uploads the verified
/// image, checks the upload's SHA-256 on the device, runs the model's upgrade command, waits (bounded)
/// for the device to go down and come back, and re-reads the version. Every step lands in the result;
/// a device that does not come back or comes back with another version is reported as such.
/// </summary>
public sealed class FirmwareUpdater
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_downWindow = TimeSpan.FromSeconds(20);
    private readonly IActivityLog _log;
    private readonly FirmwareUpdateOptions _options;

    public FirmwareUpdater(FirmwareUpdateOptions options, IActivityLog log)
    {
        _options = options;
        _log = log;
    }

    /// <summary>Reads the device's firmware and decides whether an update applies; a null refusal means go.</summary>
    public async Task<(DeviceFirmware Firmware, FirmwareUpdateResult? Refusal)> PrepareAsync(IoTDevice device,
        CancellationToken cancellationToken)
    {
        var firmware = await new FirmwareReader(_log).ReadAsync(device, _options.ReadOptions, cancellationToken)
            .ConfigureAwait(false);
        var entry = firmware.CatalogEntry;
        var result = NewResult(device.Address, firmware);
        if (firmware.Vendor is null && firmware.Product is null)
        {
            // Nothing answered (or nothing named the device): say so, not "no catalogue entry for ? ?".
            var why = firmware.Problems.Count > 0 ? ": " + string.Join("; ", firmware.Problems) : string.Empty;
            return (firmware, Refuse(result, "the device's model and firmware could not be read" + why));
        }

        if (entry is null)
        {
            var model = $"{firmware.Vendor ?? "?"} {firmware.Product ?? "?"}";
            return (firmware, Refuse(result, $"the catalogue has no entry for {model}"));
        }

        if (entry.UpgradeCommand is null)
        {
            return (firmware, Refuse(result, $"the catalogue names no upgrade command for {entry.Model}"));
        }

        if (!FirmwareVersion.TryParse(firmware.Version, out var current, out var problem))
        {
            return (firmware, Refuse(result, $"the current version is unknown or unreadable: {problem}"));
        }

        if (!_options.Force && FirmwareVersion.Compare(current!, entry.LatestVersion) >= 0)
        {
            result.Status = FirmwareUpdateStatus.AlreadyCurrent;
            result.Message = $"runs {firmware.Version}, the catalogue's latest is {entry.LatestVersion}";
            return (firmware, result);
        }

        return (firmware, null);
    }

    /// <summary>Installs <paramref name="image"/>, which the caller loaded and verified for this entry.</summary>
    public async Task<FirmwareUpdateResult> InstallAsync(DeviceFirmware firmware, FirmwareImage image,
        CancellationToken cancellationToken)
    {
        var entry = firmware.CatalogEntry!;
        var result = NewResult(firmware.Address, firmware);
        result.ImageSha256 = image.Sha256;
        result.SignatureVerified = image.SignatureVerified;
        var installed = await UploadAndInstallAsync(firmware.Address, entry, image, result, cancellationToken)
            .ConfigureAwait(false);
        if (installed)
        {
            await AwaitReturnAsync(firmware, entry, result, cancellationToken).ConfigureAwait(false);
        }

        result.Finished = DateTimeOffset.UtcNow;
        return result;
    }

    private async Task<bool> UploadAndInstallAsync(string address, FirmwareCatalogEntry entry, FirmwareImage image,
        FirmwareUpdateResult result, CancellationToken cancellationToken)
    {
        var connect = _options.Connect ?? throw new InvalidOperationException("no way to reach the device is set");
        try
        {
            using var session = await connect(address, cancellationToken).ConfigureAwait(false);
            using (var content = new MemoryStream(image.Content, writable: false))
            {
                await session.UploadAsync(content, entry.UploadPath, cancellationToken).ConfigureAwait(false);
            }

            Step(result, $"uploaded {image.Content.Length} bytes to {entry.UploadPath}");
            if (!await CheckUploadAsync(session, entry, image, result, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            return await RunUpgradeAsync(session, entry, result, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Fail(result, FirmwareUpdateStatus.Failed,
                $"before the upgrade ran: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task<bool> CheckUploadAsync(IDeviceSession session, FirmwareCatalogEntry entry, FirmwareImage image,
        FirmwareUpdateResult result, CancellationToken cancellationToken)
    {
        // A truncated or altered upload must never be installed: the device recomputes the hash.
        var path = Quote(entry.UploadPath);
        var check = await session.RunAsync($"sha256sum {path} 2>/dev/null || wc -c < {path}",
            _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        var output = check.Output.Trim();
        var hashMatches = output.StartsWith(image.Sha256, StringComparison.OrdinalIgnoreCase);
        var sizeMatches = long.TryParse(output, out var size) && size == image.Content.Length;
        if (hashMatches || sizeMatches)
        {
            Step(result, hashMatches
                ? "the device computed the same SHA-256"
                : "the device holds the full size (it has no sha256sum)");
            return true;
        }

        await session.RunAsync($"rm -f {path}", _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        return Fail(result, FirmwareUpdateStatus.Failed,
            $"the uploaded file differs from the image (device says '{Shorten(output)}'); removed, nothing installed");
    }

    private async Task<bool> RunUpgradeAsync(IDeviceSession session, FirmwareCatalogEntry entry,
        FirmwareUpdateResult result, CancellationToken cancellationToken)
    {
        var command = entry.UpgradeCommand!.Replace("{path}", Quote(entry.UploadPath));
        var run = await session.RunAsync(command, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (run.TimedOut || run.ExitStatus != 0)
        {
            var why = run.TimedOut ? "timed out" : $"exit status {run.ExitStatus?.ToString() ?? "unknown"}";
            return Fail(result, FirmwareUpdateStatus.Failed,
                $"the upgrade command {why}: {Shorten(run.Error + " " + run.Output)}");
        }

        Step(result, $"upgrade command accepted: {Shorten(run.Output)}");
        return true;
    }

    private async Task AwaitReturnAsync(DeviceFirmware before, FirmwareCatalogEntry entry, FirmwareUpdateResult result,
        CancellationToken cancellationToken)
    {
        var timeout = _options.RebootTimeout ?? entry.RebootTimeout;
        var clock = Stopwatch.StartNew();
        var address = before.Address;
        var wentDown = await WaitUntilAsync(address, false, Min(s_downWindow, timeout), cancellationToken)
            .ConfigureAwait(false);
        Step(result, wentDown ? "the device went down to restart" : "no restart was observed");
        var remaining = timeout - clock.Elapsed;
        if (!await WaitUntilAsync(address, true, remaining, cancellationToken).ConfigureAwait(false))
        {
            Fail(result, FirmwareUpdateStatus.NotReturned,
                $"the device did not answer within {timeout.TotalSeconds:0} s");
            return;
        }

        var after = await ReadUntilChangedAsync(before, entry, timeout - clock.Elapsed, cancellationToken)
            .ConfigureAwait(false);
        Judge(after, entry, result, clock.Elapsed);
    }

    private async Task<DeviceFirmware> ReadUntilChangedAsync(DeviceFirmware before, FirmwareCatalogEntry entry,
        TimeSpan remaining, CancellationToken cancellationToken)
    {
        // Services start one after another; the version source may answer a little after the SSH port.
        var deadline = Stopwatch.StartNew();
        var device = new IoTDevice(before.Address);
        while (true)
        {
            var after = await new FirmwareReader(_log).ReadAsync(device, _options.ReadOptions, cancellationToken)
                .ConfigureAwait(false);
            if (IsTarget(after.Version, entry) || deadline.Elapsed >= remaining)
            {
                return after;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Judge(DeviceFirmware after, FirmwareCatalogEntry entry, FirmwareUpdateResult result,
        TimeSpan elapsed)
    {
        result.NewVersion = after.Version;
        result.NewVersionSource = after.SourceText;
        if (IsTarget(after.Version, entry))
        {
            result.Status = FirmwareUpdateStatus.Updated;
            result.Message =
                $"now runs {after.Version} (read from {after.SourceText}) after {elapsed.TotalSeconds:0} s";
            Step(result, result.Message);
            return;
        }

        Fail(result, FirmwareUpdateStatus.VersionMismatch,
            $"came back with {after.Version ?? "an unreadable version"}, expected {entry.LatestVersion}");
    }

    private static bool IsTarget(string? version, FirmwareCatalogEntry entry) =>
        FirmwareVersion.TryParse(version, out var parsed, out _)
        && FirmwareVersion.Compare(parsed!, entry.LatestVersion) == 0;

    /// <summary>Polls the service port until it answers (<paramref name="up"/>) or stops answering.</summary>
    private async Task<bool> WaitUntilAsync(string address, bool up, TimeSpan limit,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var state = await TcpPortProbe.ProbeAsync(address, _options.ServicePort,
                TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            if ((state == PortState.Open) == up)
            {
                return true;
            }

            await Task.Delay(s_pollInterval, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    private static FirmwareUpdateResult NewResult(string address, DeviceFirmware firmware)
    {
        return new FirmwareUpdateResult(address, FirmwareUpdateStatus.Failed, string.Empty)
        {
            Vendor = firmware.Vendor,
            Model = firmware.Product,
            PreviousVersion = firmware.Version,
            TargetVersion = firmware.CatalogEntry?.LatestVersion.Text,
        };
    }

    private static FirmwareUpdateResult Refuse(FirmwareUpdateResult result, string message)
    {
        result.Status = FirmwareUpdateStatus.Refused;
        result.Message = message;
        result.Finished = DateTimeOffset.UtcNow;
        return result;
    }

    private static bool Fail(FirmwareUpdateResult result, FirmwareUpdateStatus status, string message)
    {
        result.Status = status;
        result.Message = message;
        Step(result, message);
        return false;
    }

    private static void Step(FirmwareUpdateResult result, string text) =>
        result.Steps.Add($"{DateTimeOffset.UtcNow:HH:mm:ss} {text}");

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Quote(string path) => "'" + path + "'";

    private static string Shorten(string text)
    {
        var flat = string.Join(" ", text.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries)).Trim();
        return flat.Length <= 200 ? flat : flat.Substring(0, 200) + "...";
    }
}
