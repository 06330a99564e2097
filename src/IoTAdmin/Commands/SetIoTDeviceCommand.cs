using System;
using System.Linq;
using System.Management.Automation;
using IoTAdmin.Engine.Inventory.Store;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Set-IoTDevice: changes an inventory entry's owner, location, profile, tags, credentials reference
/// or lifecycle state (Planned, Productive). Each change is recorded in the entry's history.
/// </summary>
[ImplementsMeasures("SYS.4.4.M9")]
[Cmdlet(VerbsCommon.Set, "IoTDevice", SupportsShouldProcess = true)]
[OutputType(typeof(InventoryDevice))]
public sealed class SetIoTDeviceCommand : IoTCmdletBase, IDisposable
{
    private InventoryStore? _store;

    /// <summary>Gets or sets the address of the entry to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress")]
    [ValidateNotNullOrEmpty]
    public string Address { get; set; } = string.Empty;

    /// <summary>Gets or sets the device's name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Name { get; set; }

    /// <summary>Gets or sets the requirement profile.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Profile { get; set; }

    /// <summary>Gets or sets the person or team responsible.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Owner { get; set; }

    /// <summary>Gets or sets where the device is installed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Location { get; set; }

    /// <summary>Gets or sets the whole new set of tags.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Tags")]
    public string[]? Tag { get; set; }

    /// <summary>Gets or sets where the device's login is kept; never the secret itself.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? CredentialReference { get; set; }

    /// <summary>Gets or sets the fields to empty (empty values elsewhere mean "not given").</summary>
    [Parameter]
    [ValidateSet("Name", "Owner", "Location", "Tags", "CredentialReference")]
    public string[] Clear { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the new lifecycle state: Productive (from Approved) or Planned.</summary>
    [Parameter]
    [ValidateSet("Planned", "Productive")]
    public string? State { get; set; }

    /// <summary>Gets or sets whether the changed entry is written to the pipeline.</summary>
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

        // Looked up first, so -WhatIf reports a missing entry as the change itself would.
        if (InventoryCmdlets.FindForChange(this, _store!, address) is null)
        {
            return;
        }

        var update = BuildUpdate(address, profile);
        var changes = string.Join(", ", update.GivenFields().Select(f => f.Key).Concat(StateChange()));
        if (changes.Length == 0 || !ShouldProcess($"{address} in {_store!.Path}", $"Change {changes}"))
        {
            return;
        }

        RecordChange(address, () => Change(address, update));
    }

    private void Change(string address, DeviceUpdate update)
    {
        try
        {
            var device = _store!.Set(update);
            if (State is not null)
            {
                device = _store.ChangeState(address, (LifecycleState)Enum.Parse(typeof(LifecycleState), State, true));
            }

            if (PassThru)
            {
                WriteObject(device);
            }
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

    public void Dispose() => _store?.Dispose();

    private DeviceUpdate BuildUpdate(string address, Engine.Inventory.DeviceProfile? profile)
    {
        // Empty values (an empty CSV cell) mean "not given"; -Clear is the one way to empty a field.
        var update = new DeviceUpdate(address)
        {
            Name = Given(Name, "Name"), Owner = Given(Owner, "Owner"), Location = Given(Location, "Location"),
            CredentialReference = Given(CredentialReference, "CredentialReference"), Profile = profile,
        };
        var tags = Tag is null ? null : TagSet.Parse(Tag);
        update.Tags = Clear.Contains("Tags", StringComparer.OrdinalIgnoreCase)
            ? TagSet.Empty
            : tags is null || tags.Count == 0 ? null : tags;
        return update;
    }

    private string? Given(string? value, string field)
    {
        if (Clear.Contains(field, StringComparer.OrdinalIgnoreCase))
        {
            return string.Empty;
        }

        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    private string[] StateChange() => State is null ? Array.Empty<string>() : new[] { "State" };
}
