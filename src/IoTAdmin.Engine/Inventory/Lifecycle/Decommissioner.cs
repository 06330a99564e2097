using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Firewall;
using IoTAdmin.Engine.Inventory.Store;

namespace IoTAdmin.Engine.Inventory.Lifecycle;

/// <summary>
/// Retires a device (SYS.4.4 M20) in an order that loses nothing: back up its configuration and data
/// paths and verify the backup (the archive's SHA-256 on the device equals the one on disk here, and every
/// file in it equals the device's own hash of that file); only then wipe the data paths, run the factory
/// reset, forget its host key, take it out of the exported firewall rulesets and mark the entry
/// Decommissioned. Every step is written to the entry's history as it ends. A failed step stops the run
/// before the next one, records what was done, and throws <see cref="DecommissionFailedException"/>.
/// </summary>
public sealed class Decommissioner
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(60);
    private readonly IRemoteShell _shell;
    private readonly InventoryStore _store;
    private readonly IActivityLog _log;

    public Decommissioner(IRemoteShell shell, InventoryStore store, IActivityLog log)
    {
        _shell = shell;
        _store = store;
        _log = log;
    }

    /// <summary>The largest backup accepted from a device, in bytes (256 MB by default).</summary>
    public long MaxBackupBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Runs every step for <paramref name="device"/>; see the class summary. <paramref name="forgetHostKey"/>
    /// removes the device's pinned host key and returns whether one was pinned.
    /// </summary>
    public async Task<DecommissionReport> RunAsync(InventoryDevice device, DecommissionPlan plan,
        string backupRoot, Func<bool> forgetHostKey, CancellationToken cancellationToken)
    {
        var report = new DecommissionReport(device.Address);
        await StepAsync(report, device, "Backup", () => BackupAsync(device, plan, backupRoot, report,
            cancellationToken)).ConfigureAwait(false);
        await StepAsync(report, device, "Wipe", () => WipeAsync(plan, cancellationToken)).ConfigureAwait(false);
        await StepAsync(report, device, "FactoryReset", () => ResetAsync(plan, cancellationToken))
            .ConfigureAwait(false);
        await StepAsync(report, device, "HostKey", () => Task.FromResult(forgetHostKey()
            ? "pinned host key removed"
            : "no host key was pinned")).ConfigureAwait(false);
        await StepAsync(report, device, "FirewallRules", () => Task.FromResult(RemoveFirewallRules(device)))
            .ConfigureAwait(false);
        var summary = string.Join("; ", report.Steps.Select(s => $"{s.Name}: {s.Detail}"));
        report.Device = _store.MarkDecommissioned(device.Address, summary);
        report.Add(new DecommissionStep("Inventory", true, "marked Decommissioned, credentials reference removed"));
        return report;
    }

    /// <summary>
    /// Adds a step the caller ran after the engine's own (such as removing secrets from a vault the engine
    /// cannot reach) to the report and the entry's history.
    /// </summary>
    public static void AppendStep(InventoryStore store, DecommissionReport report, string name, bool succeeded,
        string detail)
    {
        report.Add(new DecommissionStep(name, succeeded, detail));
        if (report.Device is not null)
        {
            store.AppendHistory(report.Device.Id, "Decommission." + name, detail);
        }
    }

    /// <summary>
    /// Takes the device out of every ruleset exported for it. Files it cannot rewrite are warnings, not a
    /// failure: the device is already wiped, and its entry must still be marked.
    /// </summary>
    private string RemoveFirewallRules(InventoryDevice device)
    {
        var cleanup = ExportedRulesets.RemoveDevice(_store, device.Address, DateTimeOffset.UtcNow);
        foreach (var warning in cleanup.Warnings)
        {
            _log.Warning($"{device.Address}: firewall rules: {warning}.");
        }

        return cleanup.Summary;
    }

    private async Task StepAsync(DecommissionReport report, InventoryDevice device, string name,
        Func<Task<string>> step)
    {
        try
        {
            var detail = await step().ConfigureAwait(false);
            report.Add(new DecommissionStep(name, true, detail));
            _store.AppendHistory(device.Id, "Decommission." + name, detail);
            _log.Verbose($"{device.Address}: {name} done: {detail}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not InventoryException)
        {
            var done = report.DescribeDone();
            report.Add(new DecommissionStep(name, false, ex.Message));
            _store.AppendHistory(device.Id, "DecommissionFailed", $"{name} failed: {ex.Message}; {done}");
            throw new DecommissionFailedException(
                $"Decommissioning {device} stopped at {name}: {ex.Message} Nothing after it was run; {done}.",
                report, ex);
        }
    }

    private async Task<string> BackupAsync(InventoryDevice device, DecommissionPlan plan, string backupRoot,
        DecommissionReport report, CancellationToken cancellationToken)
    {
        var present = await ExistingPathsAsync(plan.BackupPaths, cancellationToken).ConfigureAwait(false);
        if (present.Count == 0)
        {
            throw new InvalidOperationException(
                $"none of the paths to back up ({string.Join(", ", plan.BackupPaths)}) exists on the device.");
        }

        var remote = $"/tmp/iotadmin-backup-{Guid.NewGuid():N}.tar";
        try
        {
            var relative = string.Join(" ", present.Select(p => Quote(p.TrimStart('/'))));
            await RunCheckedAsync($"cd / && tar -cf {remote} {relative}", "tar", cancellationToken)
                .ConfigureAwait(false);
            var archiveHash = ParseHash(await RunCheckedAsync($"sha256sum {remote}", "sha256sum", cancellationToken)
                .ConfigureAwait(false));
            var manifest = await RunCheckedAsync(
                $"cd / && find {relative} -type f -exec sha256sum {{}} \\;", "file hashes", cancellationToken)
                .ConfigureAwait(false);
            var archive = await _shell.DownloadAsync(remote, MaxBackupBytes, cancellationToken).ConfigureAwait(false);
            var files = Verify(archive, archiveHash, manifest);
            var folder = Save(device, backupRoot, archive, archiveHash, manifest);
            report.BackupFolder = folder;
            report.BackupSha256 = archiveHash;
            report.BackupFileCount = files;
            return $"{string.Join(", ", present)} ({files} files, {archive.Length} bytes) saved to {folder}, "
                + $"SHA-256 {archiveHash} verified on the device and on disk";
        }
        finally
        {
            await RemoveQuietlyAsync(remote).ConfigureAwait(false);
        }
    }

    /// <summary>Removes a temporary file on the device; a failure here must not hide the step's own error.</summary>
    private async Task RemoveQuietlyAsync(string remotePath)
    {
        try
        {
            await _shell.RunAsync($"rm -f {remotePath}", s_commandTimeout, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _log.Warning($"Could not remove the temporary file {remotePath} on the device: {ex.Message}");
        }
    }

    private static int Verify(byte[] archive, string deviceHash, string manifest)
    {
        var localHash = TarArchive.Hex(archive);
        if (!string.Equals(localHash, deviceHash, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"the downloaded backup has SHA-256 {localHash}, the device's copy {deviceHash}; it was not saved.");
        }

        using var stream = new MemoryStream(archive, writable: false);
        var inArchive = TarArchive.HashFiles(stream);
        var expected = ParseManifest(manifest);
        foreach (var file in expected)
        {
            if (!inArchive.TryGetValue(file.Key, out var hash) || hash != file.Value)
            {
                throw new InvalidDataException(
                    $"the backup's copy of /{file.Key} differs from the file on the device (it may have changed "
                    + "while the backup ran); nothing was wiped.");
            }
        }

        return expected.Count;
    }

    private string Save(InventoryDevice device, string backupRoot, byte[] archive, string hash, string manifest)
    {
        // Written under a .partial name and renamed only once the bytes on disk hash right.
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var name = $"{device.Address.Replace(':', '_')}_{stamp}";
        var folder = Path.Combine(Path.GetFullPath(backupRoot), name);
        var partial = folder + ".partial";
        Directory.CreateDirectory(partial);
        OwnerOnly(partial);
        var archivePath = Path.Combine(partial, "backup.tar");
        File.WriteAllBytes(archivePath, archive);
        File.WriteAllText(Path.Combine(partial, "SHA256SUMS"), manifest.Replace("\r", string.Empty));
        File.WriteAllText(Path.Combine(partial, "backup.tar.sha256"), $"{hash}  backup.tar\n");
        File.WriteAllText(Path.Combine(partial, "device.txt"),
            $"Address: {device.Address}\nName: {device.Name}\nProfile: {device.Profile}\nSaved: {stamp}\n");
        if (TarArchive.HexOfFile(archivePath) != hash)
        {
            throw new IOException($"the backup written to {archivePath} does not read back with its SHA-256.");
        }

        Directory.Move(partial, folder);
        return folder;
    }

    /// <summary>
    /// The backup holds password hashes and keys from /etc, so its folder is made readable by its owner
    /// only where the runtime can set Unix modes (.NET 7 and later); on Windows the folder keeps the ACL of
    /// the user's profile, which other users cannot read.
    /// </summary>
    private static void OwnerOnly(string folder)
    {
        var modeType = Type.GetType("System.IO.UnixFileMode", throwOnError: false);
        var setMode = modeType is null
            ? null
            : typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), modeType });
        if (setMode is null || System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(
            System.Runtime.InteropServices.OSPlatform.Windows))
        {
            return;
        }

        const int userReadWriteExecute = 448;
        setMode.Invoke(null, new[] { folder, Enum.ToObject(modeType!, userReadWriteExecute) });
    }

    private async Task<string> WipeAsync(DecommissionPlan plan, CancellationToken cancellationToken)
    {
        foreach (var path in plan.DataPaths)
        {
            var quoted = Quote(path);

            // Globs that match nothing stay literal and rm -f ignores them; the check after is what counts.
            var command = $"if [ -d {quoted} ]; then rm -rf -- {quoted}/* {quoted}/.[!.]* {quoted}/..?*; "
                + $"[ -z \"$(ls -A {quoted})\" ]; fi";
            await RunCheckedAsync(command, $"wipe of {path}", cancellationToken).ConfigureAwait(false);
        }

        return $"emptied {string.Join(", ", plan.DataPaths)}";
    }

    private async Task<string> ResetAsync(DecommissionPlan plan, CancellationToken cancellationToken)
    {
        var command = plan.FactoryResetCommand
            ?? throw new InvalidOperationException("the plan names no factory-reset command.");
        var output = await RunCheckedAsync(command, "factory reset", cancellationToken).ConfigureAwait(false);
        var firstLine = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return $"ran '{command}'" + (firstLine is null ? string.Empty : $": {firstLine}");
    }

    private async Task<List<string>> ExistingPathsAsync(IEnumerable<string> paths, CancellationToken token)
    {
        var list = paths.ToList();
        var probe = string.Join(" ", list.Select(Quote));
        var output = await RunCheckedAsync($"for p in {probe}; do if [ -e \"$p\" ]; then echo \"$p\"; fi; done",
            "path check", token).ConfigureAwait(false);
        var found = new HashSet<string>(output.Split('\n').Select(l => l.Trim()), StringComparer.Ordinal);
        return list.Where(found.Contains).ToList();
    }

    private async Task<string> RunCheckedAsync(string command, string what, CancellationToken cancellationToken)
    {
        var result = await _shell.RunAsync(command, s_commandTimeout, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return result.StandardOutput;
        }

        var why = result.TimedOut
            ? $"did not finish within {s_commandTimeout.TotalSeconds:F0} s"
            : $"ended with exit status {result.ExitStatus?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}";
        var error = result.StandardError.Trim();
        throw new InvalidOperationException(
            $"the {what} on the device {why}" + (error.Length == 0 ? "." : $": {Shorten(error)}"));
    }

    private static string ParseHash(string sha256sumOutput)
    {
        var hash = sha256sumOutput.Trim().Split(' ')[0].ToLowerInvariant();
        if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
        {
            throw new InvalidDataException($"sha256sum printed '{Shorten(sha256sumOutput)}', not a SHA-256 hash.");
        }

        return hash;
    }

    private static Dictionary<string, string> ParseManifest(string manifest)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in manifest.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 66))
        {
            // sha256sum writes "<64 hex>  <path>" (a '*' instead of the second space in binary mode).
            files[TarArchive.Normalize(line.Substring(66))] = line.Substring(0, 64).ToLowerInvariant();
        }

        return files;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    private static string Shorten(string text) => text.Length <= 300 ? text : text.Substring(0, 300) + "...";
}
