using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Inventory.Lifecycle;

/// <summary>
/// Puts a decommissioning backup back on a device: the archive must still hash as recorded, it is sent,
/// hashed again on the device, unpacked at the root, and then every file it holds is checked on the device
/// against SHA256SUMS. Any mismatch is an error naming the first file that differs.
/// </summary>
public sealed class BackupRestorer
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(60);
    private readonly IRemoteShell _shell;

    public BackupRestorer(IRemoteShell shell)
    {
        _shell = shell;
    }

    /// <summary>
    /// Checks the archive against the SHA-256 recorded when it was made, before any device is touched.
    /// </summary>
    /// <exception cref="InvalidDataException">The archive was changed or the record is missing.</exception>
    /// <returns>The recorded (and matching) SHA-256 of the archive.</returns>
    public static string VerifyArchive(string backupFolder)
    {
        var archive = Path.Combine(backupFolder, "backup.tar");
        var expected = ReadRecordedHash(backupFolder);
        var local = TarArchive.HexOfFile(archive);
        if (local != expected)
        {
            throw new InvalidDataException(
                $"{archive} has SHA-256 {local}, not the {expected} recorded when it was made; it was not restored.");
        }

        return expected;
    }

    /// <summary>Restores the backup in <paramref name="backupFolder"/>; returns the number of files checked.</summary>
    /// <exception cref="InvalidDataException">The backup here or on the device does not match its hashes.</exception>
    /// <exception cref="InvalidOperationException">A command on the device failed.</exception>
    public async Task<int> RestoreAsync(string backupFolder, CancellationToken cancellationToken)
    {
        var expected = VerifyArchive(backupFolder);
        var archive = Path.Combine(backupFolder, "backup.tar");
        var remote = $"/tmp/iotadmin-restore-{Guid.NewGuid():N}.tar";
        try
        {
            using (var content = File.OpenRead(archive))
            {
                await _shell.UploadAsync(content, remote, cancellationToken).ConfigureAwait(false);
            }

            var sent = (await RunAsync($"sha256sum {remote}", cancellationToken).ConfigureAwait(false))
                .Trim().Split(' ')[0];
            if (!string.Equals(sent, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException(
                    $"the archive arrived on the device with SHA-256 {sent}; it was not unpacked.");
            }

            await RunAsync($"cd / && tar -xf {remote}", cancellationToken).ConfigureAwait(false);
            return await CheckFilesAsync(backupFolder, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await RemoveQuietlyAsync(remote).ConfigureAwait(false);
        }
    }

    private async Task<int> CheckFilesAsync(string backupFolder, CancellationToken cancellationToken)
    {
        var sums = File.ReadAllText(Path.Combine(backupFolder, "SHA256SUMS"));
        var remote = $"/tmp/iotadmin-restore-{Guid.NewGuid():N}.sums";
        try
        {
            using (var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sums)))
            {
                await _shell.UploadAsync(content, remote, cancellationToken).ConfigureAwait(false);
            }

            var result = await _shell.RunAsync($"cd / && sha256sum -c {remote}", s_commandTimeout, cancellationToken)
                .ConfigureAwait(false);
            if (!result.Succeeded)
            {
                var first = result.StandardOutput.Split('\n').FirstOrDefault(l => !l.TrimEnd().EndsWith(": OK",
                    StringComparison.Ordinal)) ?? result.StandardError;
                throw new InvalidDataException(
                    $"after unpacking, a file on the device differs from the backup: {first}");
            }

            return sums.Split('\n').Count(l => l.Trim().Length > 0);
        }
        finally
        {
            await RemoveQuietlyAsync(remote).ConfigureAwait(false);
        }
    }

    private async Task RemoveQuietlyAsync(string remotePath)
    {
        // A failed clean-up must not hide the restore's own error; the file is only a temporary copy.
        try
        {
            await _shell.RunAsync($"rm -f {remotePath}", s_commandTimeout, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
        }
    }

    private async Task<string> RunAsync(string command, CancellationToken cancellationToken)
    {
        var result = await _shell.RunAsync(command, s_commandTimeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var status = result.ExitStatus?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
            throw new InvalidOperationException(
                $"'{command}' failed on the device (exit status {status}): {result.StandardError.Trim()}");
        }

        return result.StandardOutput;
    }

    private static string ReadRecordedHash(string backupFolder)
    {
        var path = Path.Combine(backupFolder, "backup.tar.sha256");
        if (!File.Exists(path))
        {
            throw new InvalidDataException(
                $"{backupFolder} is not a decommissioning backup: it has no backup.tar.sha256.");
        }

        return File.ReadAllText(path).Trim().Split(' ')[0].ToLowerInvariant();
    }
}
