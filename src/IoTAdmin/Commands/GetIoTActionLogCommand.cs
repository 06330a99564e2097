using System;
using System.IO;
using System.Management.Automation;
using IoTAdmin.Engine.ActionLog;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Get-IoTActionLog: reads the entries of the action log, filtered by time, device, action and actor.
/// It does not verify the log; Test-IoTActionLog does.
/// </summary>
[ImplementsMeasures("SYS.4.4.M18")]
[Cmdlet(VerbsCommon.Get, "IoTActionLog")]
[OutputType(typeof(ActionLogEntry))]
public sealed class GetIoTActionLogCommand : IoTCmdletBase
{
    /// <summary>Gets or sets the log file; IOTADMIN_ACTION_LOG or the user's default log when not given.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "LogPath")]
    public string? Path { get; set; }

    /// <summary>Gets or sets the earliest time of entries to return.</summary>
    [Parameter]
    public DateTime? After { get; set; }

    /// <summary>Gets or sets the latest time of entries to return.</summary>
    [Parameter]
    public DateTime? Before { get; set; }

    /// <summary>Gets or sets device addresses or names to match (wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Device { get; set; }

    /// <summary>Gets or sets action names to match (wildcards allowed), e.g. 'Set-*'.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Action { get; set; }

    /// <summary>Gets or sets actors to match (wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Actor { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var path = new ActionLogOptions(ResolvePath(Path)).LogPath;
        if (!File.Exists(path))
        {
            var error = new FileNotFoundException($"The action log '{path}' does not exist.", path);
            WriteError(new ErrorRecord(error, "ActionLogNotFound", ErrorCategory.ObjectNotFound, path));
            return;
        }

        var filter = new ActionLogFilter
        {
            After = After.HasValue ? new DateTimeOffset(After.Value.ToUniversalTime()) : null,
            Before = Before.HasValue ? new DateTimeOffset(Before.Value.ToUniversalTime()) : null,
            Device = Matcher(Device),
            Action = Matcher(Action),
            Actor = Matcher(Actor),
        };
        foreach (var entry in ActionLogReader.Read(path, filter, (line, reason) =>
            WriteWarning($"Line {line} of '{path}' is not an entry ({reason}); run Test-IoTActionLog.")))
        {
            WriteObject(entry);
        }
    }

    private string? ResolvePath(string? path) =>
        string.IsNullOrEmpty(path) ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    private static Func<string, bool>? Matcher(string[]? patterns)
    {
        if (patterns is null || patterns.Length == 0)
        {
            return null;
        }

        var wildcards = Array.ConvertAll(patterns, p => new WildcardPattern(p, WildcardOptions.IgnoreCase));
        return value => Array.Exists(wildcards, w => w.IsMatch(value));
    }
}
