using System;

namespace IoTAdmin.Engine.Inventory.Store;

/// <summary>Lifecycle changes: clearance, going productive, back to planning, decommissioning.</summary>
public sealed partial class InventoryStore
{
    /// <summary>
    /// Records a deployment clearance (SYS.4.4 M14): Planned becomes Approved with who, when, the
    /// baseline result and the note.
    /// </summary>
    /// <exception cref="LifecycleTransitionException">The device is not Planned.</exception>
    public InventoryDevice RecordApproval(string address, string baseline, string note) =>
        Write(transaction =>
        {
            var known = RequireActive(address, transaction);
            RequireState(known, "approve", LifecycleState.Planned);
            using var command = Command(
                "UPDATE device SET state = 'Approved', approved_by = $by, approved_at = $at, approval_baseline = "
                + "$baseline, approval_note = $note, updated_at = $at WHERE id = $id", transaction);
            command.Parameters.AddWithValue("$by", Actor);
            command.Parameters.AddWithValue("$at", Timestamp(DateTimeOffset.UtcNow));
            command.Parameters.AddWithValue("$baseline", baseline);
            command.Parameters.AddWithValue("$note", note);
            command.Parameters.AddWithValue("$id", known.Id);
            command.ExecuteNonQuery();
            AppendHistory(known.Id, "Approved", $"Baseline: {baseline}. Note: {note}", transaction);
            return FindActive(address, transaction, withHistory: true)!;
        });

    /// <summary>
    /// Moves a device between Planned, Approved and Productive: Approved to Productive, and Approved or
    /// Productive back to Planned (which withdraws the clearance; the history keeps it). Approval itself
    /// goes through <see cref="RecordApproval"/> and retirement through <see cref="MarkDecommissioned"/>.
    /// </summary>
    public InventoryDevice ChangeState(string address, LifecycleState target) =>
        Write(transaction =>
        {
            var known = RequireActive(address, transaction);
            if (known.State == target)
            {
                return known;
            }

            CheckTransition(known, target);
            var clear = target == LifecycleState.Planned
                ? ", approved_by = NULL, approved_at = NULL, approval_baseline = NULL, approval_note = NULL"
                : string.Empty;
            using var command = Command(
                $"UPDATE device SET state = $state, updated_at = $at{clear} WHERE id = $id", transaction);
            command.Parameters.AddWithValue("$state", target.ToString());
            command.Parameters.AddWithValue("$at", Timestamp(DateTimeOffset.UtcNow));
            command.Parameters.AddWithValue("$id", known.Id);
            command.ExecuteNonQuery();
            AppendHistory(known.Id, "StateChanged", $"{known.State} -> {target}", transaction);
            return FindActive(address, transaction, withHistory: true)!;
        });

    /// <summary>
    /// Marks the entry Decommissioned with a final history line. The entry stays as a record; its address
    /// is free for a new device.
    /// </summary>
    public InventoryDevice MarkDecommissioned(string address, string detail) =>
        Write(transaction =>
        {
            var known = RequireActive(address, transaction);
            using var command = Command(
                "UPDATE device SET state = 'Decommissioned', credential_ref = NULL, updated_at = $at WHERE id = $id",
                transaction);
            command.Parameters.AddWithValue("$at", Timestamp(DateTimeOffset.UtcNow));
            command.Parameters.AddWithValue("$id", known.Id);
            command.ExecuteNonQuery();
            AppendHistory(known.Id, "Decommissioned", detail, transaction);
            return ReadById(known.Id, transaction);
        });

    private InventoryDevice ReadById(long id, Microsoft.Data.Sqlite.SqliteTransaction transaction)
    {
        using var command = Command("SELECT " + DeviceColumns + " FROM device d WHERE d.id = $id", transaction);
        command.Parameters.AddWithValue("$id", id);
        var device = ReadDevices(command)[0];
        device.History = ReadHistory(id, transaction);
        return device;
    }

    private static void CheckTransition(InventoryDevice known, LifecycleState target)
    {
        switch (target)
        {
            case LifecycleState.Productive:
                RequireState(known, "put into production", LifecycleState.Approved);
                break;
            case LifecycleState.Planned:
                RequireState(known, "return to planning", LifecycleState.Approved, LifecycleState.Productive);
                break;
            case LifecycleState.Approved:
                throw new LifecycleTransitionException(
                    $"Device '{known.Address}' is approved only by Approve-IoTDevice, which checks its baseline.");
            default:
                throw new LifecycleTransitionException(
                    $"Device '{known.Address}' is decommissioned only by Invoke-IoTDecommission.");
        }
    }

    private static void RequireState(InventoryDevice known, string action, params LifecycleState[] allowed)
    {
        if (Array.IndexOf(allowed, known.State) < 0)
        {
            throw new LifecycleTransitionException(
                $"Cannot {action} device '{known.Address}': it is {known.State}; only a device that is "
                + $"{string.Join(" or ", allowed)} can be.");
        }
    }
}
