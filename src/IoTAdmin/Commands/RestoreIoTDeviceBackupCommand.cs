using System;
using System.IO;
using System.Management.Automation;
using IoTAdmin.Engine.Inventory.Lifecycle;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Restore-IoTDeviceBackup: puts a backup made by Invoke-IoTDecommission back on a device over SSH and
/// checks every restored file against the hashes recorded with the backup.
/// </summary>
[ImplementsMeasures("SYS.4.4.M9", "SYS.4.4.M20")]
[Cmdlet(VerbsData.Restore, "IoTDeviceBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(PSObject))]
public sealed class RestoreIoTDeviceBackupCommand : SshCommandBase
{
    /// <summary>Gets or sets the backup folder (the BackupFolder of a decommissioning report).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("BackupFolder")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        var folder = GetUnresolvedProviderPathFromPSPath(Path);
        if (!File.Exists(System.IO.Path.Combine(folder, "backup.tar")))
        {
            var missing = new FileNotFoundException($"'{folder}' holds no backup.tar of a decommissioning backup.");
            WriteError(new ErrorRecord(missing, "BackupNotFound", ErrorCategory.ObjectNotFound, folder));
            return;
        }

        foreach (var address in Address)
        {
            if (!ShouldProcess(address, $"Unpack {folder} at the device's root, overwriting the files it holds"))
            {
                continue;
            }

            RecordChange(address, () => Restore(address, folder));
        }
    }

    private void Restore(string address, string folder)
    {
        try
        {
            BackupRestorer.VerifyArchive(folder);
        }
        catch (Exception ex) when (ex is InvalidDataException || ex is IOException)
        {
            WriteError(new ErrorRecord(ex, "BackupCorrupt", ErrorCategory.InvalidData, address)
            {
                ErrorDetails = new ErrorDetails($"Not restoring {folder} to {address}: {ex.Message}"),
            });
            return;
        }

        try
        {
            if (TryWithShell(address, BuildLogin(), (shell, token) =>
                new BackupRestorer(new DeviceShellAdapter(shell)).RestoreAsync(folder, token), out var files))
            {
                var result = new PSObject();
                result.Properties.Add(new PSNoteProperty("Address", address));
                result.Properties.Add(new PSNoteProperty("BackupFolder", folder));
                result.Properties.Add(new PSNoteProperty("FilesVerified", files));
                WriteObject(result);
            }
        }
        catch (Exception ex) when (Unwrap(ex) is InvalidDataException || Unwrap(ex) is InvalidOperationException)
        {
            var failure = Unwrap(ex);
            WriteError(new ErrorRecord(failure, "RestoreFailed", ErrorCategory.InvalidResult, address)
            {
                ErrorDetails = new ErrorDetails($"Restoring {folder} to {address} failed: {failure.Message}"),
            });
        }
    }
}
