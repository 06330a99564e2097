using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.DataFiles;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Commands;

/// <summary>
/// Get-IoTBaseline: lists the built-in SYS.4.4 baselines and baseline files, or (-ListRule) the
/// rules and checklist items of each with the measures they implement, per profile.
/// </summary>
[ImplementsMeasures("SYS.4.4.M6", "SYS.4.4.M7")]
[Cmdlet(VerbsCommon.Get, "IoTBaseline", DefaultParameterSetName = NameSet)]
[OutputType(typeof(ResolvedBaseline))]
[OutputType(typeof(BaselineRuleRow))]
public sealed class GetIoTBaselineCommand : IoTCmdletBase
{
    private const string NameSet = "Name";
    private const string PathSet = "Path";

    /// <summary>Gets or sets the names of built-in baselines (wildcards allowed); all by default.</summary>
    [Parameter(Position = 0, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = { "*" };

    /// <summary>Gets or sets paths of baseline files to read instead.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets whether the rules and checklist items are listed instead of the baselines.</summary>
    [Parameter]
    public SwitchParameter ListRule { get; set; }

    /// <summary>Gets or sets the profiles whose rules -ListRule shows; all by default.</summary>
    [Parameter]
    [ValidateNotNull]
    public DeviceProfile[] Profile { get; set; } = Array.Empty<DeviceProfile>();

    protected override void ProcessRecord()
    {
        var library = new BaselineLibrary();
        foreach (var nameOrPath in Targets())
        {
            var baseline = TryLoad(library, nameOrPath);
            if (baseline is not null)
            {
                Write(baseline);
            }
        }
    }

    private IEnumerable<string> Targets()
    {
        if (ParameterSetName == PathSet)
        {
            return Path.Select(GetUnresolvedProviderPathFromPSPath);
        }

        var targets = new List<string>();
        foreach (var pattern in Name)
        {
            var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
            var matches = BaselineLibrary.BuiltInNames.Where(n => wildcard.IsMatch(n)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                var error = new ArgumentException($"No built-in baseline is named '{pattern}'; "
                    + $"they are {string.Join(", ", BaselineLibrary.BuiltInNames)}. Use -Path for files.");
                WriteError(new ErrorRecord(error, "BaselineNotFound", ErrorCategory.ObjectNotFound, pattern));
            }

            targets.AddRange(matches.Where(m => !targets.Contains(m)));
        }

        return targets;
    }

    private ResolvedBaseline? TryLoad(BaselineLibrary library, string nameOrPath)
    {
        try
        {
            return library.Load(nameOrPath);
        }
        catch (DataFileException ex)
        {
            WriteError(new ErrorRecord(ex, "BaselineInvalid", ErrorCategory.InvalidData, nameOrPath));
        }
        catch (ArgumentException ex)
        {
            WriteError(new ErrorRecord(ex, "BaselineNotFound", ErrorCategory.ObjectNotFound, nameOrPath));
        }

        return null;
    }

    private void Write(ResolvedBaseline baseline)
    {
        if (!ListRule)
        {
            WriteObject(baseline);
            return;
        }

        var rows = BaselineRuleRow.Of(baseline)
            .Where(r => Profile.Length == 0 || r.Profile is null || Profile.Contains(r.Profile.Value));
        foreach (var row in rows)
        {
            WriteObject(row);
        }
    }
}
