using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Configuration.Settings;

/// <summary>
/// A setting kept as lines of one configuration file (NTP servers, remote syslog targets): read
/// the file, compare the managed lines with the wanted ones, rewrite only those lines (keeping every
/// other line and a backup) and restart the daemon when the device has an init script for it.
/// </summary>
/// <remarks>
/// Devices that keep these settings elsewhere (a vendor database, UCI on OpenWrt) read as having
/// no targets; their fix needs a provider of its own.
/// </remarks>
internal abstract class TargetFileSetting : IConfigurationSetting
{
    public abstract string Name { get; }

    protected abstract string ConfigPath { get; }

    protected abstract string Daemon { get; }

    public abstract bool IsManaged(DesiredConfiguration desired);

    protected abstract IReadOnlyList<string> Wanted(DesiredConfiguration desired);

    /// <summary>The target a line names, or null when the line is not a managed one.</summary>
    protected abstract string? TargetOf(string line);

    protected abstract string LineFor(string target);

    public async Task<SettingObservation> ObserveAsync(SettingContext context, CancellationToken cancellationToken)
    {
        var text = await context.RunCheckedAsync(ShellText.ReadFile(ConfigPath), $"reading {ConfigPath}",
            cancellationToken).ConfigureAwait(false);
        var lines = ShellText.Lines(text);
        var actual = lines.Select(TargetOf).Where(t => t is not null).Select(t => t!).ToList();
        var wanted = Wanted(context.Desired);
        var same = actual.Count == wanted.Count
            && actual.OrderBy(t => t, StringComparer.OrdinalIgnoreCase)
                .SequenceEqual(wanted.OrderBy(t => t, StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        var seen = new SettingObservation(ShellText.List(wanted), ShellText.List(actual), same);
        if (same)
        {
            return seen;
        }

        var content = ShellText.JoinLines(lines.Where(l => TargetOf(l) is null && l.Length > 0)
            .Concat(wanted.Select(LineFor)));
        seen.Plan.Add(new PlannedOperation(
            Name,
            $"Set {Name} targets to {ShellText.List(wanted)}",
            $"write {ConfigPath} (backup {ConfigPath}.iotadmin-bak): "
                + $"{string.Join(" | ", wanted.Select(LineFor))}; {ShellText.RestartService(Daemon)}",
            (c, ct) => WriteAndRestartAsync(c, content, ct)));
        return seen;
    }

    private async Task WriteAndRestartAsync(SettingContext context, string content, CancellationToken cancellationToken)
    {
        await context.RunCheckedAsync(ShellText.ReplaceFile(ConfigPath), $"writing {ConfigPath}",
            cancellationToken, content).ConfigureAwait(false);
        await context.RunCheckedAsync(ShellText.RestartService(Daemon), $"restarting {Daemon}", cancellationToken)
            .ConfigureAwait(false);
    }
}

/// <summary>Ntp: the server lines of /etc/ntp.conf (ntpd, BusyBox ntpd and chrony's ntp.conf reader).</summary>
internal sealed class NtpSetting : TargetFileSetting
{
    public override string Name => "Ntp";

    protected override string ConfigPath => "/etc/ntp.conf";

    protected override string Daemon => "ntpd";

    public override bool IsManaged(DesiredConfiguration desired) => desired.Ntp is not null;

    protected override IReadOnlyList<string> Wanted(DesiredConfiguration desired) => desired.Ntp!;

    protected override string? TargetOf(string line)
    {
        var words = ShellText.Words(line);
        return words.Length >= 2 && (words[0] == "server" || words[0] == "pool") ? words[1] : null;
    }

    protected override string LineFor(string target) => $"server {target} iburst";
}

/// <summary>Syslog: remote targets "*.* @host[:port]" in /etc/syslog.conf (sysklogd, rsyslog legacy syntax).</summary>
internal sealed class SyslogSetting : TargetFileSetting
{
    public override string Name => "Syslog";

    protected override string ConfigPath => "/etc/syslog.conf";

    protected override string Daemon => "syslogd";

    public override bool IsManaged(DesiredConfiguration desired) => desired.Syslog is not null;

    protected override IReadOnlyList<string> Wanted(DesiredConfiguration desired) => desired.Syslog!;

    protected override string? TargetOf(string line)
    {
        var words = ShellText.Words(line);
        return words.Length >= 2 && words[1].StartsWith("@", StringComparison.Ordinal)
            ? words[1].TrimStart('@')
            : null;
    }

    protected override string LineFor(string target) => $"*.* @{target}";
}
