using System;

namespace IoTAdmin.Engine.Inventory.Store;

/// <summary>The base of every inventory failure; its message names the file and what to do.</summary>
public class InventoryException : Exception
{
    public InventoryException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>The inventory path names a folder: a file inside it was probably meant.</summary>
public sealed class InventoryPathIsFolderException : InventoryException
{
    public InventoryPathIsFolderException(string path)
        : base($"The inventory path '{path}' is a folder; name a file, such as "
            + $"'{System.IO.Path.Combine(path, "inventory.db")}'.")
    {
    }
}

/// <summary>The file is not a SQLite database or is damaged. It is never changed or replaced.</summary>
public sealed class InventoryCorruptException : InventoryException
{
    public InventoryCorruptException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>Other writers held the database longer than the busy timeout, through every retry.</summary>
public sealed class InventoryBusyException : InventoryException
{
    public InventoryBusyException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>The file was written by a newer IoTAdmin whose schema this version does not know.</summary>
public sealed class InventorySchemaException : InventoryException
{
    public InventorySchemaException(string message)
        : base(message)
    {
    }
}

/// <summary>No active inventory entry has the address.</summary>
public sealed class DeviceNotFoundException : InventoryException
{
    public DeviceNotFoundException(string address, string inventoryPath)
        : base($"The inventory '{inventoryPath}' has no device with the address '{address}' (decommissioned "
            + "entries are records only).")
    {
        Address = address;
    }

    public string Address { get; }
}

/// <summary>A lifecycle change that the device's state does not allow.</summary>
public sealed class LifecycleTransitionException : InventoryException
{
    public LifecycleTransitionException(string message)
        : base(message)
    {
    }
}
