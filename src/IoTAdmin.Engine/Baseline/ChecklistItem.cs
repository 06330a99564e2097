using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// A requirement no probe can check (a policy, a procurement rule, a signed clearance): the admin
/// answers it in the baseline file with evidence, and the audit reports the answer like a rule.
/// </summary>
public sealed class ChecklistItem
{
    public ChecklistItem(string id, string measure, string question, Severity severity = Severity.Medium)
    {
        Id = id;
        Measure = measure;
        Question = question;
        Severity = severity;
    }

    /// <summary>A stable id such as ORG-M6-POLICY.</summary>
    public string Id { get; }

    /// <summary>The SYS.4.4 measure the item documents, e.g. SYS.4.4.M6.</summary>
    public string Measure { get; }

    /// <summary>The question the admin answers with Yes, No or NotApplicable.</summary>
    public string Question { get; }

    /// <summary>How much a No answer matters.</summary>
    public Severity Severity { get; }

    /// <summary>The item as rule metadata, so results, reports and waivers treat it like a rule.</summary>
    public BaselineRuleInfo ToRuleInfo() => new BaselineRuleInfo(
        Id, Question, Severity, "Establish what the question asks for and record the answer with its evidence "
        + "in the baseline file's Checklist section.", Measure);
}

/// <summary>
/// The organisational checklist items IoTAdmin ships, one or more for every SYS.4.4 measure that is
/// wholly or partly paperwork. A baseline asks those whose measure it includes.
/// </summary>
public static class OrganisationalChecklist
{
    public static IReadOnlyList<ChecklistItem> Items { get; } = new[]
    {
        Item("ORG-M1-CRITERIA", 1,
            "Are only devices used that can be updated and whose default passwords can be changed?"),
        Item("ORG-M3-UPDATES", 3,
            "Does someone check regularly for firmware updates and install them from the vendor?"),
        Item("ORG-M4-AUTOUPDATE", 4, "Is automatic updating decided per device (on, or manual for critical ones)?"),
        Item("ORG-M5-PERIMETER", 5,
            "Do firewall rules allow only defined connections of the IoT segment, without UPnP?"),
        Item("ORG-M6-POLICY", 6, "Is there a security policy for each group of IoT devices, known to those involved?"),
        Item("ORG-M7-PLANNING", 7,
            "Is the use of the devices planned and documented (tasks, services, admin, logging)?"),
        Item("ORG-M8-PROCUREMENT", 8,
            "Are devices bought against a list of security requirements, incl. support period?"),
        Item("ORG-M9-OPERATION", 9, "Are those responsible for updates, logs and incidents named, configs documented?"),
        Item("ORG-M10-INSTALLATION", 10,
            "Are devices installed only by authorised people, with deputies who can take over?"),
        Item("ORG-M12-INTEGRATION", 12, "Do devices talk only to their management system, never to the Internet?"),
        Item("ORG-M14-CLEARANCE", 14, "Is each device cleared in writing before it joins a production network?"),
        Item("ORG-M16-MALWARE", 16, "Are devices restarted regularly and taken out of service when reinfected?"),
        Item("ORG-M17-TRAFFIC", 17, "Is the devices' network traffic checked regularly for anomalies (firewall logs)?"),
        Item("ORG-M18-LOGGING", 18, "Are security-relevant events of the devices logged centrally and evaluated?"),
        Item("ORG-M20-DECOMMISSION", 20,
            "Is decommissioning regulated: data wiped, accounts and network rights removed?"),
        Item("ORG-M21-ENVIRONMENT", 21,
            "Is each site checked for environment, power, theft and privacy before installing?"),
        Item("ORG-M22-MONITORING", 22, "Are devices in system monitoring that alerts staff on failures and limits?"),
        Item("ORG-M23-AUDIT", 23, "Are devices audited periodically and deviations with their remedies documented?"),
    };

    /// <summary>The item with that id (case-insensitive), or null.</summary>
    public static ChecklistItem? Find(string id) =>
        Items.FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.OrdinalIgnoreCase));

    private static ChecklistItem Item(string id, int measure, string question) =>
        new ChecklistItem(id, "SYS.4.4.M" + measure.ToString(System.Globalization.CultureInfo.InvariantCulture),
            question);
}
