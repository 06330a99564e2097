using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Discovery;

/// <summary>One way of finding devices: mDNS, SSDP or an SNMP sweep.</summary>
public interface IDiscoveryProtocol
{
    DiscoveryProtocol Protocol { get; }

    /// <summary>
    /// Finds devices until <see cref="DiscoveryOptions.Timeout"/> passes or the token is cancelled and
    /// returns what was seen. A malformed answer from one device never ends the run: it is logged
    /// and, where the device is known, recorded in <see cref="DiscoveryObservation.Error"/>.
    /// </summary>
    Task<IReadOnlyList<DiscoveryObservation>> DiscoverAsync(
        DiscoveryOptions options,
        IActivityLog log,
        CancellationToken cancellationToken);
}
