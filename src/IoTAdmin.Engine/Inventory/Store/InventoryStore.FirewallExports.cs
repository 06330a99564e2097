using System;
using System.Collections.Generic;

namespace IoTAdmin.Engine.Inventory.Store;

/// <summary>
/// An allow-list ruleset file that Export-IoTFirewallRule wrote: where it is, the policy it was made from
/// (JSON) and the SHA-256 of what was written, so a later change by hand is seen before the file is rewritten.
/// </summary>
public sealed class FirewallExportRecord
{
    public FirewallExportRecord(string path, string format, string policy, string contentSha256,
        DateTimeOffset writtenAt, string writtenBy)
    {
        Path = path;
        Format = format;
        Policy = policy;
        ContentSha256 = contentSha256;
        WrittenAt = writtenAt;
        WrittenBy = writtenBy;
    }

    public string Path { get; }

    public string Format { get; }

    public string Policy { get; }

    public string ContentSha256 { get; }

    public DateTimeOffset WrittenAt { get; }

    public string WrittenBy { get; }
}

/// <summary>The rulesets exported for the inventory's devices (SYS.4.4 M20: their rules go with them).</summary>
public sealed partial class InventoryStore
{
    /// <summary>Records a written ruleset, replacing an earlier record of the same file.</summary>
    public void RecordFirewallExport(string path, string format, string policy, string contentSha256) =>
        Write(transaction =>
        {
            using var command = Command(
                "INSERT INTO firewall_export (path, format, policy, content_sha256, written_at, written_by) "
                + "VALUES ($path, $format, $policy, $sha, $at, $by) ON CONFLICT(path) DO UPDATE SET "
                + "format = $format, policy = $policy, content_sha256 = $sha, written_at = $at, written_by = $by",
                transaction);
            command.Parameters.AddWithValue("$path", path);
            command.Parameters.AddWithValue("$format", format);
            command.Parameters.AddWithValue("$policy", policy);
            command.Parameters.AddWithValue("$sha", contentSha256);
            command.Parameters.AddWithValue("$at", Timestamp(DateTimeOffset.UtcNow));
            command.Parameters.AddWithValue("$by", Actor);
            return command.ExecuteNonQuery();
        });

    /// <summary>Every recorded ruleset, oldest first.</summary>
    public IReadOnlyList<FirewallExportRecord> FirewallExports() =>
        Read(() =>
        {
            using var command = Command(
                "SELECT path, format, policy, content_sha256, written_at, written_by FROM firewall_export "
                + "ORDER BY written_at, path");
            using var reader = command.ExecuteReader();
            var records = new List<FirewallExportRecord>();
            while (reader.Read())
            {
                records.Add(new FirewallExportRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    reader.GetString(3), ParseTimestamp(reader.GetString(4)), reader.GetString(5)));
            }

            return records;
        });

    /// <summary>Drops the record of a ruleset file that no longer exists.</summary>
    public void ForgetFirewallExport(string path) =>
        Write(transaction =>
        {
            using var command = Command("DELETE FROM firewall_export WHERE path = $path", transaction);
            command.Parameters.AddWithValue("$path", path);
            return command.ExecuteNonQuery();
        });
}
