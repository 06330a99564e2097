using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTAdmin.Engine.Configuration.Settings;

/// <summary>Builds POSIX sh commands that work on BusyBox ash as well as dash and bash.</summary>
internal static class ShellText
{
    /// <summary>Largest configuration file read from a device; device configs are a few kilobytes.</summary>
    public const int MaxFileBytes = 65536;

    /// <summary>One argument in single quotes, safe for any text.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";

    /// <summary>Prints a file, bounded; prints nothing (and succeeds) when the file does not exist.</summary>
    public static string ReadFile(string path) =>
        $"if [ -f {Quote(path)} ]; then head -c {MaxFileBytes} {Quote(path)}; fi";

    /// <summary>
    /// Replaces a file atomically (write beside it, then rename) after keeping one backup copy, so an
    /// interrupted write never leaves a truncated configuration behind. The content comes on standard
    /// input, so no secret in it appears on a command line.
    /// </summary>
    public static string ReplaceFile(string path) => Replace(path, ownerOnly: false);

    /// <summary>
    /// Like <see cref="ReplaceFile"/> for a file that holds secrets (SNMPv3 passphrases): the new file
    /// and its backup are readable by root only, whatever the umask or the old file's mode was.
    /// </summary>
    public static string ReplaceSecretFile(string path) => Replace(path, ownerOnly: true);

    private static string Replace(string path, bool ownerOnly)
    {
        var p = Quote(path);
        var folder = Quote(System.IO.Path.GetDirectoryName(path)!.Replace('\\', '/'));
        var umask = ownerOnly ? "umask 077 && " : string.Empty;
        var protect = ownerOnly ? $" && chmod 600 {p}.iotadmin-bak" : string.Empty;
        var protectNew = ownerOnly ? $" && chmod 600 {p}.iotadmin-new" : string.Empty;
        return $"{umask}mkdir -p {folder} && {{ [ ! -f {p} ] || {{ cp -p {p} {p}.iotadmin-bak{protect}; }}; }} && "
            + $"cat > {p}.iotadmin-new{protectNew} && mv -f {p}.iotadmin-new {p}";
    }

    /// <summary>Restarts a service through whichever init system the device has; no init script is no error.</summary>
    public static string RestartService(string name)
    {
        var n = Quote(name);
        return $"for s in /etc/init.d/S??{name} /etc/init.d/{name}; do "
            + "if [ -f \"$s\" ] && [ -x \"$s\" ]; then \"$s\" restart; exit $?; fi; done; "
            + $"if command -v systemctl >/dev/null 2>&1 && systemctl is-enabled --quiet {n} 2>/dev/null; then "
            + $"systemctl restart {n}; exit $?; fi; exit 0";
    }

    /// <summary>Lines of text without blank ones and without trailing carriage returns.</summary>
    public static IReadOnlyList<string> Lines(string text) =>
        text.Replace("\r", string.Empty).Split('\n').ToList();

    /// <summary>The first word of a configuration line, or null for blank and comment lines.</summary>
    public static string[] Words(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length == 0 || trimmed[0] == '#'
            ? Array.Empty<string>()
            : trimmed.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
    }

    public static string JoinLines(IEnumerable<string> lines) => string.Join("\n", lines).TrimEnd('\n') + "\n";

    public static string List(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }
}
