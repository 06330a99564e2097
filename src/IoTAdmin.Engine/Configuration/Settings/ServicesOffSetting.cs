using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Configuration.Settings;

/// <summary>
/// ServicesOff: each named service neither enabled at boot nor running. The state is read from the
/// device's init system (SysV /etc/init.d/S??name, systemd units, inetd.conf); switching a service
/// off is the Disable-IoTService engine's job (issue 5), which also proves the port closed.
/// </summary>
internal sealed class ServicesOffSetting : IConfigurationSetting
{
    public string Name => "ServicesOff";

    public bool IsManaged(DesiredConfiguration desired) => desired.ServicesOff is { Count: > 0 };

    public async Task<SettingObservation> ObserveAsync(SettingContext context, CancellationToken cancellationToken)
    {
        var services = context.Desired.ServicesOff!;
        var active = new List<string>();
        var states = new List<string>();
        foreach (var service in services)
        {
            var text = await context.RunCheckedAsync(StatusCommand(service), $"reading the state of {service}",
                cancellationToken).ConfigureAwait(false);
            var enabled = text.Contains("enabled=1");
            var running = text.Contains("running=1");
            states.Add($"{service}: {(enabled ? "enabled" : "disabled")}, {(running ? "running" : "stopped")}");
            if (enabled || running)
            {
                active.Add(service);
            }
        }

        var seen = new SettingObservation(
            $"off: {ShellText.List(services)}", string.Join("; ", states), active.Count == 0);
        seen.Plan.AddRange(active.Select(service => new PlannedOperation(
            Name,
            $"Disable service {service}",
            $"{context.Access.EngineName("DisableService")} -Name {service} (stop, keep off across reboot)",
            (c, ct) => c.Access.DisableServiceAsync(c.Target, service, ct))));
        return seen;
    }

    /// <summary>Prints "enabled=0|1 running=0|1" for one service, whatever the init system.</summary>
    internal static string StatusCommand(string service)
    {
        var n = ShellText.Quote(service);
        return "e=0; r=0; "
            + $"for s in /etc/init.d/S??{service} /etc/init.d/{service}; do "
            + "if [ -f \"$s\" ] && [ -x \"$s\" ]; then "
            + "case \"$s\" in */S??*) e=1;; esac; \"$s\" status >/dev/null 2>&1 && r=1; fi; done; "
            + "if command -v systemctl >/dev/null 2>&1; then "
            + $"systemctl is-enabled --quiet {n} 2>/dev/null && e=1; systemctl is-active --quiet {n} 2>/dev/null && r=1; fi; "
            + $"grep -qsE '^[^#]*[[:space:]/]{service}([[:space:]]|$)' /etc/inetd.conf && e=1; "
            + $"pidof {n} >/dev/null 2>&1 && r=1; "
            + "echo \"enabled=$e running=$r\"";
    }
}
