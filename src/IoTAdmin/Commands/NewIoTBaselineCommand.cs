using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.DataFiles;

namespace IoTAdmin.Commands;

/// <summary>
/// New-IoTBaseline: writes an organisation's own baseline file that extends a built-in (or another
/// file), ready to review and edit: every rule with its parameters, profiles, waivers, checklist.
/// </summary>
[ImplementsMeasures("SYS.4.4.M6", "SYS.4.4.M7")]
[Cmdlet(VerbsCommon.New, "IoTBaseline", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class NewIoTBaselineCommand : IoTCmdletBase
{
    /// <summary>Gets or sets the name of the new baseline, e.g. Contoso-Cameras.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidatePattern(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the baseline to derive from: a built-in name or a .psd1 path.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string From { get; set; } = "SYS.4.4-Standard";

    /// <summary>Gets or sets the file to write.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Gets or sets whether an existing file is overwritten.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        var baseline = LoadBase();
        if (File.Exists(path) && !Force)
        {
            var error = new IOException($"'{path}' exists; use -Force to overwrite it.");
            ThrowTerminatingError(new ErrorRecord(error, "BaselineFileExists", ErrorCategory.ResourceExists, Path));
        }

        var text = BaselineWriter.Derive(baseline, Name, ExtendsValue(path), DateTimeOffset.UtcNow);
        if (ShouldProcess(path, $"Write baseline {Name} derived from {baseline.Name}"))
        {
            Save(path, text);
            WriteObject(InvokeProvider.Item.Get(path), enumerateCollection: true);
        }

        base.EndProcessing();
    }

    private ResolvedBaseline LoadBase()
    {
        try
        {
            var from = BaselineLibrary.LooksLikePath(From) ? GetUnresolvedProviderPathFromPSPath(From) : From;
            return new BaselineLibrary().Load(from);
        }
        catch (DataFileException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "BaselineInvalid", ErrorCategory.InvalidData, From));
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "BaselineNotFound", ErrorCategory.ObjectNotFound, From));
        }

        throw new InvalidOperationException("unreachable");
    }

    /// <summary>A built-in by name; a file by its path relative to the new file, so both can move together.</summary>
    private string ExtendsValue(string newPath)
    {
        if (!BaselineLibrary.LooksLikePath(From))
        {
            return From;
        }

        var target = GetUnresolvedProviderPathFromPSPath(From);
        var folder = System.IO.Path.GetDirectoryName(newPath) ?? string.Empty;
        var relative = RelativePath(folder, target);
        return relative.StartsWith(".", StringComparison.Ordinal) ? relative : "./" + relative;
    }

    private static string RelativePath(string folder, string target)
    {
        var separator = System.IO.Path.DirectorySeparatorChar.ToString();
        var from = new Uri(folder.EndsWith(separator, StringComparison.Ordinal) ? folder : folder + separator);
        return Uri.UnescapeDataString(from.MakeRelativeUri(new Uri(target)).ToString());
    }

    private void Save(string path, string text)
    {
        try
        {
            var folder = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            File.WriteAllText(path, text, new UTF8Encoding(false));
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            var error = new IOException($"Cannot write '{path}': {ex.Message}", ex);
            ThrowTerminatingError(new ErrorRecord(error, "BaselineWriteFailed", ErrorCategory.WriteError, Path));
        }
    }
}
