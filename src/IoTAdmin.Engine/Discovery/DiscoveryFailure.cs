using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Discovery;

/// <summary>A protocol that could not finish; the other protocols' results are still reported.</summary>
public sealed class DiscoveryFailure
{
    public DiscoveryFailure(DiscoveryProtocol protocol, string message)
    {
        Protocol = protocol;
        Message = message;
    }

    public DiscoveryProtocol Protocol { get; }

    public string Message { get; }

    public override string ToString() => $"{Protocol}: {Message}";
}
