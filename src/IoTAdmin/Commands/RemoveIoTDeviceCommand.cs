using System;
using System.Management.Automation;
using IoTAdmin.Engine.Inventory.Store;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Remove-IoTDevice: deletes an inventory entry with its tags and history. Devices that leave service
/// should go through Invoke-IoTDecommission instead, which keeps the entry as a record.
/// </summary>
[ImplementsMeasures("SYS.4.4.M9", "SYS.4.4.M20")]
[Cmdlet(VerbsCommon.Remove, "IoTDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveIoTDeviceCommand : IoTCmdletBase, IDisposable
{
    private InventoryStore? _store;

    /// <summary>Gets or sets the address of the entry to delete.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress")]
    [ValidateNotNullOrEmpty]
    public string Address { get; set; } = string.Empty;

    /// <summary>Gets or sets the inventory file; else $env:IOTADMIN_INVENTORY, else the user's data folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InventoryPath { get; set; }

    protected override void BeginProcessing()
    {
        _store = InventoryCmdlets.Open(this, InventoryPath);
    }

    protected override void ProcessRecord()
    {
        var address = InventoryCmdlets.NormalizeAddress(Address);
        if (address is null)
        {
            WriteError(InventoryCmdlets.InvalidAddress(Address));
            return;
        }

        // Looked up first, so -WhatIf reports a missing entry as the deletion itself would.
        var device = InventoryCmdlets.FindForChange(this, _store!, address);
        if (device is null || !ShouldProcess($"{device} in {_store!.Path}", "Delete inventory entry and its history"))
        {
            return;
        }

        RecordChange(address, () => Remove(address));
    }

    private void Remove(string address)
    {
        try
        {
            if (!_store!.Remove(address))
            {
                WriteError(InventoryCmdlets.DeviceNotFound(address, _store.Path));
            }
        }
        catch (InventoryException ex)
        {
            ThrowTerminatingError(InventoryCmdlets.ToErrorRecord(ex, _store!.Path));
        }
    }

    public void Dispose() => _store?.Dispose();
}
