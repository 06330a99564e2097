using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>
/// The SSH servers of a device: the hello (identification and KEXINIT) of each SSH port that answers.
/// </summary>
internal static class SshHellos
{
    /// <summary>The ports SYS.4.4.M5 calls standard for SSH.</summary>
    public static readonly int[] StandardPorts = { 22, 1022, 2222 };

    /// <summary>Standard and discovered SSH ports whose service sent an SSH identification, with the hello.</summary>
    public static async Task<IReadOnlyList<(int Port, SshServerHello Hello)>> ReadAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var ports = ServicePorts.For(device, StandardPorts, "ssh");
        var open = await ServicePorts.OpenAsync(device, ports, context, cancellationToken).ConfigureAwait(false);
        var hellos = await Task.WhenAll(open.Select(port =>
                SshProbe.ReadServerHelloAsync(device.Address, port, context.Options.ProbeTimeout, cancellationToken)))
            .ConfigureAwait(false);
        return open.Select((port, index) => (port, hellos[index]))
            .Where(pair => pair.Item2.Identification is not null)
            .ToList();
    }

    public static string Checked(IoTDevice device) =>
        $"no SSH server on {device.Address} (checked TCP "
        + $"{string.Join(", ", ServicePorts.For(device, StandardPorts, "ssh"))})";
}
