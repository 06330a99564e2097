using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Engine.Reporting;

/// <summary>
/// Draws the report's horizontal bar charts as inline SVG, so the file needs no image or script
/// library. Colours come from CSS classes, which keeps the charts right in dark mode and in print.
/// </summary>
internal static class SvgCharts
{
    private const int Width = 760;
    private const int LabelWidth = 230;
    private const int RowHeight = 22;
    private const int BarHeight = 14;
    private const int CountWidth = 50;
    private const int LegendHeight = 26;

    /// <summary>A stacked bar per device: how many results passed, failed, did not apply or erred.</summary>
    public static string DeviceOutcomes(IReadOnlyList<DeviceSummary> devices)
    {
        var rows = devices.Select(d => new ChartRow(
            DeviceLabel(d),
            new[]
            {
                (RuleOutcome.Pass, d.Counts.Pass),
                (RuleOutcome.Fail, d.Counts.Fail),
                (RuleOutcome.NotApplicable, d.Counts.NotApplicable),
                (RuleOutcome.Error, d.Counts.Error),
                (RuleOutcome.Waived, d.Counts.Waived),
                (RuleOutcome.NotChecked, d.Counts.NotChecked),
            })).ToList();

        var legend = new[]
        {
            RuleOutcome.Pass, RuleOutcome.Fail, RuleOutcome.NotApplicable, RuleOutcome.Error, RuleOutcome.Waived,
            RuleOutcome.NotChecked,
        };
        return Draw("Rule outcomes per device", rows, legend);
    }

    /// <summary>A bar per checked measure: how many devices failed it and how many passed.</summary>
    public static string MeasureFailures(IReadOnlyList<MeasureSummary> measures)
    {
        var rows = measures.Where(m => m.Status != MeasureStatus.NotChecked).Select(m => new ChartRow(
            m.MeasureId.Replace("SYS.4.4.", string.Empty) + " " + m.Title,
            new[]
            {
                (RuleOutcome.Fail, m.DevicesFailing.Count),
                (RuleOutcome.Pass, m.DevicesPassing.Count),
            })).ToList();

        return Draw("Devices failing and passing per measure", rows, new[] { RuleOutcome.Fail, RuleOutcome.Pass });
    }

    private static string DeviceLabel(DeviceSummary device) =>
        device.Name is null ? device.Address : $"{device.Address} {device.Name}";

    private static string Draw(string title, IReadOnlyList<ChartRow> rows, IReadOnlyList<RuleOutcome> legend)
    {
        var height = (rows.Count * RowHeight) + LegendHeight + 4;
        var maximum = Math.Max(1, rows.Select(r => r.Total).DefaultIfEmpty(0).Max());
        var scale = (double)(Width - LabelWidth - CountWidth) / maximum;

        var svg = new StringBuilder();
        svg.Append($"<svg role=\"img\" width=\"{Width}\" height=\"{height}\"")
            .Append($" viewBox=\"0 0 {Width} {height}\"><title>{HtmlText.Escape(title)}</title>\n");
        for (var index = 0; index < rows.Count; index++)
        {
            AppendRow(svg, rows[index], index * RowHeight, scale);
        }

        AppendLegend(svg, legend, rows.Count * RowHeight + 4);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void AppendRow(StringBuilder svg, ChartRow row, int top, double scale)
    {
        var textY = top + BarHeight;
        svg.Append($"<g><text x=\"0\" y=\"{textY}\">{HtmlText.EscapeShortened(row.Label, 34)}</text>");

        double x = LabelWidth;
        foreach (var (outcome, count) in row.Segments.Where(s => s.Count > 0))
        {
            var width = count * scale;
            svg.Append($"<rect class=\"seg-{outcome}\" x=\"{Number(x)}\" y=\"{top + 3}\" width=\"{Number(width)}\"")
                .Append($" height=\"{BarHeight}\"><title>{OutcomeText(outcome)}: {count}</title></rect>");
            x += width;
        }

        svg.Append($"<text x=\"{Number(x + 4)}\" y=\"{textY}\">{row.Total}</text></g>\n");
    }

    private static void AppendLegend(StringBuilder svg, IReadOnlyList<RuleOutcome> legend, int top)
    {
        // Five outcomes must fit beside the labels: the step shrinks to share the bar area.
        var step = Math.Min(120, (Width - LabelWidth) / Math.Max(1, legend.Count));
        var x = LabelWidth;
        foreach (var outcome in legend)
        {
            svg.Append($"<rect class=\"seg-{outcome}\" x=\"{x}\" y=\"{top + 4}\" width=\"12\" height=\"12\"/>")
                .Append($"<text x=\"{x + 16}\" y=\"{top + 14}\">{OutcomeText(outcome)}</text>");
            x += step;
        }

        svg.Append('\n');
    }

    internal static string OutcomeText(RuleOutcome outcome) =>
        outcome switch
        {
            RuleOutcome.NotApplicable => "Not applicable",
            RuleOutcome.NotChecked => "Not checked",
            _ => outcome.ToString(),
        };

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private sealed class ChartRow
    {
        public ChartRow(string label, IReadOnlyList<(RuleOutcome Outcome, int Count)> segments)
        {
            Label = label;
            Segments = segments;
        }

        public string Label { get; }

        public IReadOnlyList<(RuleOutcome Outcome, int Count)> Segments { get; }

        public int Total => Segments.Sum(s => s.Count);
    }
}
