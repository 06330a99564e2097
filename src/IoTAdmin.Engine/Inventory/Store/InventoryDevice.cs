using System;
using System.Collections.Generic;

namespace IoTAdmin.Engine.Inventory.Store;

/// <summary>
/// One device as the inventory keeps it (SYS.4.4 M5 asset management): what discovery learnt, who
/// owns it and where it is, how it is reached (a credentials reference, never a secret), its lifecycle
/// state with the clearance it was given, and, when asked for, its history. Property names are the
/// CSV column names that Add-IoTDevice and Set-IoTDevice bind by name.
/// </summary>
public sealed class InventoryDevice
{
    public InventoryDevice(long id, string address)
    {
        Id = id;
        Address = address;
    }

    /// <summary>The store's own key; an address can be reused after a device is decommissioned.</summary>
    public long Id { get; }

    public string Address { get; }

    public string? Name { get; set; }

    public string? Vendor { get; set; }

    public string? Model { get; set; }

    public string? FirmwareVersion { get; set; }

    public DeviceProfile Profile { get; set; } = DeviceProfile.General;

    public string? Owner { get; set; }

    public string? Location { get; set; }

    public TagSet Tags { get; set; } = TagSet.Empty;

    /// <summary>
    /// Where the device's login is kept, e.g. 'SecretStore:cam1-admin' or a key file path. The
    /// inventory never stores the secret itself.
    /// </summary>
    public string? CredentialReference { get; set; }

    public LifecycleState State { get; set; } = LifecycleState.Planned;

    public string? ApprovedBy { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    /// <summary>The baseline result the clearance rests on, e.g. '12 Pass, 3 NotApplicable'.</summary>
    public string? ApprovalBaseline { get; set; }

    public string? ApprovalNote { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The entry's history, oldest first; null unless the query asked for it.</summary>
    public IReadOnlyList<DeviceHistoryEntry>? History { get; set; }

    public override string ToString() => Name is null ? Address : $"{Name} ({Address})";
}
