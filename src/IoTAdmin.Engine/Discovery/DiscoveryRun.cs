using System.Collections.Generic;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Discovery;

/// <summary>The result of one discovery run: merged devices and the protocols that failed.</summary>
public sealed class DiscoveryRun
{
    public DiscoveryRun(IReadOnlyList<IoTDevice> devices, IReadOnlyList<DiscoveryFailure> failures)
    {
        Devices = devices;
        Failures = failures;
    }

    public IReadOnlyList<IoTDevice> Devices { get; }

    public IReadOnlyList<DiscoveryFailure> Failures { get; }
}
