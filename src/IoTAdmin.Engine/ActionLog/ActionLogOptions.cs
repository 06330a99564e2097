using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>
/// Where an action log, its key and its anchor live. The key and the anchor are kept apart from the
/// log's folder, so whoever may write the log's folder (a log shipper, a backup job) cannot forge
/// entries or roll the head back.
/// </summary>
/// <remarks>
/// Defaults, each overridden by its environment variable: the log in IOTADMIN_ACTION_LOG, else
/// (user data folder)/IoTAdmin/actions/actions.jsonl; the key in IOTADMIN_ACTION_LOG_KEY, else
/// (user data folder)/IoTAdmin/keys/action-log.key; the anchor in IOTADMIN_ACTION_LOG_ANCHOR, else
/// beside the key, named after a hash of the log's full path.
/// </remarks>
public sealed class ActionLogOptions
{
    public const string LogVariable = "IOTADMIN_ACTION_LOG";
    public const string KeyVariable = "IOTADMIN_ACTION_LOG_KEY";
    public const string AnchorVariable = "IOTADMIN_ACTION_LOG_ANCHOR";
    public const string SyslogVariable = "IOTADMIN_ACTION_LOG_SYSLOG";

    public ActionLogOptions(string? logPath = null, string? keyPath = null, string? anchorPath = null)
    {
        LogPath = Path.GetFullPath(Pick(logPath, LogVariable, Path.Combine(DataFolder, "actions", "actions.jsonl")));
        KeyPath = Path.GetFullPath(Pick(keyPath, KeyVariable, Path.Combine(DataFolder, "keys", "action-log.key")));
        var defaultAnchor = Path.Combine(Path.GetDirectoryName(KeyPath)!, $"action-log-{PathTag(LogPath)}.head");
        AnchorPath = Path.GetFullPath(Pick(anchorPath, AnchorVariable, defaultAnchor));
    }

    public string LogPath { get; }

    public string KeyPath { get; }

    public string AnchorPath { get; }

    /// <summary>Gets or sets how long an append waits for other writers' lock before it gives up.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets where each new entry is forwarded to as well; null forwards nothing.</summary>
    public SyslogTarget? Syslog { get; set; }

    /// <summary>Gets the user data folder IoTAdmin keeps its files in.</summary>
    public static string DataFolder => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData,
            Environment.SpecialFolderOption.DoNotVerify),
        "IoTAdmin");

    /// <summary>Reads the syslog target from IOTADMIN_ACTION_LOG_SYSLOG (udp://, tcp:// or tls://host:port).</summary>
    public static SyslogTarget? SyslogFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(SyslogVariable);
        return string.IsNullOrWhiteSpace(value) ? null : SyslogTarget.Parse(value!);
    }

    private static string Pick(string? given, string variable, string fallback)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given!;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? fallback : fromEnvironment!;
    }

    private static string PathTag(string fullPath)
    {
        using var sha = SHA256.Create();
        var digest = sha.ComputeHash(Encoding.UTF8.GetBytes(fullPath));
        return Hex.Encode(digest).Substring(0, 16);
    }
}
