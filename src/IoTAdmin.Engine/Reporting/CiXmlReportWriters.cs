using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Engine.Reporting;

/// <summary>
/// Writes results as JUnit XML (the Ant/Jenkins dialect of the JUnit 4 schema): one testsuite per
/// device, one testcase per rule. Fail becomes a failure, Error an error, NotApplicable, NotChecked and
/// Waived are skipped (a waived case names its waiver), so CI fails exactly on open findings.
/// </summary>
public sealed class JUnitReportWriter
{
    public void Write(AuditReport report, Stream stream)
    {
        using var xml = CiXml.Create(stream);
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.Attr("name", $"IoTAdmin audit {report.Baseline}");
        xml.Attr("tests", CiXml.Number(report.Results.Count));
        xml.Attr("failures", CiXml.Number(report.Totals.Fail));
        xml.Attr("errors", CiXml.Number(report.Totals.Error));
        xml.Attr("time", "0");
        foreach (var device in CiXml.ByDevice(report))
        {
            WriteSuite(xml, report, device.Key, device.ToList());
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteSuite(XmlWriter xml, AuditReport report, string address, IReadOnlyList<RuleResult> results)
    {
        var counts = OutcomeCounts.Of(results);
        xml.WriteStartElement("testsuite");
        xml.Attr("name", CiXml.DeviceName(address, results));
        xml.Attr("tests", CiXml.Number(results.Count));
        xml.Attr("failures", CiXml.Number(counts.Fail));
        xml.Attr("errors", CiXml.Number(counts.Error));
        xml.Attr("skipped", CiXml.Number(counts.NotApplicable + counts.Waived + counts.NotChecked));
        xml.Attr("time", "0");
        xml.Attr("timestamp", CiXml.Time(report.GeneratedAt));
        xml.WriteStartElement("properties");
        CiXml.Property(xml, "baseline", report.Baseline);
        CiXml.Property(xml, "deviceAddress", address);
        xml.WriteEndElement();
        foreach (var result in results)
        {
            WriteCase(xml, report, result);
        }

        xml.WriteEndElement();
    }

    private static void WriteCase(XmlWriter xml, AuditReport report, RuleResult result)
    {
        xml.WriteStartElement("testcase");
        xml.Attr("name", $"{result.RuleId}: {result.Title}");
        xml.Attr("classname", $"IoTAdmin.{report.Baseline}.{result.DeviceAddress}");
        xml.Attr("time", "0");
        switch (result.Outcome)
        {
            case RuleOutcome.Fail:
                Detail(xml, "failure", result.Title, result.Severity.ToString(), CiXml.FailureText(result));
                break;
            case RuleOutcome.Error:
                Detail(xml, "error", "the check could not be completed", "Error", result.Evidence);
                break;
            case RuleOutcome.NotApplicable:
            case RuleOutcome.NotChecked:
                xml.WriteStartElement("skipped");
                xml.Attr("message", CiXml.ReasonText(result));
                xml.WriteEndElement();
                break;
            case RuleOutcome.Waived:
                xml.WriteStartElement("skipped");
                xml.Attr("message", CiXml.WaiverText(result));
                xml.WriteEndElement();
                break;
        }

        xml.Element("system-out", result.Evidence);
        xml.WriteEndElement();
    }

    private static void Detail(XmlWriter xml, string element, string message, string type, string text)
    {
        xml.WriteStartElement(element);
        xml.Attr("message", message);
        xml.Attr("type", type);
        xml.WriteString(CiXml.Printable(text));
        xml.WriteEndElement();
    }
}

/// <summary>
/// Writes results in the NUnit 3 test result format: a test-run holding one Assembly suite for the
/// baseline, a TestFixture suite per device and a test-case per rule. Fail and Error are Failed
/// (Error with label Error), NotApplicable and Waived are Skipped and NotChecked Inconclusive, with the reason.
/// </summary>
public sealed class NUnitReportWriter
{
    public void Write(AuditReport report, Stream stream)
    {
        var devices = CiXml.ByDevice(report).ToList();
        var ids = new IdSource();
        using var xml = CiXml.Create(stream);
        xml.WriteStartDocument();
        xml.WriteStartElement("test-run");
        xml.Attr("id", ids.Next());
        xml.Attr("name", $"IoTAdmin audit {report.Baseline}");
        xml.Attr("fullname", $"IoTAdmin audit {report.Baseline}");
        xml.Attr("testcasecount", CiXml.Number(report.Results.Count));
        var totals = OutcomeCounts.Of(report.Results);
        xml.Attr("result", totals.Fail + totals.Error > 0 ? "Failed" : "Passed");
        Totals(xml, totals, report.GeneratedAt);
        xml.Attr("random-seed", "0");
        xml.WriteStartElement("filter");
        xml.WriteEndElement();
        xml.WriteStartElement("test-suite");
        SuiteAttributes(xml, ids.Next(), "Assembly", report.Baseline, report.Baseline, report.Results, report);
        foreach (var device in devices)
        {
            WriteDevice(xml, ids, report, device.Key, device.ToList());
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteDevice(
        XmlWriter xml, IdSource ids, AuditReport report, string address, IReadOnlyList<RuleResult> results)
    {
        xml.WriteStartElement("test-suite");
        var name = CiXml.DeviceName(address, results);
        SuiteAttributes(xml, ids.Next(), "TestFixture", name, $"{report.Baseline}.{address}", results, report);
        xml.WriteStartElement("properties");
        CiXml.NUnitProperty(xml, "deviceAddress", address);
        xml.WriteEndElement();
        foreach (var result in results)
        {
            WriteCase(xml, ids.Next(), report, result);
        }

        xml.WriteEndElement();
    }

    private static void WriteCase(XmlWriter xml, string id, AuditReport report, RuleResult result)
    {
        xml.WriteStartElement("test-case");
        xml.Attr("id", id);
        xml.Attr("name", result.RuleId);
        xml.Attr("fullname", $"{report.Baseline}.{result.DeviceAddress}.{result.RuleId}");
        xml.Attr("methodname", result.RuleId);
        xml.Attr("classname", $"{report.Baseline}.{result.DeviceAddress}");
        xml.Attr("runstate", "Runnable");
        xml.Attr("seed", "0");
        var (status, label) = StatusOf(result.Outcome);
        xml.Attr("result", status);
        if (label is not null)
        {
            xml.Attr("label", label);
        }

        if (status == "Failed")
        {
            xml.Attr("site", "Test");
        }

        xml.Attr("start-time", CiXml.Time(result.CheckedAt));
        xml.Attr("end-time", CiXml.Time(result.CheckedAt));
        xml.Attr("duration", "0");
        xml.Attr("asserts", "0");
        WriteCaseBody(xml, result);
        xml.WriteEndElement();
    }

    private static void WriteCaseBody(XmlWriter xml, RuleResult result)
    {
        xml.WriteStartElement("properties");
        CiXml.NUnitProperty(xml, "title", result.Title);
        CiXml.NUnitProperty(xml, "severity", result.Severity.ToString());
        foreach (var measure in result.Measures)
        {
            CiXml.NUnitProperty(xml, "measure", measure);
        }

        xml.WriteEndElement();
        if (result.Outcome == RuleOutcome.Fail || result.Outcome == RuleOutcome.Error)
        {
            xml.WriteStartElement("failure");
            xml.Element("message", result.Outcome == RuleOutcome.Fail
                ? CiXml.FailureText(result)
                : "the check could not be completed: " + result.Evidence);
            xml.WriteEndElement();
        }
        else if (result.Outcome != RuleOutcome.Pass)
        {
            xml.WriteStartElement("reason");
            xml.Element("message", result.Outcome == RuleOutcome.Waived
                ? CiXml.WaiverText(result)
                : CiXml.ReasonText(result));
            xml.WriteEndElement();
        }

        xml.Element("output", result.Evidence);
    }

    private static void SuiteAttributes(
        XmlWriter xml, string id, string type, string name, string fullName, IReadOnlyList<RuleResult> results,
        AuditReport report)
    {
        xml.Attr("type", type);
        xml.Attr("id", id);
        xml.Attr("name", name);
        xml.Attr("fullname", fullName);
        xml.Attr("runstate", "Runnable");
        xml.Attr("testcasecount", CiXml.Number(results.Count));
        var counts = OutcomeCounts.Of(results);
        xml.Attr("result", counts.Fail + counts.Error > 0 ? "Failed" : "Passed");
        if (counts.Fail + counts.Error > 0)
        {
            xml.Attr("site", "Child");
        }

        Totals(xml, counts, report.GeneratedAt);
    }

    private static void Totals(XmlWriter xml, OutcomeCounts counts, DateTimeOffset at)
    {
        xml.Attr("start-time", CiXml.Time(at));
        xml.Attr("end-time", CiXml.Time(at));
        xml.Attr("duration", "0");
        xml.Attr("total", CiXml.Number(counts.Total));
        xml.Attr("passed", CiXml.Number(counts.Pass));
        xml.Attr("failed", CiXml.Number(counts.Fail + counts.Error));
        xml.Attr("warnings", "0");
        xml.Attr("inconclusive", CiXml.Number(counts.NotChecked));
        xml.Attr("skipped", CiXml.Number(counts.NotApplicable + counts.Waived));
        xml.Attr("asserts", "0");
    }

    private static (string Status, string? Label) StatusOf(RuleOutcome outcome) => outcome switch
    {
        RuleOutcome.Pass => ("Passed", null),
        RuleOutcome.Fail => ("Failed", null),
        RuleOutcome.Error => ("Failed", "Error"),
        RuleOutcome.Waived => ("Skipped", "Waived"),
        RuleOutcome.NotChecked => ("Inconclusive", "NotChecked"),
        _ => ("Skipped", "NotApplicable"),
    };

    private sealed class IdSource
    {
        private int _next;

        public string Next() => (++_next).ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>What the JUnit and NUnit writers share.</summary>
internal static class CiXml
{
    public static XmlWriter Create(Stream stream) => XmlWriter.Create(stream, new XmlWriterSettings
    {
        Encoding = new UTF8Encoding(false),
        Indent = true,

        // Device-supplied evidence may hold control characters XML 1.0 forbids; they are replaced.
        CheckCharacters = true,
    });

    public static IEnumerable<IGrouping<string, RuleResult>> ByDevice(AuditReport report) =>
        report.Results.GroupBy(r => r.DeviceAddress);

    public static string DeviceName(string address, IReadOnlyList<RuleResult> results)
    {
        var name = results.Select(r => r.DeviceName).FirstOrDefault(n => n is not null);
        return name is null ? address : $"{address} ({name})";
    }

    public static string FailureText(RuleResult result) =>
        $"[{result.Severity}] {result.Title} ({string.Join(", ", result.Measures)}): {result.Evidence}\n"
        + $"Remediation: {result.Remediation}";

    public static string ReasonText(RuleResult result) =>
        (result.Outcome == RuleOutcome.NotChecked ? "not checked: " : "not applicable: ") + result.Evidence;

    public static string WaiverText(RuleResult result)
    {
        var waiver = result.Waiver;
        return waiver is null
            ? "waived"
            : $"waived until {waiver.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} "
              + $"(owner {waiver.Owner}): {waiver.Reason}";
    }

    public static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.Attr("name", name);
        xml.Attr("value", value);
        xml.WriteEndElement();
    }

    public static void NUnitProperty(XmlWriter xml, string name, string value) => Property(xml, name, value);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Strips characters XML 1.0 cannot carry from device-supplied text.</summary>
    public static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD');
        }

        return builder.ToString();
    }

    /// <summary>An attribute whose value is made printable first.</summary>
    public static void Attr(this XmlWriter xml, string name, string value) =>
        xml.WriteAttributeString(name, Printable(value));

    /// <summary>A text-only element whose content is made printable first.</summary>
    public static void Element(this XmlWriter xml, string name, string value) =>
        xml.WriteElementString(name, Printable(value));
}
