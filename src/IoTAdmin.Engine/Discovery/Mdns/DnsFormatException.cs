using System;

namespace IoTAdmin.Engine.Discovery.Mdns;

/// <summary>Thrown when bytes are not a well-formed DNS message.</summary>
public sealed class DnsFormatException : Exception
{
    public DnsFormatException(string message)
        : base(message)
    {
    }
}
