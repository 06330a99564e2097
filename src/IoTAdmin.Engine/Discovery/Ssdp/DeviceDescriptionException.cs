using System;

namespace IoTAdmin.Engine.Discovery.Ssdp;

/// <summary>Thrown when a device description cannot be read at all.</summary>
public sealed class DeviceDescriptionException : Exception
{
    public DeviceDescriptionException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
