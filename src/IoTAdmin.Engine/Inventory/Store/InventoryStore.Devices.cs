using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.Data.Sqlite;

namespace IoTAdmin.Engine.Inventory.Store;

/// <summary>Reading and changing device entries.</summary>
public sealed partial class InventoryStore
{
    private const string DeviceColumns =
        "d.id, d.address, d.name, d.vendor, d.model, d.firmware, d.profile, d.owner, d.location, d.credential_ref, "
        + "d.state, d.approved_by, d.approved_at, d.approval_baseline, d.approval_note, d.created_at, d.updated_at, "
        + "(SELECT group_concat(t.tag, ';') FROM device_tag t WHERE t.device_id = d.id)";

    private const string ActiveByAddress =
        "SELECT " + DeviceColumns + " FROM device d WHERE d.address = $address AND d.state <> 'Decommissioned'";

    /// <summary>The devices that match <paramref name="query"/>, ordered by address.</summary>
    public IReadOnlyList<InventoryDevice> Find(InventoryQuery query) =>
        Read(() =>
        {
            using var command = Command(string.Empty);
            command.CommandText = "SELECT " + DeviceColumns + " FROM device d" + Where(query, command)
                + " ORDER BY d.address, d.id";
            var devices = ReadDevices(command);
            if (query.IncludeHistory)
            {
                devices.ForEach(d => d.History = ReadHistory(d.Id, null));
            }

            return devices;
        });

    /// <summary>The entry in use for an address (not decommissioned), with its history; null when none.</summary>
    public InventoryDevice? FindActive(string address) =>
        Read(() => FindActive(address, null, withHistory: true));

    /// <summary>
    /// Adds devices, merging each into the entry already known for its address: given facts replace
    /// known ones, tags are added, and nothing becomes duplicated. Writes in batches, one transaction each;
    /// a batch that fails is rolled back whole, batches before it stay written.
    /// </summary>
    /// <returns>The resulting entries, or an empty list when <paramref name="returnEntries"/> is false.</returns>
    public IReadOnlyList<InventoryDevice> Add(IEnumerable<DeviceUpdate> updates, int batchSize = 1000,
        bool returnEntries = true)
    {
        var written = new List<InventoryDevice>();
        foreach (var batch in Batches(updates, batchSize))
        {
            var entries = Write(transaction => batch.Select(u => AddOne(u, transaction, returnEntries)).ToList());
            written.AddRange(entries.Where(e => e is not null).Select(e => e!));
        }

        return written;
    }

    /// <summary>Changes the given fields of the entry in use for the update's address.</summary>
    /// <exception cref="DeviceNotFoundException">No such entry.</exception>
    public InventoryDevice Set(DeviceUpdate update) =>
        Write(transaction =>
        {
            var known = RequireActive(update.Address, transaction);
            var changes = Describe(known, update, merging: false);
            if (changes.Length > 0)
            {
                UpdateRow(known.Id, update, merging: false, transaction);
                AppendHistory(known.Id, "Changed", changes, transaction);
            }

            return FindActive(update.Address, transaction, withHistory: true)!;
        });

    /// <summary>Deletes the entry in use for the address with its tags and history; false when none.</summary>
    public bool Remove(string address) =>
        Write(transaction =>
        {
            using var command = Command(
                "DELETE FROM device WHERE address = $address AND state <> 'Decommissioned'", transaction);
            command.Parameters.AddWithValue("$address", address);
            return command.ExecuteNonQuery() > 0;
        });

    /// <summary>Adds a line to the entry's history without changing anything else.</summary>
    public void AppendHistory(long deviceId, string action, string detail) =>
        Write(transaction =>
        {
            AppendHistory(deviceId, action, detail, transaction);
            return 0;
        });

    private InventoryDevice? AddOne(DeviceUpdate update, SqliteTransaction transaction, bool returnEntry)
    {
        var known = FindActive(update.Address, transaction, withHistory: false);
        if (known is null)
        {
            var id = InsertRow(update, transaction);
            var fields = string.Join(", ", update.GivenFields().Select(f => $"{f.Key}={f.Value}"));
            AppendHistory(id, "Added", fields.Length == 0 ? "Address only" : fields, transaction);
        }
        else
        {
            // Discovery says General when it cannot tell; that guess must not undo a profile someone set.
            if (update.Profile == DeviceProfile.General && known.Profile != DeviceProfile.General)
            {
                update.Profile = null;
            }

            var changes = Describe(known, update, merging: true);
            if (changes.Length > 0)
            {
                UpdateRow(known.Id, update, merging: true, transaction);
                AppendHistory(known.Id, "Merged", changes, transaction);
            }
        }

        return returnEntry ? FindActive(update.Address, transaction, withHistory: false) : null;
    }

    private long InsertRow(DeviceUpdate update, SqliteTransaction transaction)
    {
        var now = Timestamp(DateTimeOffset.UtcNow);
        var command = Prepared(
            "INSERT INTO device (address, name, vendor, model, firmware, profile, owner, location, credential_ref, "
            + "state, created_at, updated_at) VALUES ($address, $name, $vendor, $model, $firmware, $profile, $owner, "
            + "$location, $cred, 'Planned', $now, $now); SELECT last_insert_rowid();", transaction);
        command.Parameters.AddWithValue("$address", update.Address);
        command.Parameters.AddWithValue("$name", Db(Blank(update.Name)));
        command.Parameters.AddWithValue("$vendor", Db(Blank(update.Vendor)));
        command.Parameters.AddWithValue("$model", Db(Blank(update.Model)));
        command.Parameters.AddWithValue("$firmware", Db(Blank(update.FirmwareVersion)));
        command.Parameters.AddWithValue("$profile", (update.Profile ?? DeviceProfile.General).ToString());
        command.Parameters.AddWithValue("$owner", Db(Blank(update.Owner)));
        command.Parameters.AddWithValue("$location", Db(Blank(update.Location)));
        command.Parameters.AddWithValue("$cred", Db(Blank(update.CredentialReference)));
        command.Parameters.AddWithValue("$now", now);
        var id = (long)command.ExecuteScalar()!;
        WriteTags(id, update.Tags ?? TagSet.Empty, replace: false, transaction);
        return id;
    }

    private void UpdateRow(long id, DeviceUpdate update, bool merging, SqliteTransaction transaction)
    {
        var sets = new List<string> { "updated_at = $now" };
        using var command = Command(string.Empty, transaction);
        AddSet(sets, command, "name", update.Name, merging);
        AddSet(sets, command, "vendor", update.Vendor, merging);
        AddSet(sets, command, "model", update.Model, merging);
        AddSet(sets, command, "firmware", update.FirmwareVersion, merging);
        AddSet(sets, command, "owner", update.Owner, merging);
        AddSet(sets, command, "location", update.Location, merging);
        AddSet(sets, command, "credential_ref", update.CredentialReference, merging);
        if (update.Profile is not null)
        {
            sets.Add("profile = $profile");
            command.Parameters.AddWithValue("$profile", update.Profile.Value.ToString());
        }

        command.CommandText = $"UPDATE device SET {string.Join(", ", sets)} WHERE id = $id";
        command.Parameters.AddWithValue("$now", Timestamp(DateTimeOffset.UtcNow));
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
        if (update.Tags is not null)
        {
            WriteTags(id, update.Tags, replace: !merging, transaction);
        }
    }

    private static void AddSet(List<string> sets, SqliteCommand command, string column, string? value, bool merging)
    {
        // Merging never clears: an empty CSV cell or an unknown discovery fact keeps what is known.
        if (value is null || (merging && value.Trim().Length == 0))
        {
            return;
        }

        sets.Add($"{column} = ${column}");
        command.Parameters.AddWithValue("$" + column, Db(Blank(value)));
    }

    private void WriteTags(long id, TagSet tags, bool replace, SqliteTransaction transaction)
    {
        if (replace)
        {
            using var clear = Command("DELETE FROM device_tag WHERE device_id = $id", transaction);
            clear.Parameters.AddWithValue("$id", id);
            clear.ExecuteNonQuery();
        }

        var insert = Prepared(
            "INSERT OR IGNORE INTO device_tag (device_id, tag) VALUES ($id, $tag)", transaction);
        var idParameter = insert.Parameters.Add("$id", SqliteType.Integer);
        var tagParameter = insert.Parameters.Add("$tag", SqliteType.Text);
        foreach (var tag in tags)
        {
            idParameter.Value = id;
            tagParameter.Value = tag;
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>What the update would change, as 'Field: old -> new; ...'; empty when nothing.</summary>
    private static string Describe(InventoryDevice known, DeviceUpdate update, bool merging)
    {
        var changes = new List<string>();
        foreach (var field in update.GivenFields())
        {
            var before = field.Key switch
            {
                "Name" => known.Name,
                "Vendor" => known.Vendor,
                "Model" => known.Model,
                "FirmwareVersion" => known.FirmwareVersion,
                "Profile" => known.Profile.ToString(),
                "Owner" => known.Owner,
                "Location" => known.Location,
                "Tags" => known.Tags.ToString(),
                _ => known.CredentialReference,
            };
            var after = field.Key == "Tags" && merging ? known.Tags.Union(update.Tags!).ToString() : field.Value;
            if (merging && Blank(after) is null)
            {
                continue;
            }

            if (!string.Equals(before ?? string.Empty, after ?? string.Empty, StringComparison.Ordinal))
            {
                changes.Add($"{field.Key}: '{before}' -> '{after}'");
            }
        }

        return string.Join("; ", changes);
    }

    internal InventoryDevice RequireActive(string address, SqliteTransaction transaction) =>
        FindActive(address, transaction, withHistory: false) ?? throw new DeviceNotFoundException(address, Path);

    private InventoryDevice? FindActive(string address, SqliteTransaction? transaction, bool withHistory)
    {
        var command = Prepared(ActiveByAddress, transaction);
        command.Parameters.AddWithValue("$address", address);
        var device = ReadDevices(command).FirstOrDefault();
        if (device is not null && withHistory)
        {
            device.History = ReadHistory(device.Id, transaction);
        }

        return device;
    }

    internal void AppendHistory(long deviceId, string action, string detail, SqliteTransaction transaction)
    {
        var command = Prepared(
            "INSERT INTO device_history (device_id, at, actor, action, detail) VALUES ($id, $at, $actor, $action, "
            + "$detail)", transaction);
        command.Parameters.AddWithValue("$id", deviceId);
        command.Parameters.AddWithValue("$at", Timestamp(DateTimeOffset.UtcNow));
        command.Parameters.AddWithValue("$actor", Actor);
        command.Parameters.AddWithValue("$action", action);
        command.Parameters.AddWithValue("$detail", detail);
        command.ExecuteNonQuery();
    }

    private List<DeviceHistoryEntry> ReadHistory(long deviceId, SqliteTransaction? transaction)
    {
        using var command = Command(
            "SELECT at, actor, action, detail FROM device_history WHERE device_id = $id ORDER BY id", transaction);
        command.Parameters.AddWithValue("$id", deviceId);
        using var reader = command.ExecuteReader();
        var entries = new List<DeviceHistoryEntry>();
        while (reader.Read())
        {
            entries.Add(new DeviceHistoryEntry(ParseTimestamp(reader.GetString(0)), reader.GetString(1),
                reader.GetString(2), reader.GetString(3)));
        }

        return entries;
    }

    private static List<InventoryDevice> ReadDevices(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var devices = new List<InventoryDevice>();
        while (reader.Read())
        {
            devices.Add(DeviceRow.Read(reader));
        }

        return devices;
    }

    private static string Where(InventoryQuery query, SqliteCommand command)
    {
        var clauses = new List<string>();
        var names = query.NamePatterns.Select(p => Glob(p).ToLowerInvariant());
        AddAnyOf(clauses, command, "lower(d.name) GLOB {0}", names);
        AddAnyOf(clauses, command, "d.address GLOB {0}", query.AddressPatterns.Select(Glob));
        AddAnyOf(clauses, command, "d.profile = {0}", query.Profiles.Select(p => p.ToString()));
        AddAnyOf(clauses, command, "d.state = {0}", query.States.Select(s => s.ToString()));
        AddAnyOf(clauses, command,
            "d.id IN (SELECT device_id FROM device_tag WHERE tag = {0})", query.Tags.Select(t => t.Trim()));
        return clauses.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", clauses);
    }

    private static void AddAnyOf(List<string> clauses, SqliteCommand command, string template,
        IEnumerable<string> values)
    {
        var alternatives = new List<string>();
        foreach (var value in values)
        {
            var name = "$q" + command.Parameters.Count;
            command.Parameters.AddWithValue(name, value);
            alternatives.Add(string.Format(CultureInfo.InvariantCulture, template, name));
        }

        if (alternatives.Count > 0)
        {
            clauses.Add("(" + string.Join(" OR ", alternatives) + ")");
        }
    }

    /// <summary>A PowerShell wildcard as a SQLite GLOB: the same *, ? and [..], backtick escapes bracketed.</summary>
    internal static string Glob(string pattern)
    {
        var glob = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '`' && i + 1 < pattern.Length)
            {
                i++;
                glob.Append(pattern[i] is '*' or '?' or '[' or ']' ? $"[{pattern[i]}]" : pattern[i].ToString());
                continue;
            }

            glob.Append(pattern[i]);
        }

        return glob.ToString();
    }

    private static IEnumerable<List<DeviceUpdate>> Batches(IEnumerable<DeviceUpdate> updates, int size)
    {
        var batch = new List<DeviceUpdate>(size);
        foreach (var update in updates)
        {
            batch.Add(update);
            if (batch.Count == size)
            {
                yield return batch;
                batch = new List<DeviceUpdate>(size);
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

    internal static object Db(string? value) => value is null ? DBNull.Value : value;
}
