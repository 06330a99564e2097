using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Configuration.Settings;

/// <summary>
/// AllowedPorts: no TCP port open from outside beyond the listed ones, checked with issue 5's
/// scanner over its top IoT ports (the external port scan SYS.4.4 M13 asks for). There is no
/// direct remedy: a port closes when its service goes into ServicesOff, which a Set run applies first.
/// </summary>
internal sealed class AllowedPortsSetting : IConfigurationSetting
{
    public string Name => "AllowedPorts";

    public bool IsManaged(DesiredConfiguration desired) => desired.AllowedPorts is not null;

    public async Task<SettingObservation> ObserveAsync(SettingContext context, CancellationToken cancellationToken)
    {
        var allowed = context.Desired.AllowedPorts!;
        var open = (await context.OpenPortsAsync(cancellationToken).ConfigureAwait(false))
            .Select(s => s.Port).Distinct().OrderBy(p => p).ToList();
        var extra = open.Where(p => !allowed.Contains(p)).ToList();
        var seen = new SettingObservation(
            $"at most tcp {ShellText.List(allowed.Select(p => p.ToString()))}",
            $"open tcp {ShellText.List(open.Select(p => p.ToString()))}",
            extra.Count == 0);
        if (!seen.InDesiredState)
        {
            seen.NotRemediable = $"Port(s) {string.Join(", ", extra)} open but not allowed: put the service behind "
                + "each into ServicesOff, or allow the port.";
        }

        return seen;
    }
}
