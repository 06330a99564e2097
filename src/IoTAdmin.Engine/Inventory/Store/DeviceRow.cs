using System;
using Microsoft.Data.Sqlite;

namespace IoTAdmin.Engine.Inventory.Store;

/// <summary>Turns a row of InventoryStore's device columns into an <see cref="InventoryDevice"/>.</summary>
internal static class DeviceRow
{
    public static InventoryDevice Read(SqliteDataReader reader)
    {
        return new InventoryDevice(reader.GetInt64(0), reader.GetString(1))
        {
            Name = Text(reader, 2),
            Vendor = Text(reader, 3),
            Model = Text(reader, 4),
            FirmwareVersion = Text(reader, 5),
            Profile = ParseEnum(reader.GetString(6), DeviceProfile.General),
            Owner = Text(reader, 7),
            Location = Text(reader, 8),
            CredentialReference = Text(reader, 9),
            State = ParseEnum(reader.GetString(10), LifecycleState.Planned),
            ApprovedBy = Text(reader, 11),
            ApprovedAt = Text(reader, 12) is { } at ? InventoryStore.ParseTimestamp(at) : null,
            ApprovalBaseline = Text(reader, 13),
            ApprovalNote = Text(reader, 14),
            CreatedAt = InventoryStore.ParseTimestamp(reader.GetString(15)),
            UpdatedAt = InventoryStore.ParseTimestamp(reader.GetString(16)),
            Tags = reader.IsDBNull(17) ? TagSet.Empty : TagSet.Parse(new[] { reader.GetString(17) }),
        };
    }

    private static string? Text(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static T ParseEnum<T>(string text, T fallback)
        where T : struct =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) ? value : fallback;
}
