using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Reporting;

namespace IoTAdmin.Commands;

/// <summary>The formats Export-IoTReport writes.</summary>
public enum ReportFormat
{
    Html,
    Json,
    Csv,
    JUnit,
    NUnit,
    Sarif,
}

/// <summary>
/// Export-IoTReport: writes the results of Test-IoTBaseline as a self-contained HTML report for an
/// auditor, as JSON or CSV for tools, as JUnit or NUnit 3 XML for CI systems, or as SARIF 2.1.0
/// for code-scanning tools.
/// </summary>
[ImplementsMeasures("SYS.4.4.M23")]
[Cmdlet(VerbsData.Export, "IoTReport", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportIoTReportCommand : IoTCmdletBase
{
    private readonly List<RuleResult> _results = new List<RuleResult>();

    /// <summary>Gets or sets the audit results, usually from Test-IoTBaseline.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public RuleResult[] InputObject { get; set; } = Array.Empty<RuleResult>();

    /// <summary>Gets or sets the report format; taken from the file extension when omitted.</summary>
    [Parameter]
    public ReportFormat? Format { get; set; }

    /// <summary>Gets or sets the file the report is written to.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the name of the baseline shown in the report; by default the one the results
    /// were checked against.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Baseline { get; set; }

    /// <summary>Gets or sets whether the written file is returned.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => _results.AddRange(InputObject.Where(r => r is not null));

    protected override void EndProcessing()
    {
        var fullPath = GetUnresolvedProviderPathFromPSPath(Path);
        if (Directory.Exists(fullPath))
        {
            var error = new IOException($"'{fullPath}' is a folder; give the path of the report file.");
            ThrowTerminatingError(new ErrorRecord(error, "ReportPathIsFolder", ErrorCategory.InvalidArgument, Path));
        }

        var format = Format ?? FormatFromExtension(fullPath);
        if (_results.Count == 0)
        {
            WriteWarning("No audit results reached Export-IoTReport; the report lists no device.");
        }

        if (ShouldProcess(fullPath, $"Write {format} report of {_results.Count} result(s)"))
        {
            TryWriteReport(format, fullPath);
        }

        base.EndProcessing();
    }

    private void TryWriteReport(ReportFormat format, string fullPath)
    {
        try
        {
            WriteReport(BuildReport(), format, fullPath);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            var error = new IOException($"Cannot write the report to '{fullPath}': {ex.Message}", ex);
            ThrowTerminatingError(new ErrorRecord(error, "ReportWriteFailed", ErrorCategory.WriteError, Path));
        }

        WriteVerbose($"Wrote the {format} report to '{fullPath}'.");
        if (PassThru)
        {
            WriteObject(InvokeProvider.Item.Get(fullPath), enumerateCollection: true);
        }
    }

    private ReportFormat FormatFromExtension(string path)
    {
        var name = System.IO.Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".sarif", StringComparison.Ordinal) || name.EndsWith(".sarif.json", StringComparison.Ordinal))
        {
            return ReportFormat.Sarif;
        }

        if (name.EndsWith(".xml", StringComparison.Ordinal))
        {
            return name.EndsWith(".nunit.xml", StringComparison.Ordinal) ? ReportFormat.NUnit
                : name.EndsWith(".junit.xml", StringComparison.Ordinal) ? ReportFormat.JUnit
                : AmbiguousXml(path);
        }

        return name.EndsWith(".json", StringComparison.Ordinal) ? ReportFormat.Json
            : name.EndsWith(".csv", StringComparison.Ordinal) ? ReportFormat.Csv
            : name.EndsWith(".html", StringComparison.Ordinal) || name.EndsWith(".htm", StringComparison.Ordinal)
                ? ReportFormat.Html
                : UnknownExtension(path);
    }

    private ReportFormat UnknownExtension(string path)
    {
        var error = new ArgumentException($"'{path}' has no report extension IoTAdmin knows (.html, .json, .csv, "
            + ".junit.xml, .nunit.xml, .sarif); give -Format to choose one.");
        ThrowTerminatingError(new ErrorRecord(error, "ReportFormatUnknown", ErrorCategory.InvalidArgument, Path));
        return ReportFormat.Html;
    }

    private ReportFormat AmbiguousXml(string path)
    {
        var error = new ArgumentException(
            $"'{path}' could be JUnit or NUnit XML; give -Format JUnit or -Format NUnit (or name it *.junit.xml).");
        ThrowTerminatingError(new ErrorRecord(error, "ReportFormatAmbiguous", ErrorCategory.InvalidArgument, Path));
        return ReportFormat.JUnit;
    }

    private AuditReport BuildReport()
    {
        // Checklist answers belong to the organisation, not to a device of the inventory.
        var devices = _results
            .Where(r => r.DeviceAddress != ChecklistEvaluator.OrganisationAddress)
            .Select(r => r.Device ?? new IoTDevice(r.DeviceAddress) { Name = r.DeviceName })
            .GroupBy(d => d.Address)
            .Select(g => g.First())
            .ToList();
        var version = typeof(ExportIoTReportCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var baseline = Baseline
            ?? _results.Select(r => r.Baseline).FirstOrDefault(b => b is not null)
            ?? "all rules (no baseline)";
        return new AuditReport("IoTAdmin", version, baseline, devices, _results);
    }

    private static void WriteReport(AuditReport report, ReportFormat format, string path)
    {
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Write to a temporary file first so a failure never leaves half a report behind.
        var temporary = path + ".tmp";
        try
        {
            WriteReportFile(report, format, temporary);
            if (File.Exists(path))
            {
                File.Delete(path);
            }

            File.Move(temporary, path);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static void WriteReportFile(AuditReport report, ReportFormat format, string path)
    {
        using var stream = File.Create(path);
        switch (format)
        {
            case ReportFormat.Json:
                new JsonReportWriter().Write(report, stream);
                return;
            case ReportFormat.JUnit:
                new JUnitReportWriter().Write(report, stream);
                return;
            case ReportFormat.NUnit:
                new NUnitReportWriter().Write(report, stream);
                return;
            case ReportFormat.Sarif:
                new SarifReportWriter().Write(report, stream);
                return;
        }

        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        if (format == ReportFormat.Csv)
        {
            new CsvReportWriter().Write(report, writer);
            return;
        }

        new HtmlReportWriter().Write(report, writer);
    }
}
