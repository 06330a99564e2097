using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTAdmin.Engine.Inventory.Store;

/// <summary>
/// The fields an Add or Set brings for one address. Null means "not given": the known value stays.
/// An empty string clears a text field in a Set; Add treats empty as not given, because empty CSV cells
/// and discovery's unknowns must not wipe what the inventory knows.
/// </summary>
public sealed class DeviceUpdate
{
    public DeviceUpdate(string address)
    {
        Address = address;
    }

    public string Address { get; }

    public string? Name { get; set; }

    public string? Vendor { get; set; }

    public string? Model { get; set; }

    public string? FirmwareVersion { get; set; }

    public DeviceProfile? Profile { get; set; }

    public string? Owner { get; set; }

    public string? Location { get; set; }

    /// <summary>Tags to add (Add) or the whole new set (Set).</summary>
    public TagSet? Tags { get; set; }

    public string? CredentialReference { get; set; }

    /// <summary>The names and new values of the fields given, for the history record.</summary>
    public IEnumerable<KeyValuePair<string, string?>> GivenFields()
    {
        var fields = new[]
        {
            Pair("Name", Name), Pair("Vendor", Vendor), Pair("Model", Model),
            Pair("FirmwareVersion", FirmwareVersion), Pair("Profile", Profile?.ToString()), Pair("Owner", Owner),
            Pair("Location", Location), Pair("Tags", Tags?.ToString()),
            Pair("CredentialReference", CredentialReference),
        };
        return fields.Where(f => f.Value is not null);
    }

    private static KeyValuePair<string, string?> Pair(string name, string? value) =>
        new KeyValuePair<string, string?>(name, value);
}
