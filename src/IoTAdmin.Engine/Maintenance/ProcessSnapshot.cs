using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Firmware;

namespace IoTAdmin.Engine.Maintenance;

/// <summary>
/// The processes running on a device, each known by its boot, PID and start tick, so two snapshots tell
/// whether a restart really replaced every process: what a restart against memory-resident malware
/// (SYS.4.4.M16) is for. A real reboot gives a new boot id, a restart of init replaces every process; a
/// restart command that did nothing leaves them all.
/// </summary>
public sealed class ProcessSnapshot
{
    // The kernel's boot id (the boot time where a kernel has none: it moves when the clock is stepped),
    // then one /proc/PID/stat per line. A name may hold a line break, so each file is folded to one line.
    private const string Script =
        "echo \"boot $(cat /proc/sys/kernel/random/boot_id 2>/dev/null || awk '/^btime/ {print $2}' /proc/stat)\"; "
        + "for f in /proc/[0-9]*/stat; do { tr '\\n' ' ' < \"$f\"; } 2>/dev/null; echo; done";

    private readonly Dictionary<string, string> _processes;

    private ProcessSnapshot(Dictionary<string, string> processes)
    {
        _processes = processes;
    }

    /// <summary>How many user-space processes other than init were seen.</summary>
    public int Count => _processes.Count;

    /// <summary>Reads the device's processes; null when the device has no readable /proc.</summary>
    public static async Task<ProcessSnapshot?> ReadAsync(IDeviceSession session, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var result = await session.RunAsync(Script, timeout, cancellationToken).ConfigureAwait(false);
        return result.TimedOut ? null : Parse(result.Output);
    }

    /// <summary>Parses the script's output; null without a boot identity or any process.</summary>
    public static ProcessSnapshot? Parse(string output)
    {
        var lines = output.Split('\n');
        var boot = lines.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("boot ", StringComparison.Ordinal))
            ?.Substring(5).Trim();
        if (string.IsNullOrEmpty(boot) || boot!.Any(char.IsWhiteSpace))
        {
            return null;
        }

        var processes = new Dictionary<string, string>();
        foreach (var line in lines)
        {
            if (TryReadStat(line, out var pid, out var name, out var ppid, out var start) && IsUserProcess(pid, ppid))
            {
                processes[$"{pid}@{boot}+{start}"] = $"{pid} ({name})";
            }
        }

        return processes.Count == 0 ? null : new ProcessSnapshot(processes);
    }

    /// <summary>The processes of this snapshot still running in <paramref name="later"/>, as "PID (name)".</summary>
    public IReadOnlyList<string> Survivors(ProcessSnapshot later) =>
        _processes.Keys.Where(later._processes.ContainsKey).Select(k => _processes[k]).ToList();

    // Init survives a restart of itself by design, and kernel threads (children of kthreadd) are not
    // ours to judge; every other process must be new after a restart.
    private static bool IsUserProcess(long pid, long ppid) => pid > 2 && ppid != 2;

    /// <summary>Reads pid, name, ppid and start tick; the name sits in parentheses and may hold spaces.</summary>
    private static bool TryReadStat(string line, out long pid, out string name, out long ppid, out long start)
    {
        pid = ppid = start = 0;
        name = string.Empty;
        var open = line.IndexOf(" (", StringComparison.Ordinal);
        var close = line.LastIndexOf(") ", StringComparison.Ordinal);
        if (open <= 0 || close <= open)
        {
            return false;
        }

        name = line.Substring(open + 2, close - open - 2);
        var fields = line.Substring(close + 2).Split(' ');

        // After the name: state, ppid, ... and the start tick as the 20th field.
        return fields.Length > 19
            && long.TryParse(line.Substring(0, open), NumberStyles.None, CultureInfo.InvariantCulture, out pid)
            && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out ppid)
            && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out start);
    }
}
