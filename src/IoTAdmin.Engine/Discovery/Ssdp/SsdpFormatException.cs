using System;

namespace IoTAdmin.Engine.Discovery.Ssdp;

/// <summary>Thrown when a datagram is not an SSDP response or notification.</summary>
public sealed class SsdpFormatException : Exception
{
    public SsdpFormatException(string message)
        : base(message)
    {
    }
}
