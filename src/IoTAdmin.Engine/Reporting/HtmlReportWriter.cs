using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Reporting;

/// <summary>
/// Writes an <see cref="AuditReport"/> as one self-contained HTML5 page for auditors: inline CSS,
/// inline SVG charts and a small optional script for filtering and sorting. Nothing is loaded from
/// elsewhere, all device-supplied text is escaped, and the output depends only on the report.
/// The writer keeps no state; one instance may be shared.
/// </summary>
public sealed class HtmlReportWriter
{
    private static readonly RuleOutcome[] s_outcomeOrder =
    {
        RuleOutcome.Fail, RuleOutcome.Error, RuleOutcome.NotChecked, RuleOutcome.Waived, RuleOutcome.Pass,
        RuleOutcome.NotApplicable,
    };

    /// <summary>Writes the page to the writer; the caller owns and disposes the writer.</summary>
    public void Write(AuditReport report, TextWriter writer)
    {
        if (report is null)
        {
            throw new ArgumentNullException(nameof(report));
        }

        if (writer is null)
        {
            throw new ArgumentNullException(nameof(writer));
        }

        WriteHead(writer, report);
        WriteOverview(writer, report);
        WriteDeviceSummaries(writer, report);
        WriteMeasureSummaries(writer, report);
        WriteFindings(writer, report);
        WriteDeviceErrors(writer, report);
        WriteInventory(writer, report);
        WriteFoot(writer, report);
        writer.Flush();
    }

    /// <summary>Returns the page as a string.</summary>
    public static string ToHtml(AuditReport report)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new HtmlReportWriter().Write(report, writer);
        return writer.ToString();
    }

    private static string E(string? text) => HtmlText.Escape(text);

    private static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd HH':'mm':'ss' UTC'", CultureInfo.InvariantCulture);

    private static void WriteHead(TextWriter w, AuditReport report)
    {
        w.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        w.Write($"<meta http-equiv=\"Content-Security-Policy\" content=\"{HtmlAssets.ContentSecurityPolicy}\">\n");
        w.Write("<meta name=\"referrer\" content=\"no-referrer\">\n");
        w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        w.Write($"<meta name=\"generator\" content=\"{E(report.ToolName)} {E(report.ToolVersion)}\">\n");
        w.Write($"<title>IoT audit report {E(report.Baseline)} {Timestamp(report.GeneratedAt)}</title>\n");
        w.Write($"<style>{HtmlAssets.Css}</style>\n</head>\n<body>\n");
    }

    private static void WriteOverview(TextWriter w, AuditReport report)
    {
        w.Write("<header>\n<h1>IoT device audit report</h1>\n");
        w.Write($"<p class=\"meta\">Baseline <strong>{E(report.Baseline)}</strong> (BSI IT-Grundschutz SYS.4.4)");
        w.Write($" &middot; generated {Timestamp(report.GeneratedAt)}");
        w.Write($" &middot; {E(report.ToolName)} {E(report.ToolVersion)}</p>\n");

        var nonCompliant = report.DeviceSummaries.Count(d => d.Status == DeviceStatus.NonCompliant);
        w.Write("<ul class=\"cards\">\n");
        WriteCard(w, "Devices", report.DeviceSummaries.Count);
        WriteCard(w, "Non-compliant devices", nonCompliant);
        WriteCard(w, "Checks", report.Totals.Total);
        WriteCard(w, "Failed", report.Totals.Fail);
        WriteCard(w, "Passed", report.Totals.Pass);
        WriteCard(w, "Waived", report.Totals.Waived);
        WriteCard(w, "Errors", report.Totals.Error + report.Errors.Count);
        WriteCard(w, "Not checked", report.Totals.NotChecked);
        w.Write("</ul>\n");

        w.Write("<nav class=\"no-print\"><a href=\"#devices\">Devices</a>");
        w.Write(" &middot; <a href=\"#measures\">Measures</a>");
        w.Write(" &middot; <a href=\"#findings\">Findings</a> &middot; <a href=\"#problems\">Problems</a>");
        w.Write(" &middot; <a href=\"#inventory\">Inventory</a></nav>\n</header>\n<main>\n");
    }

    private static void WriteCard(TextWriter w, string label, int value) =>
        w.Write($"<li><b>{value}</b>{label}</li>\n");

    private static void WriteDeviceSummaries(TextWriter w, AuditReport report)
    {
        w.Write("<section id=\"devices\">\n<h2>Summary per device</h2>\n");
        if (report.DeviceSummaries.Count == 0)
        {
            w.Write("<p class=\"empty\">No devices were found or audited.</p>\n</section>\n");
            return;
        }

        w.Write(SvgCharts.DeviceOutcomes(report.DeviceSummaries) + "\n");
        w.Write("<table class=\"sortable\">\n<thead><tr><th>Address</th><th>Name</th><th>Status</th>");
        w.Write("<th>Pass</th><th>Fail</th><th>Not applicable</th><th>Error</th><th>Waived</th>"
            + "<th>Not checked</th>");
        w.Write("<th>Worst failure</th></tr></thead>\n");
        w.Write("<tbody>\n");
        foreach (var device in report.DeviceSummaries)
        {
            WriteDeviceSummaryRow(w, device, AnchorOf(report, device.Address));
        }

        w.Write("</tbody>\n</table>\n</section>\n");
    }

    private static void WriteDeviceSummaryRow(TextWriter w, DeviceSummary device, string? anchor)
    {
        var address = anchor is null ? E(device.Address) : $"<a href=\"#{anchor}\">{E(device.Address)}</a>";
        var worst = device.WorstFailedSeverity;
        w.Write($"<tr><td data-sort=\"{SortKeyOf(device.Address)}\">{address}</td><td>{E(device.Name)}</td>");
        w.Write($"<td><span class=\"s-{device.Status}\">{StatusText(device.Status)}</span></td>");
        w.Write($"<td class=\"num\">{device.Counts.Pass}</td><td class=\"num\">{device.Counts.Fail}</td>");
        w.Write($"<td class=\"num\">{device.Counts.NotApplicable}</td><td class=\"num\">{device.Counts.Error}</td>");
        w.Write($"<td class=\"num\">{device.Counts.Waived}</td><td class=\"num\">{device.Counts.NotChecked}</td>");
        w.Write($"<td data-sort=\"{(worst.HasValue ? (int)worst.Value : -1)}\">");
        w.Write(worst.HasValue ? $"<span class=\"sev-{worst}\">{worst}</span>" : "&ndash;");
        w.Write("</td></tr>\n");
    }

    private static void WriteMeasureSummaries(TextWriter w, AuditReport report)
    {
        w.Write("<section id=\"measures\">\n<h2>Summary per SYS.4.4 measure</h2>\n");
        if (report.MeasureSummaries.Any(m => m.Status != MeasureStatus.NotChecked))
        {
            w.Write(SvgCharts.MeasureFailures(report.MeasureSummaries) + "\n");
        }
        else
        {
            w.Write("<p class=\"empty\">No measure was checked by a rule.</p>\n");
        }

        w.Write("<p class=\"meta\">Measures marked <em>not checked</em> have no automatic rule; ");
        w.Write("they need an organisational review.</p>\n");
        w.Write("<table class=\"sortable\">\n<thead><tr><th>Measure</th><th>Title</th><th>Status</th>");
        w.Write("<th>Rules</th><th>Devices failing</th><th>Devices passing</th></tr></thead>\n<tbody>\n");
        foreach (var measure in report.MeasureSummaries)
        {
            WriteMeasureRow(w, measure);
        }

        w.Write("</tbody>\n</table>\n</section>\n");
    }

    private static void WriteMeasureRow(TextWriter w, MeasureSummary measure)
    {
        var number = MeasureCatalog.MeasureIds.ToList().IndexOf(measure.MeasureId);
        w.Write($"<tr><td data-sort=\"{(number < 0 ? 999 : number)}\">{E(measure.MeasureId)}</td>");
        w.Write($"<td>{E(measure.Title)}</td>");
        w.Write($"<td><span class=\"s-{measure.Status}\">{StatusText(measure.Status)}</span></td>");
        w.Write($"<td>{E(string.Join(", ", measure.Rules))}</td>");
        w.Write($"<td>{E(string.Join(", ", measure.DevicesFailing))}</td>");
        w.Write($"<td>{E(string.Join(", ", measure.DevicesPassing))}</td></tr>\n");
    }

    private static void WriteFindings(TextWriter w, AuditReport report)
    {
        w.Write("<section id=\"findings\">\n<h2>Findings</h2>\n");
        if (report.Results.Count == 0)
        {
            w.Write("<p class=\"empty\">No rule results.</p>\n</section>\n");
            return;
        }

        WriteFilterForm(w, report);
        w.Write("<table class=\"sortable\">\n<thead><tr><th>Outcome</th><th>Severity</th><th>Device</th>");
        w.Write("<th>Rule</th><th>Measures</th><th>Evidence</th><th>Remediation</th></tr></thead>\n<tbody>\n");
        foreach (var result in OrderFindings(report.Results))
        {
            WriteFindingRow(w, result);
        }

        w.Write("</tbody>\n</table>\n</section>\n");
    }

    private static IEnumerable<RuleResult> OrderFindings(IEnumerable<RuleResult> results) =>
        results.OrderBy(r => Array.IndexOf(s_outcomeOrder, r.Outcome))
            .ThenByDescending(r => r.Severity)
            .ThenBy(r => r.DeviceAddress, AddressComparer.Instance)
            .ThenBy(r => r.RuleId, StringComparer.Ordinal);

    private static void WriteFilterForm(TextWriter w, AuditReport report)
    {
        // Hidden until the script runs: without script every finding is simply listed.
        w.Write("<form id=\"filters\" hidden>\n");
        w.Write("<label>Outcome <select name=\"outcome\"><option value=\"\">All</option>");
        foreach (var outcome in s_outcomeOrder)
        {
            w.Write($"<option value=\"{outcome}\">{SvgCharts.OutcomeText(outcome)}</option>");
        }

        w.Write("</select></label>\n");
        w.Write("<label>Severity at least <select name=\"severity\"><option value=\"\">Any</option>");
        foreach (var severity in Enum.GetValues(typeof(Severity)).Cast<Severity>())
        {
            w.Write($"<option value=\"{severity}\">{severity}</option>");
        }

        w.Write("</select></label>\n<label>Device <select name=\"device\"><option value=\"\">All</option>");
        foreach (var device in report.DeviceSummaries)
        {
            w.Write($"<option{HtmlText.Attribute("value", device.Address)}>{E(DeviceText(device))}</option>");
        }

        w.Write("</select></label>\n<button type=\"reset\">Show all</button>");
        w.Write(" <output id=\"shown\"></output>\n</form>\n");
    }

    private static void WriteFindingRow(TextWriter w, RuleResult result)
    {
        w.Write($"<tr data-outcome=\"{result.Outcome}\" data-severity=\"{result.Severity}\"");
        w.Write($"{HtmlText.Attribute("data-device", result.DeviceAddress)}>");
        w.Write($"<td data-sort=\"{Array.IndexOf(s_outcomeOrder, result.Outcome)}\">");
        w.Write($"<span class=\"badge o-{result.Outcome}\">{SvgCharts.OutcomeText(result.Outcome)}</span></td>");
        w.Write($"<td data-sort=\"{(int)result.Severity}\"><span class=\"sev-{result.Severity}\">");
        w.Write($"{result.Severity}</span></td>");
        w.Write($"<td data-sort=\"{SortKeyOf(result.DeviceAddress)}\">{E(result.DeviceAddress)}");
        w.Write(result.DeviceName is null ? "</td>" : $"<br>{E(result.DeviceName)}</td>");
        w.Write($"<td><strong>{E(result.RuleId)}</strong><br>{E(result.Title)}</td>");
        w.Write($"<td>{E(string.Join(", ", result.Measures))}</td>");
        // Remediation is advice for what failed; on other rows it would read as a finding. A waived
        // row shows the accepted deviation instead, and an expired waiver is named under the advice.
        var remediation = result.Outcome switch
        {
            RuleOutcome.Fail when result.Waiver is not null =>
                E(result.Remediation) + "\n" + E("Waiver expired: " + WaiverText(result.Waiver)),
            RuleOutcome.Fail => E(result.Remediation),
            RuleOutcome.Waived when result.Waiver is not null => E("Waived: " + WaiverText(result.Waiver)),
            _ => string.Empty,
        };
        w.Write($"<td class=\"text\">{E(result.Evidence)}</td><td class=\"text\">{remediation}</td></tr>\n");
    }

    private static string WaiverText(RuleWaiver waiver) =>
        $"{waiver.Reason} (owner {waiver.Owner}, until "
        + $"{waiver.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})";

    private static void WriteDeviceErrors(TextWriter w, AuditReport report)
    {
        w.Write("<section id=\"problems\">\n<h2>Problems during discovery and audit</h2>\n");
        if (report.Errors.Count == 0)
        {
            w.Write("<p class=\"empty\">None.</p>\n</section>\n");
            return;
        }

        w.Write("<table>\n<thead><tr><th>Address</th><th>Problem</th></tr></thead>\n<tbody>\n");
        foreach (var error in report.Errors)
        {
            w.Write($"<tr><td>{E(error.Address)}</td><td class=\"text\">{E(error.Message)}</td></tr>\n");
        }

        w.Write("</tbody>\n</table>\n</section>\n");
    }

    private static void WriteInventory(TextWriter w, AuditReport report)
    {
        w.Write("<section id=\"inventory\">\n<h2>Device inventory</h2>\n");
        if (report.Devices.Count == 0)
        {
            w.Write("<p class=\"empty\">No devices were discovered.</p>\n");
        }

        for (var index = 0; index < report.Devices.Count; index++)
        {
            DeviceInventoryHtml.Write(w, report.Devices[index], AnchorFor(index));
        }

        w.Write("</section>\n");
    }

    private static void WriteFoot(TextWriter w, AuditReport report)
    {
        w.Write("</main>\n<footer class=\"meta\"><p>Measures per BSI IT-Grundschutz module SYS.4.4 ");
        w.Write($"(General IoT device). Report generated {Timestamp(report.GeneratedAt)} by ");
        w.Write($"{E(report.ToolName)} {E(report.ToolVersion)}.</p></footer>\n");
        w.Write($"<script>{HtmlAssets.Script}</script>\n</body>\n</html>\n");
    }

    private static string AnchorFor(int deviceIndex) =>
        "device-" + (deviceIndex + 1).ToString(CultureInfo.InvariantCulture);

    private static string? AnchorOf(AuditReport report, string address)
    {
        for (var index = 0; index < report.Devices.Count; index++)
        {
            if (report.Devices[index].Address == address)
            {
                return AnchorFor(index);
            }
        }

        return null;
    }

    private static string SortKeyOf(string address)
    {
        var parts = address.Split('.');
        var numeric = parts.Length == 4 && parts.All(p => int.TryParse(p, out _));
        return numeric ? string.Join(".", parts.Select(p => p.PadLeft(3, '0'))) : E(address);
    }

    private static string DeviceText(DeviceSummary device) =>
        device.Name is null ? device.Address : $"{device.Address} ({device.Name})";

    private static string StatusText(DeviceStatus status) => status switch
    {
        DeviceStatus.NonCompliant => "Non-compliant",
        DeviceStatus.NotAudited => "Not audited",
        _ => status.ToString(),
    };

    private static string StatusText(MeasureStatus status) => status switch
    {
        MeasureStatus.NotFulfilled => "Not fulfilled",
        MeasureStatus.NotApplicable => "Not applicable",
        MeasureStatus.NotChecked => "Not checked",
        _ => status.ToString(),
    };
}
