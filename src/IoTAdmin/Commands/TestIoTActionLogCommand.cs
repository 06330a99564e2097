using System;
using System.IO;
using System.Management.Automation;
using IoTAdmin.Engine.ActionLog;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Test-IoTActionLog: verifies the action log's MACs, sequence, hash chain and anchor and reports each
/// problem with its line, entry and kind (edited, inserted, deleted, reordered, truncated...).
/// </summary>
[ImplementsMeasures("SYS.4.4.M18")]
[Cmdlet(VerbsDiagnostic.Test, "IoTActionLog")]
[OutputType(typeof(ActionLogVerification), typeof(bool))]
public sealed class TestIoTActionLogCommand : IoTCmdletBase
{
    /// <summary>Gets or sets the log file; IOTADMIN_ACTION_LOG or the user's default log when not given.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "LogPath")]
    public string? Path { get; set; }

    /// <summary>Gets or sets the key file; IOTADMIN_ACTION_LOG_KEY or the user's default key when not given.</summary>
    [Parameter]
    public string? KeyPath { get; set; }

    /// <summary>Gets or sets the anchor file; IOTADMIN_ACTION_LOG_ANCHOR or beside the key when not given.</summary>
    [Parameter]
    public string? AnchorPath { get; set; }

    /// <summary>Gets or sets whether only $true (intact) or $false is returned.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var options = new ActionLogOptions(Resolve(Path), Resolve(KeyPath), Resolve(AnchorPath));
        ActionLogVerification result;
        try
        {
            result = new ActionLogVerifier(options).Verify();
        }
        catch (Exception ex) when (ex is ActionLogException || ex is IOException || ex is UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(ex, "ActionLogUnverifiable", ErrorCategory.ReadError, options.LogPath));
            return;
        }

        foreach (var problem in result.Problems)
        {
            WriteVerbose($"{options.LogPath}: {problem}");
        }

        WriteObject(Quiet ? result.IsIntact : result);
    }

    private string? Resolve(string? path) =>
        string.IsNullOrEmpty(path) ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
}
