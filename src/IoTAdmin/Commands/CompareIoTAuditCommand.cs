using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.History;

namespace IoTAdmin.Commands;

/// <summary>
/// Compare-IoTAudit: what got better or worse between two audit runs, per device and rule. The
/// earlier run is a file saved with Test-IoTBaseline -SavePath; the later one another file or the
/// results piped in.
/// </summary>
[ImplementsMeasures("SYS.4.4.M23")]
[Cmdlet(VerbsData.Compare, "IoTAudit", DefaultParameterSetName = PathSet)]
[OutputType(typeof(AuditChange))]
[OutputType(typeof(bool))]
public sealed class CompareIoTAuditCommand : IoTCmdletBase
{
    private const string PathSet = "Path";
    private const string ObjectSet = "Object";
    private readonly List<RuleResult> _piped = new List<RuleResult>();

    /// <summary>Gets or sets the earlier run, saved with Test-IoTBaseline -SavePath.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string ReferencePath { get; set; } = string.Empty;

    /// <summary>Gets or sets the later run, saved with Test-IoTBaseline -SavePath.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string DifferencePath { get; set; } = string.Empty;

    /// <summary>Gets or sets the later run's results, usually piped from Test-IoTBaseline.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public RuleResult[] DifferenceObject { get; set; } = Array.Empty<RuleResult>();

    /// <summary>Gets or sets whether pairs that did not change are written too.</summary>
    [Parameter]
    public SwitchParameter IncludeUnchanged { get; set; }

    /// <summary>
    /// Gets or sets the severity at or above which a new finding (a failure that was not one
    /// before) makes the command write the error NewFindings (with -Quiet, return $false).
    /// </summary>
    [Parameter]
    public Severity? FailOn { get; set; }

    /// <summary>Gets or sets whether only $true (no new finding at or above -FailOn) or $false is written.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ObjectSet)
        {
            _piped.AddRange(DifferenceObject.Where(r => r is not null));
        }
    }

    protected override void EndProcessing()
    {
        var before = Load(ReferencePath);
        var after = ParameterSetName == PathSet ? Load(DifferencePath).Results : _piped;
        var changes = AuditComparer.Compare(before.Results, after);
        var threshold = FailOn ?? Severity.Info;
        var newFindings = changes.Where(c => c.IsNewFinding && c.Severity >= threshold).ToList();
        if (Quiet)
        {
            WriteObject(newFindings.Count == 0);
        }
        else
        {
            WriteObject(changes.Where(c => IncludeUnchanged || c.Change != AuditChangeKind.Unchanged), true);
        }

        if (FailOn is not null && newFindings.Count > 0 && !Quiet)
        {
            var list = string.Join(", ", newFindings.Take(10).Select(c => $"{c.DeviceAddress} {c.RuleId}"));
            var error = new InvalidOperationException(
                $"{newFindings.Count} new finding(s) at or above {threshold}: {list}.");
            WriteError(new ErrorRecord(error, "NewFindings", ErrorCategory.InvalidResult, threshold));
        }

        base.EndProcessing();
    }

    private AuditRun Load(string path)
    {
        var full = GetUnresolvedProviderPathFromPSPath(path);
        try
        {
            return AuditRunStore.Load(full);
        }
        catch (FileNotFoundException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "AuditRunNotFound", ErrorCategory.ObjectNotFound, path));
        }
        catch (Exception ex) when (ex is InvalidDataException || ex is IOException || ex is UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "AuditRunInvalid", ErrorCategory.InvalidData, path));
        }

        throw new InvalidOperationException("unreachable");
    }
}
