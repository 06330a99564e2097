using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>The ports a rule checks: the protocol's standard ports and every discovered one.</summary>
internal static class ServicePorts
{
    /// <summary>Standard ports first, then TCP services whose name is one of <paramref name="names"/>.</summary>
    public static IReadOnlyList<int> For(IoTDevice device, IReadOnlyList<int> standardPorts, params string[] names)
    {
        var discovered = device.Services
            .Where(s => s.Transport == ServiceTransport.Tcp)
            .Where(s => names.Any(n => string.Equals(n, s.Name, StringComparison.OrdinalIgnoreCase)))
            .Select(s => s.Port);
        return standardPorts.Concat(discovered).Distinct().ToList();
    }

    /// <summary>The subset of <paramref name="ports"/> that accept a TCP connection, probed in parallel.</summary>
    public static async Task<IReadOnlyList<int>> OpenAsync(
        IoTDevice device,
        IReadOnlyList<int> ports,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var probes = ports.Select(port =>
            TcpPortProbe.ProbeAsync(device.Address, port, context.Options.ProbeTimeout, cancellationToken));
        var states = await Task.WhenAll(probes).ConfigureAwait(false);
        return ports.Where((_, index) => states[index] == PortState.Open).ToList();
    }
}
