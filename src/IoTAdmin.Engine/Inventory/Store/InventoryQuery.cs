using System.Collections.Generic;

namespace IoTAdmin.Engine.Inventory.Store;

/// <summary>
/// Filters for reading the inventory; every list given must match (any of its values), empty lists
/// match everything. Name and address patterns use PowerShell wildcards (*, ?, [a-z]), case-insensitive.
/// </summary>
public sealed class InventoryQuery
{
    public List<string> NamePatterns { get; } = new List<string>();

    public List<string> AddressPatterns { get; } = new List<string>();

    public List<string> Tags { get; } = new List<string>();

    public List<DeviceProfile> Profiles { get; } = new List<DeviceProfile>();

    public List<LifecycleState> States { get; } = new List<LifecycleState>();

    /// <summary>Whether each device carries its history (one more query per device).</summary>
    public bool IncludeHistory { get; set; }
}
