using System;
using System.Management.Automation;
using System.Net;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Inventory.Store;

namespace IoTAdmin.Commands;

/// <summary>
/// What the inventory cmdlets share: opening the store named by -InventoryPath (else
/// $env:IOTADMIN_INVENTORY, else the user's data folder), and one error id per kind of failure.
/// </summary>
internal static class InventoryCmdlets
{
    /// <summary>
    /// Opens the inventory or stops the command with InventoryCorrupt, InventoryBusy, ... Under -WhatIf it is
    /// opened read-only, so a preview creates no folder or file and migrates no schema.
    /// </summary>
    public static InventoryStore Open(IoTCmdletBase cmdlet, string? inventoryPath)
    {
        var path = ResolvePath(cmdlet, inventoryPath);
        var preview = IsWhatIf(cmdlet);
        cmdlet.WriteVerbose(preview ? $"Inventory (read-only for -WhatIf): {path}" : $"Inventory: {path}");
        try
        {
            return preview ? InventoryStore.OpenReadOnly(path) : InventoryStore.Open(path);
        }
        catch (Exception ex) when (ex is InventoryException || ex is UnauthorizedAccessException
            || ex is System.IO.IOException)
        {
            cmdlet.ThrowTerminatingError(ToErrorRecord(ex, path));
            throw;
        }
    }

    /// <summary>Whether the command runs under -WhatIf, given to it or inherited through $WhatIfPreference.</summary>
    public static bool IsWhatIf(PSCmdlet cmdlet)
    {
        if (cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out var given))
        {
            return LanguagePrimitives.IsTrue(given);
        }

        return LanguagePrimitives.IsTrue(cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference"));
    }

    public static ErrorRecord DeviceNotFound(string address, string inventoryPath) =>
        ToErrorRecord(new DeviceNotFoundException(address, inventoryPath), address);

    /// <summary>
    /// The active entry for a change cmdlet, looked up before ShouldProcess so -WhatIf reports a missing one
    /// as the change itself would. A real run records the refused change in the action log; a preview
    /// records nothing. A store failure stops the command.
    /// </summary>
    public static InventoryDevice? FindForChange(IoTCmdletBase cmdlet, InventoryStore store, string address)
    {
        InventoryDevice? device;
        try
        {
            device = store.FindActive(address);
        }
        catch (InventoryException ex)
        {
            cmdlet.ThrowTerminatingError(ToErrorRecord(ex, store.Path));
            return null;
        }

        if (device is null && IsWhatIf(cmdlet))
        {
            cmdlet.WriteError(DeviceNotFound(address, store.Path));
        }
        else if (device is null)
        {
            cmdlet.RecordChange(address, () => cmdlet.WriteError(DeviceNotFound(address, store.Path)));
        }

        return device;
    }

    /// <summary>The file -InventoryPath names, else $env:IOTADMIN_INVENTORY, else the user's data folder's.</summary>
    public static string ResolvePath(PSCmdlet cmdlet, string? inventoryPath) =>
        string.IsNullOrWhiteSpace(inventoryPath)
            ? InventoryStore.DefaultPath
            : cmdlet.GetUnresolvedProviderPathFromPSPath(inventoryPath);

    /// <summary>An inventory failure as an error record with a stable id.</summary>
    public static ErrorRecord ToErrorRecord(Exception ex, object? target)
    {
        var (id, category) = ex switch
        {
            InventoryCorruptException => ("InventoryCorrupt", ErrorCategory.InvalidData),
            InventoryPathIsFolderException => ("InventoryPathIsFolder", ErrorCategory.InvalidArgument),
            InventoryBusyException => ("InventoryBusy", ErrorCategory.ResourceBusy),
            InventorySchemaException => ("InventorySchemaTooNew", ErrorCategory.InvalidData),
            DeviceNotFoundException => ("DeviceNotFound", ErrorCategory.ObjectNotFound),
            LifecycleTransitionException => ("InvalidLifecycleTransition", ErrorCategory.InvalidOperation),
            UnauthorizedAccessException => ("InventoryAccessDenied", ErrorCategory.PermissionDenied),
            _ => ("InventoryError", ErrorCategory.WriteError),
        };
        return new ErrorRecord(ex, id, category, target);
    }

    /// <summary>Whether the failure concerns the whole file rather than one device.</summary>
    public static bool IsFatal(Exception ex) =>
        ex is InventoryCorruptException || ex is InventoryBusyException || ex is InventorySchemaException
        || ex is InventoryPathIsFolderException;

    /// <summary>A literal IPv4 or IPv6 address in its canonical text, or null.</summary>
    public static string? NormalizeAddress(string? address)
    {
        var trimmed = address?.Trim() ?? string.Empty;
        return IPAddress.TryParse(trimmed, out var parsed) && trimmed.IndexOfAny(new[] { '.', ':' }) >= 0
            ? parsed.ToString()
            : null;
    }

    public static ErrorRecord InvalidAddress(string? address) =>
        new ErrorRecord(new ArgumentException($"'{address}' is not an IP address; the inventory keys devices by "
            + "address and does not resolve names."), "InvalidAddress", ErrorCategory.InvalidArgument, address);

    /// <summary>
    /// Reads a profile name; empty means "not given" (an empty CSV cell). Null with an error record when
    /// the name is unknown.
    /// </summary>
    public static bool TryParseProfile(string? text, out DeviceProfile? profile, out ErrorRecord? error)
    {
        profile = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (Enum.TryParse<DeviceProfile>(text!.Trim(), ignoreCase: true, out var parsed)
            && Enum.IsDefined(typeof(DeviceProfile), parsed))
        {
            profile = parsed;
            return true;
        }

        var names = string.Join(", ", Enum.GetNames(typeof(DeviceProfile)));
        error = new ErrorRecord(new ArgumentException($"'{text}' is not a device profile; use one of {names}."),
            "InvalidProfile", ErrorCategory.InvalidArgument, text);
        return false;
    }
}
