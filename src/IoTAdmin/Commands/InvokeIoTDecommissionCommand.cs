using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory.Lifecycle;
using IoTAdmin.Engine.Inventory.Store;
using IoTAdmin.Engine.Ssh;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Invoke-IoTDecommission: retires inventory devices (SYS.4.4 M20). Backs up the configuration and data
/// paths of the device's profile over SSH and verifies the backup, then wipes the data paths, runs the
/// factory-reset command, forgets the pinned host key, rewrites the recorded firewall rulesets without it
/// and marks the entry Decommissioned with a record of every step. A failed step stops before the next
/// one; a device that cannot be reached is not changed.
/// </summary>
[ImplementsMeasures("SYS.4.4.M20")]
[Cmdlet(VerbsLifecycle.Invoke, "IoTDecommission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DecommissionReport))]
public sealed class InvokeIoTDecommissionCommand : SshCommandBase, IDisposable
{
    private InventoryStore? _store;

    /// <summary>Gets or sets the folder the backups are written to, one subfolder per device and run.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BackupPath { get; set; }

    /// <summary>Gets or sets the configuration paths to back up instead of the profile's (/etc).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ConfigurationPath { get; set; }

    /// <summary>Gets or sets the data paths to back up and wipe instead of the profile's (/data).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? DataPath { get; set; }

    /// <summary>Gets or sets the factory-reset command instead of the profile's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FactoryResetCommand { get; set; }

    /// <summary>Gets or sets the largest backup accepted from one device, in megabytes.</summary>
    [Parameter]
    [ValidateRange(1, 4096)]
    public int MaxBackupMB { get; set; } = 256;

    /// <summary>Gets or sets the inventory file; else $env:IOTADMIN_INVENTORY, else the user's data folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InventoryPath { get; set; }

    /// <summary>
    /// Gets or sets the SecretManagement vault whose secrets for the device (named IoTAdmin/address/user, as
    /// Set-IoTPassword -Vault stores them) are removed once the device is retired.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Vault { get; set; }

    /// <summary>The default backup folder: IoTAdmin/backups in the user's data folder.</summary>
    public static string DefaultBackupPath => Path.Combine(Environment.GetFolderPath(
        Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "IoTAdmin", "backups");

    protected override void BeginProcessing()
    {
        if (Vault is not null)
        {
            VaultSecrets.Require(this, Vault, "Get-SecretInfo", "Remove-Secret");
        }

        _store = InventoryCmdlets.Open(this, InventoryPath);
    }

    protected override void ProcessRecord()
    {
        foreach (var entry in Address)
        {
            var address = InventoryCmdlets.NormalizeAddress(entry);
            if (address is null)
            {
                WriteError(InventoryCmdlets.InvalidAddress(entry));
                continue;
            }

            try
            {
                Decommission(address);
            }
            catch (InventoryException ex) when (!InventoryCmdlets.IsFatal(ex))
            {
                WriteError(InventoryCmdlets.ToErrorRecord(ex, address));
            }
            catch (InventoryException ex)
            {
                ThrowTerminatingError(InventoryCmdlets.ToErrorRecord(ex, _store!.Path));
            }
        }
    }

    public void Dispose() => _store?.Dispose();

    private void Decommission(string address)
    {
        var device = _store!.FindActive(address) ?? throw new DeviceNotFoundException(address, _store.Path);
        var plan = BuildPlan(device);
        if (plan is null)
        {
            return;
        }

        var backupRoot = BackupPath is null ? DefaultBackupPath : GetUnresolvedProviderPathFromPSPath(BackupPath);
        var action = $"Back up {string.Join(", ", plan.BackupPaths)} to {backupRoot}, wipe "
            + $"{string.Join(", ", plan.DataPaths)}, run '{plan.FactoryResetCommand}', forget the SSH host key, "
            + "take it out of the exported firewall rulesets and mark the entry Decommissioned"
            + (Vault is null ? string.Empty : $", then remove its secrets IoTAdmin/{address}/* from vault '{Vault}'");
        if (ShouldProcess($"{device} in {_store.Path}", action))
        {
            RecordChange(address, () => DecommissionConfirmed(address, device, plan, backupRoot));
        }
    }

    private void DecommissionConfirmed(string address, InventoryDevice device, DecommissionPlan plan, string backupRoot)
    {
        try
        {
            if (TryWithShell(address, BuildLogin(), (shell, token) => RunAsync(shell, device, plan, backupRoot, token),
                out var report))
            {
                RemoveVaultSecrets(address, report);
                WriteObject(report);
            }
        }
        catch (Exception ex) when (Unwrap(ex) is DecommissionFailedException failed)
        {
            WriteError(new ErrorRecord(failed, "DecommissionFailed", ErrorCategory.InvalidResult, failed.Report));
        }
    }

    /// <summary>
    /// Removes the device's secrets from -Vault. It runs here, on the pipeline thread, because SecretManagement
    /// is PowerShell; a vault that refuses is a warning, since the device is already retired.
    /// </summary>
    private void RemoveVaultSecrets(string address, DecommissionReport report)
    {
        if (Vault is null || !report.Completed)
        {
            return;
        }

        var pattern = $"IoTAdmin/{address}/*";
        try
        {
            var remove = ScriptBlock.Create("param($n, $v) @(Get-SecretInfo -Name $n -Vault $v -ErrorAction Stop) | "
                + "ForEach-Object { Remove-Secret -Name $_.Name -Vault $v -ErrorAction Stop; $_.Name }");
            var removed = InvokeCommand.InvokeScript(true, remove, null, pattern, Vault)
                .Select(o => o?.ToString()).ToList();
            var detail = removed.Count == 0
                ? $"vault '{Vault}' held no secret {pattern}"
                : $"removed {string.Join(", ", removed)} from vault '{Vault}'";
            Decommissioner.AppendStep(_store!, report, "VaultSecrets", true, detail);
        }
        catch (RuntimeException ex)
        {
            var detail = $"removing {pattern} from vault '{Vault}' failed: {ex.Message} Remove them by hand";
            WriteWarning($"{address}: {detail}.");
            Decommissioner.AppendStep(_store!, report, "VaultSecrets", false, detail);
        }
    }

    private Task<DecommissionReport> RunAsync(DeviceShell shell, InventoryDevice device, DecommissionPlan plan,
        string backupRoot, CancellationToken token)
    {
        var decommissioner = new Decommissioner(new DeviceShellAdapter(shell), _store!, Log)
        {
            MaxBackupBytes = MaxBackupMB * 1024L * 1024,
        };
        var store = HostKeyPolicy.Store;
        return decommissioner.RunAsync(device, plan, backupRoot, () => store.Remove(device.Address, Port), token);
    }

    private DecommissionPlan? BuildPlan(InventoryDevice device)
    {
        var defaults = DecommissionPlan.ForProfile(device.Profile);
        try
        {
            var plan = new DecommissionPlan(ConfigurationPath ?? defaults.ConfigurationPaths,
                DataPath ?? defaults.DataPaths, FactoryResetCommand ?? defaults.FactoryResetCommand);
            if (plan.FactoryResetCommand is not null)
            {
                return plan;
            }

            var missing = new ArgumentException($"The profile {device.Profile} of {device} names no factory-reset "
                + "command (vendors have no common one); give the vendor's command with -FactoryResetCommand.");
            WriteError(new ErrorRecord(missing, "FactoryResetCommandMissing", ErrorCategory.InvalidArgument, device));
        }
        catch (ArgumentException ex)
        {
            WriteError(new ErrorRecord(ex, "InvalidDecommissionPath", ErrorCategory.InvalidArgument, device));
        }

        return null;
    }
}
