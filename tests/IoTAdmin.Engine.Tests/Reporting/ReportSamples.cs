using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Reporting;

namespace IoTAdmin.Engine.Tests.Reporting;

/// <summary>Builds reports for the writer tests, including devices that send hostile text.</summary>
internal static class ReportSamples
{
    public const string ScriptName = "<script>alert(1)</script>";
    public const string AttributeBreakout = "\"><img src=x onerror=alert(2)>";
    public const string HostileDescription = "Linux cam</td></tr><svg onload=alert(3)> & 'quotes'";

    public static readonly DateTimeOffset GeneratedAt = new(2026, 12, 3, 17, 30, 15, 250, TimeSpan.FromHours(1));

    public static readonly BaselineRuleInfo TelnetRule = new(
        "IOT-SVC-TELNET", "Telnet is disabled", Severity.High, "Disable Telnet; use SSH.",
        "SYS.4.4.M11", "SYS.4.4.M13");

    public static readonly BaselineRuleInfo DefaultPasswordRule = new(
        "IOT-CRED-SSH", "No default SSH password", Severity.Critical, "Change the default password.",
        "SYS.4.4.M2");

    public static readonly BaselineRuleInfo FirmwareRule = new(
        "IOT-FW-AGE", "Firmware is current", Severity.Medium, "Install the vendor's current firmware.",
        "SYS.4.4.M3");

    public static AuditReport Empty() =>
        new(GeneratedAt, "IoTAdmin", "0.1.0", "SYS.4.4-Basic", Array.Empty<IoTDevice>(), Array.Empty<RuleResult>());

    public static AuditReport Mixed()
    {
        var camera = Camera();
        var sensor = new IoTDevice("10.0.0.9") { Name = "sensor", Vendor = "Acme" };
        sensor.Observations.Add(new DiscoveryObservation("10.0.0.9", DiscoveryProtocol.Mdns) { Name = "sensor" });
        var printer = new IoTDevice("10.0.0.10") { Name = AttributeBreakout };

        var results = new List<RuleResult>
        {
            new(camera.Address, camera.Name, TelnetRule, RuleOutcome.Fail, "Telnet answered on 23/tcp: " + ScriptName),
            new(camera.Address, camera.Name, DefaultPasswordRule, RuleOutcome.Fail, "Login admin/a******* worked"),
            new(camera.Address, camera.Name, FirmwareRule, RuleOutcome.Pass, "Firmware 5.7.1"),
            new(sensor.Address, sensor.Name, TelnetRule, RuleOutcome.Pass, "No Telnet service"),
            new(sensor.Address, sensor.Name, DefaultPasswordRule, RuleOutcome.NotApplicable, "No SSH service"),
            new(sensor.Address, sensor.Name, FirmwareRule, RuleOutcome.Error, "Timed out"),
            new(printer.Address, printer.Name, TelnetRule, RuleOutcome.Pass, "No Telnet service"),
            new(printer.Address, printer.Name, FirmwareRule, RuleOutcome.NotChecked, "no firmware catalogue was given"),
        };

        var errors = new[] { new DeviceError("10.0.0.77", "SNMP answer could not be parsed: " + ScriptName) };
        return new AuditReport(
            GeneratedAt, "IoTAdmin", "0.1.0", "SYS.4.4-Basic", new[] { printer, camera, sensor }, results, errors);
    }

    private static IoTDevice Camera()
    {
        var camera = new IoTDevice("10.0.0.20")
        {
            Name = ScriptName,
            Vendor = "Hikvision",
            Model = "DS-2CD",
            FirmwareVersion = "5.7.1",
            Description = HostileDescription,
            Profile = DeviceProfile.Camera,
        };

        camera.AddService(new DeviceService("telnet", ServiceTransport.Tcp, 23, DiscoveryProtocol.Snmp));
        camera.AddService(new DeviceService("http", ServiceTransport.Tcp, 80, DiscoveryProtocol.Ssdp)
        {
            Detail = AttributeBreakout,
        });

        var snmp = new DiscoveryObservation(camera.Address, DiscoveryProtocol.Snmp)
        {
            Description = HostileDescription,
        };
        snmp.Attributes["sysObjectID"] = "1.3.6.1.4.1.39165";
        snmp.Attributes["<b>key</b>"] = AttributeBreakout;
        camera.Observations.Add(snmp);
        camera.Observations.Add(new DiscoveryObservation(camera.Address, DiscoveryProtocol.Ssdp)
        {
            Name = ScriptName,
        });
        return camera;
    }
}
