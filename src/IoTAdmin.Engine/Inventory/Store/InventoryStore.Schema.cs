using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace IoTAdmin.Engine.Inventory.Store;

/// <summary>Schema versions and their migrations.</summary>
public sealed partial class InventoryStore
{
    /// <summary>
    /// The migrations in order: entry i brings the schema from version i to version i + 1. Released
    /// entries are never edited; a change of schema is a new entry at the end.
    /// </summary>
    private static readonly IReadOnlyList<string> s_migrations = new[]
    {
        @"
CREATE TABLE device (
    id INTEGER PRIMARY KEY,
    address TEXT NOT NULL,
    name TEXT,
    vendor TEXT,
    model TEXT,
    firmware TEXT,
    profile TEXT NOT NULL,
    owner TEXT,
    location TEXT,
    credential_ref TEXT,
    state TEXT NOT NULL,
    approved_by TEXT,
    approved_at TEXT,
    approval_baseline TEXT,
    approval_note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX device_active_address ON device(address) WHERE state <> 'Decommissioned';
CREATE INDEX device_name ON device(name COLLATE NOCASE);
CREATE TABLE device_tag (
    device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,
    tag TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (device_id, tag)
) WITHOUT ROWID;
CREATE INDEX device_tag_by_tag ON device_tag(tag, device_id);
CREATE TABLE device_history (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX device_history_by_device ON device_history(device_id, id);
",
        @"
CREATE TABLE firewall_export (
    path TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    policy TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    written_at TEXT NOT NULL,
    written_by TEXT NOT NULL
);
",
    };

    /// <summary>The schema version this build writes.</summary>
    public static int LatestSchemaVersion => s_migrations.Count;

    /// <summary>The schema version of the open file.</summary>
    public int SchemaVersion => Read(() => ReadSchemaVersion(null));

    private void RejectForeignDatabase()
    {
        // Adding our tables to another program's database would change a file that is not ours.
        var (tables, ours) = Read(() =>
        {
            using var command = Command(
                "SELECT count(*), count(CASE WHEN name = 'schema_version' THEN 1 END) FROM sqlite_master "
                + "WHERE type = 'table'");
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetInt64(0), reader.GetInt64(1));
        });
        if (tables > 0 && ours == 0)
        {
            throw Corrupt("it is a SQLite database of another program (it has no schema_version table)");
        }
    }

    private void Migrate()
    {
        var found = SchemaVersion;
        RejectNewerSchema(found);

        // Opening an up-to-date file only reads, so it never waits for another writer.
        for (var target = found + 1; target <= s_migrations.Count; target++)
        {
            var step = target;
            Write(transaction => ApplyMigration(step, transaction));
        }
    }

    private void RejectNewerSchema(int found)
    {
        if (found > LatestSchemaVersion)
        {
            throw new InventorySchemaException(
                $"The inventory '{Path}' has schema version {found}, written by a newer IoTAdmin; this version "
                + $"knows versions up to {LatestSchemaVersion}. Update IoTAdmin; the file was left untouched.");
        }
    }

    private bool ApplyMigration(int target, SqliteTransaction transaction)
    {
        using (var create = Command(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, "
            + "applied_by TEXT NOT NULL)", transaction))
        {
            create.ExecuteNonQuery();
        }

        // Read inside the write transaction: another process may have migrated since we looked.
        var current = ReadSchemaVersion(transaction);
        RejectNewerSchema(current);
        if (current >= target)
        {
            return false;
        }

        using (var command = Command(s_migrations[target - 1], transaction))
        {
            command.ExecuteNonQuery();
        }

        using var record = Command(
            "INSERT INTO schema_version (version, applied_at, applied_by) VALUES ($v, $at, $by)", transaction);
        record.Parameters.AddWithValue("$v", target);
        record.Parameters.AddWithValue("$at", Timestamp(DateTimeOffset.UtcNow));
        record.Parameters.AddWithValue("$by", Actor);
        record.ExecuteNonQuery();
        return true;
    }

    private int ReadSchemaVersion(SqliteTransaction? transaction)
    {
        using (var exists = Command(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", transaction))
        {
            if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            {
                return 0;
            }
        }

        using var command = Command("SELECT coalesce(max(version), 0) FROM schema_version", transaction);
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    internal static string Timestamp(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
