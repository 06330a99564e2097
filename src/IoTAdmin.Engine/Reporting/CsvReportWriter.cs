using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Engine.Reporting;

/// <summary>
/// Writes one row per result as RFC 4180 CSV for spreadsheets and ticket imports. Cells that a
/// spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return) get a
/// leading apostrophe: evidence quotes device-supplied text, which must never become a formula.
/// </summary>
public sealed class CsvReportWriter
{
    private static readonly string[] s_header =
    {
        "DeviceAddress", "DeviceName", "Profile", "RuleId", "Title", "Measures", "Severity", "Outcome", "Evidence",
        "Remediation", "WaiverReason", "WaiverOwner", "WaiverExpires", "Baseline", "CheckedAt",
    };

    public void Write(AuditReport report, TextWriter writer)
    {
        WriteRow(writer, s_header);
        foreach (var result in report.Results)
        {
            WriteRow(writer, Cells(result, report));
        }

        writer.Flush();
    }

    private static IEnumerable<string> Cells(RuleResult result, AuditReport report)
    {
        var device = report.Devices.FirstOrDefault(d => d.Address == result.DeviceAddress);
        var waiver = result.Waiver;
        return new[]
        {
            result.DeviceAddress,
            result.DeviceName ?? string.Empty,
            device?.Profile.ToString() ?? string.Empty,
            result.RuleId,
            result.Title,
            string.Join(";", result.Measures),
            result.Severity.ToString(),
            result.Outcome.ToString(),
            result.Evidence,
            result.Remediation,
            waiver?.Reason ?? string.Empty,
            waiver?.Owner ?? string.Empty,
            waiver?.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty,
            result.Baseline ?? report.Baseline,
            result.CheckedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
    }

    private static void WriteRow(TextWriter writer, IEnumerable<string> cells)
    {
        writer.Write(string.Join(",", cells.Select(Cell)));
        writer.Write("\r\n");
    }

    internal static string Cell(string value)
    {
        var safe = value.Length > 0 && "=+-@\t\r".IndexOf(value[0]) >= 0 ? "'" + value : value;
        var quote = safe.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0 || safe != safe.Trim();
        return quote ? "\"" + safe.Replace("\"", "\"\"") + "\"" : safe;
    }
}
