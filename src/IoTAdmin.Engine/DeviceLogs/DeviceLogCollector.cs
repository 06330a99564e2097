using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Engine.DeviceLogs;

/// <summary>
/// Fetches a device's logs over an open <see cref="DeviceShell"/> with one POSIX/BusyBox shell command: the
/// tail of 'logread' where it exists (OpenWrt, BusyBox syslogd with a ring buffer) and of each readable file
/// among /var/log/messages, auth.log, secure, syslog and /var/log/*.log, plus any the caller names. Each
/// source is announced by a marker line, so the parser knows which file a line came from.
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="MaxLinesPerSource"/> lines per source, and the shell's own output bound
/// (1 MB). Rotated and compressed files (messages.1, *.gz) are not read.
/// </remarks>
public sealed class DeviceLogCollector
{
    public const string Marker = "@@iotadmin-log-source ";
    private static readonly string[] s_defaultFiles =
        { "/var/log/messages", "/var/log/auth.log", "/var/log/secure", "/var/log/syslog", "/var/log/*.log" };

    public int MaxLinesPerSource { get; set; } = 500;

    public List<string> ExtraFiles { get; } = new List<string>();

    /// <summary>Gets whether the last collection was cut off by its deadline (what arrived is kept).</summary>
    public bool LastRunTimedOut { get; private set; }

    /// <summary>The command sent to the device; file names are single-quoted, globs left for the shell.</summary>
    public string BuildCommand()
    {
        var lines = MaxLinesPerSource.ToString(CultureInfo.InvariantCulture);
        var files = string.Join(" ", s_defaultFiles.Concat(ExtraFiles).Select(Quote));
        var script = new StringBuilder();
        script.Append("if command -v logread >/dev/null 2>&1; then echo '").Append(Marker).Append("logread'; ");
        script.Append("logread 2>/dev/null | tail -n ").Append(lines).Append("; fi; seen=' '; ");
        script.Append("for f in ").Append(files).Append("; do case \"$seen\" in *\" $f \"*) continue;; esac; ");
        script.Append("seen=\"$seen$f \"; [ -f \"$f\" ] && [ -r \"$f\" ] || continue; ");
        script.Append("echo \"").Append(Marker).Append("$f\"; tail -n ").Append(lines).Append(" \"$f\"; done");
        return script.ToString();
    }

    /// <summary>Runs the command and parses what came back.</summary>
    public async Task<IReadOnlyList<DeviceLogEvent>> CollectAsync(DeviceShell shell, string device,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await shell.RunAsync(BuildCommand(), timeout, cancellationToken).ConfigureAwait(false);
        LastRunTimedOut = result.TimedOut;
        return Parse(device, result.StandardOutput, new DeviceLogParser()).ToList();
    }

    /// <summary>Splits the output at the source markers and parses each line.</summary>
    public static IEnumerable<DeviceLogEvent> Parse(string device, string output, DeviceLogParser parser)
    {
        var source = string.Empty;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith(Marker, StringComparison.Ordinal))
            {
                source = line.Substring(Marker.Length);
                continue;
            }

            if (line.Length > 0 && source.Length > 0)
            {
                yield return parser.Parse(device, source, line);
            }
        }
    }

    private static string Quote(string path)
    {
        // Globs must reach the shell unquoted; anything else is quoted so a space or quote stays a file name.
        if (path.IndexOf('*') >= 0 && path.All(c => char.IsLetterOrDigit(c) || "/._-*".IndexOf(c) >= 0))
        {
            return path;
        }

        return "'" + path.Replace("'", "'\\''") + "'";
    }
}
