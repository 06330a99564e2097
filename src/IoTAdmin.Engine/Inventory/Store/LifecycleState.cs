namespace IoTAdmin.Engine.Inventory.Store;

/// <summary>
/// Where a device stands in its life (SYS.4.4 M14 deployment clearance, M20 decommissioning).
/// Planned devices are known but not cleared; Approved ones passed their baseline and were cleared by
/// someone; Productive ones are in use; Decommissioned ones are retired and kept as a record only.
/// </summary>
public enum LifecycleState
{
    Planned,
    Approved,
    Productive,
    Decommissioned,
}
