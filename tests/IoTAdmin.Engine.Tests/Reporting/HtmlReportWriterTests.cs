using System.Text.RegularExpressions;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Reporting;

namespace IoTAdmin.Engine.Tests.Reporting;

public sealed class HtmlReportWriterTests
{
    private static readonly string s_html = HtmlReportWriter.ToHtml(ReportSamples.Mixed());

    [Fact]
    public void Page_is_a_complete_html5_document()
    {
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", s_html);
        Assert.Contains("<meta charset=\"utf-8\">", s_html);
        Assert.EndsWith("</html>\n", s_html);
    }

    [Theory]
    [InlineData("src=\"http")]
    [InlineData("href=\"http")]
    [InlineData("src='http")]
    [InlineData("href='http")]
    [InlineData("<link")]
    [InlineData("@import")]
    [InlineData("url(")]
    [InlineData("<iframe")]
    [InlineData("<img")]
    public void Page_loads_nothing_from_elsewhere(string forbidden)
    {
        Assert.DoesNotContain(forbidden, s_html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Only_the_one_own_script_block_exists()
    {
        Assert.Single(Regex.Matches(s_html, "<script", RegexOptions.IgnoreCase));
        Assert.DoesNotContain("<script src", s_html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Content_security_policy_forbids_external_loads()
    {
        var pattern = "http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\"";
        var policy = Regex.Match(s_html, pattern).Groups[1].Value;

        Assert.StartsWith("default-src 'none';", policy);
        Assert.Matches("script-src 'sha256-[A-Za-z0-9+/=]+';", policy);
        Assert.Matches("style-src 'sha256-[A-Za-z0-9+/=]+';", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.DoesNotContain("http", policy);
    }

    [Fact]
    public void Policy_hashes_match_the_inline_blocks()
    {
        var script = Regex.Match(s_html, "<script>(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        var style = Regex.Match(s_html, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;

        Assert.Contains($"script-src '{Sha256Of(script)}'", s_html);
        Assert.Contains($"style-src '{Sha256Of(style)}'", s_html);
    }

    [Theory]
    [InlineData(ReportSamples.ScriptName)]
    [InlineData(ReportSamples.AttributeBreakout)]
    [InlineData("<svg onload")]
    [InlineData("<b>key</b>")]
    [InlineData("onerror=alert(2)>")]
    public void Hostile_device_text_is_escaped(string hostile)
    {
        Assert.DoesNotContain(hostile, s_html);
    }

    [Fact]
    public void Hostile_device_text_is_shown_as_text()
    {
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", s_html);
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;", s_html);
        Assert.Contains("Linux cam&lt;/td&gt;&lt;/tr&gt;&lt;svg onload=alert(3)&gt; &amp; &#39;quotes&#39;", s_html);
    }

    [Fact]
    public void Control_characters_from_devices_are_replaced()
    {
        var report = new AuditReport(
            ReportSamples.GeneratedAt, "IoTAdmin", "0.1.0", "SYS.4.4-Basic",
            new[] { new Inventory.IoTDevice("10.0.0.1") { Name = "bad\u0000name\u001b[31m" } },
            Array.Empty<RuleResult>());

        var html = HtmlReportWriter.ToHtml(report);

        Assert.DoesNotContain("\u0000", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", html, StringComparison.Ordinal);
        Assert.Contains("bad\uFFFDname\uFFFD[31m", html);
    }

    [Fact]
    public void Every_device_appears_in_summary_and_inventory()
    {
        foreach (var address in new[] { "10.0.0.9", "10.0.0.10", "10.0.0.20" })
        {
            Assert.Contains($">{address}</a></td>", s_html);
            Assert.Contains($"<h3>{address}", s_html);
        }

        Assert.Contains("10.0.0.77", s_html);
    }

    [Fact]
    public void Inventory_shows_device_details_and_sources()
    {
        Assert.Contains("<dt>Vendor</dt><dd>Hikvision</dd>", s_html);
        Assert.Contains("<dt>Model</dt><dd>DS-2CD</dd>", s_html);
        Assert.Contains("<dt>Firmware</dt><dd>5.7.1</dd>", s_html);
        Assert.Contains("<dt>Profile</dt><dd>Camera</dd>", s_html);
        Assert.Contains("<dt>Discovered by</dt><dd>Ssdp, Snmp</dd>", s_html);
        Assert.Contains("<td>telnet</td><td>Tcp</td><td class=\"num\">23</td><td>Snmp</td>", s_html);
        Assert.Contains("<dt>sysObjectID</dt><dd>1.3.6.1.4.1.39165</dd>", s_html);
    }

    [Fact]
    public void Every_failed_finding_is_listed_with_evidence_and_remediation()
    {
        var report = ReportSamples.Mixed();

        foreach (var failure in report.Failures)
        {
            var row = FindingRow(failure.DeviceAddress, failure.RuleId);
            Assert.Contains("data-outcome=\"Fail\"", row);
            Assert.Contains(HtmlEscape(failure.Evidence), row);
            Assert.Contains(HtmlEscape(failure.Remediation), row);
        }

        Assert.Equal(report.Results.Count, Regex.Matches(s_html, "<tr data-outcome=").Count);
    }

    [Fact]
    public void Failures_come_first_and_worst_first()
    {
        var first = s_html.IndexOf("IOT-CRED-SSH</strong>", StringComparison.Ordinal);
        var second = s_html.IndexOf("IOT-SVC-TELNET</strong>", StringComparison.Ordinal);
        var firstPass = s_html.IndexOf("data-outcome=\"Pass\"", StringComparison.Ordinal);

        Assert.True(first < second && second < firstPass);
    }

    [Fact]
    public void Charts_are_inline_svg()
    {
        Assert.Equal(2, Regex.Matches(s_html, "<svg role=\"img\"").Count);
        Assert.Contains("<rect class=\"seg-Fail\"", s_html);
        Assert.Contains("<title>Rule outcomes per device</title>", s_html);
        Assert.Contains("<title>Devices failing and passing per measure</title>", s_html);
    }

    [Fact]
    public void Filters_cover_outcome_severity_and_device_and_start_hidden()
    {
        Assert.Contains("<form id=\"filters\" hidden>", s_html);
        Assert.Contains("<select name=\"outcome\">", s_html);
        Assert.Contains("<select name=\"severity\">", s_html);
        Assert.Contains("<option value=\"10.0.0.20\">10.0.0.20 (&lt;script&gt;", s_html);
    }

    [Fact]
    public void Page_supports_dark_mode_and_print()
    {
        Assert.Contains("@media (prefers-color-scheme: dark)", s_html);
        Assert.Contains("@media print", s_html);
    }

    [Fact]
    public void Measure_table_lists_all_measures_with_status()
    {
        Assert.Contains("<td>SYS.4.4.M24</td>", s_html.Replace(" data-sort=\"23\"", string.Empty));
        Assert.Contains("<span class=\"s-NotFulfilled\">Not fulfilled</span>", s_html);
        Assert.Contains("<span class=\"s-NotChecked\">Not checked</span>", s_html);
    }

    [Fact]
    public void Output_is_deterministic_apart_from_the_timestamp()
    {
        var again = HtmlReportWriter.ToHtml(ReportSamples.Mixed());

        Assert.Equal(s_html, again);
    }

    [Fact]
    public void Empty_report_renders_sensibly()
    {
        var html = HtmlReportWriter.ToHtml(ReportSamples.Empty());

        Assert.Contains("No devices were found or audited.", html);
        Assert.Contains("No rule results.", html);
        Assert.Contains("No devices were discovered.", html);
        Assert.DoesNotContain("<svg", html);
        Assert.Contains("<b>0</b>Devices", html);
        Assert.EndsWith("</html>\n", html);
    }

    [Fact]
    public void Writer_leaves_text_writer_usable()
    {
        using var writer = new StringWriter();
        new HtmlReportWriter().Write(ReportSamples.Empty(), writer);
        writer.Write("more");

        Assert.EndsWith("</html>\nmore", writer.ToString());
    }

    private static string FindingRow(string address, string ruleId)
    {
        var rows = Regex.Matches(s_html, "<tr data-outcome=.*?</tr>", RegexOptions.Singleline)
            .Select(m => m.Value);
        return Assert.Single(rows, r => r.Contains($"data-device=\"{address}\"") && r.Contains($">{ruleId}<"));
    }

    private static string HtmlEscape(string text) => text
        .Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;")
        .Replace("\"", "&quot;").Replace("'", "&#39;");

    private static string Sha256Of(string text) =>
        "sha256-" + Convert.ToBase64String(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
