using System;

namespace IoTAdmin.Engine.Inventory.Store;

/// <summary>One thing that happened to an inventory entry: who did what, when, and the details.</summary>
public sealed class DeviceHistoryEntry
{
    public DeviceHistoryEntry(DateTimeOffset at, string actor, string action, string detail)
    {
        At = at;
        Actor = actor;
        Action = action;
        Detail = detail;
    }

    public DateTimeOffset At { get; }

    /// <summary>The account that made the change (DOMAIN\user or user).</summary>
    public string Actor { get; }

    /// <summary>A short verb: Added, Merged, Changed, ApprovalRefused, Approved, Decommission.Backup, ...</summary>
    public string Action { get; }

    public string Detail { get; }

    public override string ToString() => $"{At:u} {Actor} {Action}: {Detail}";
}
