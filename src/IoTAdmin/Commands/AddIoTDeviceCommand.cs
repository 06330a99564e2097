using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IoTAdmin.Engine.Inventory.Store;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Add-IoTDevice: puts devices into the inventory, from Get-IoTDevice -Discover, Import-Csv or
/// parameters. A device whose address is already known is merged into that entry, never duplicated.
/// </summary>
[ImplementsMeasures("SYS.4.4.M9")]
[Cmdlet(VerbsCommon.Add, "IoTDevice", SupportsShouldProcess = true)]
[OutputType(typeof(InventoryDevice))]
public sealed class AddIoTDeviceCommand : IoTCmdletBase, IDisposable
{
    private const int BatchSize = 1000;
    private const string ProgressActivity = "Adding devices to the inventory";
    private readonly List<DeviceUpdate> _pending = new List<DeviceUpdate>();
    private InventoryStore? _store;
    private int _written;

    /// <summary>Gets or sets the device's IP address, its identity in the inventory.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress")]
    [ValidateNotNullOrEmpty]
    public string Address { get; set; } = string.Empty;

    /// <summary>Gets or sets the device's name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Name { get; set; }

    /// <summary>Gets or sets the vendor.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Vendor { get; set; }

    /// <summary>Gets or sets the model.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Model { get; set; }

    /// <summary>Gets or sets the firmware version.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? FirmwareVersion { get; set; }

    /// <summary>Gets or sets the requirement profile: General, Camera, BuildingControl or Gateway.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Profile { get; set; }

    /// <summary>Gets or sets the person or team responsible for the device.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Owner { get; set; }

    /// <summary>Gets or sets where the device is installed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Location { get; set; }

    /// <summary>Gets or sets tags to add; 'a;b' in one value is two tags.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Tags")]
    public string[]? Tag { get; set; }

    /// <summary>Gets or sets where the device's login is kept; never the secret itself.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? CredentialReference { get; set; }

    /// <summary>Gets or sets whether the resulting entries are written to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

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

        if (!InventoryCmdlets.TryParseProfile(Profile, out var profile, out var error))
        {
            WriteError(error!);
            return;
        }

        if (!ShouldProcess($"{address} in {_store!.Path}", "Add or merge inventory entry"))
        {
            return;
        }

        _pending.Add(new DeviceUpdate(address)
        {
            Name = Name, Vendor = Vendor, Model = Model, FirmwareVersion = FirmwareVersion, Profile = profile,
            Owner = Owner, Location = Location, CredentialReference = CredentialReference,
            Tags = Tag is null ? null : TagSet.Parse(Tag),
        });
        if (_pending.Count >= BatchSize)
        {
            Flush();
        }
    }

    protected override void EndProcessing()
    {
        Flush();
        WriteProgress(new ProgressRecord(3, ProgressActivity, "Done") { RecordType = ProgressRecordType.Completed });
        WriteVerbose($"{_written} device(s) added or merged.");
        base.EndProcessing();
    }

    public void Dispose() => _store?.Dispose();

    private void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        // Pipeline values are bound afresh for every record, so each batch holds its own copies.
        var batch = _pending.ToList();
        _pending.Clear();
        try
        {
            var written = _store!.Add(batch, BatchSize, returnEntries: PassThru);
            _written += batch.Count;
            RecordBatch(batch, "Success", null);
            WriteProgress(new ProgressRecord(3, ProgressActivity, $"{_written} device(s) written"));
            if (PassThru)
            {
                WriteObject(written, enumerateCollection: true);
            }
        }
        catch (InventoryException ex)
        {
            // The batch was one transaction, so none of it was written: say which devices to retry.
            RecordBatch(batch, "Failed", ex.Message);
            var record = InventoryCmdlets.ToErrorRecord(ex, _store!.Path);
            record.ErrorDetails = new ErrorDetails($"{ex.Message} The {batch.Count} device(s) from "
                + $"{batch[0].Address} to {batch[batch.Count - 1].Address} were not added.");
            ThrowTerminatingError(record);
        }
    }

    /// <summary>One action log entry per batch (one transaction), naming its devices, not one per device.</summary>
    private void RecordBatch(List<DeviceUpdate> batch, string outcome, string? error)
    {
        const int Named = 20;
        var device = batch.Count == 1 ? batch[0].Address : $"{batch.Count} devices";
        var names = string.Join(", ", batch.Take(Named).Select(u => u.Address))
            + (batch.Count > Named ? $" and {batch.Count - Named} more" : string.Empty);
        var message = error is null ? $"Added or merged: {names}" : $"Not added ({error}): {names}";
        RecordAction(device, outcome, message, withBoundParameters: batch.Count == 1);
    }
}
