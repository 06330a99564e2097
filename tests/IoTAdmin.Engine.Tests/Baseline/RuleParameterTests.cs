using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.Rules;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Tests.Baseline;

public sealed class RuleParameterTests
{
    private static readonly BaselineRuleInfo s_telnet = new TelnetOpenRule().Info;

    [Fact]
    public void Convert_ShouldAcceptTheShapesDataFilesHold()
    {
        var ports = new RuleParameter<int[]>("Ports", new[] { 22 }, "ports");
        var length = new RuleParameter<int>("MinimumLength", 12, "length");
        var tls = new RuleParameter<string>("MinimumTlsVersion", "1.2", "tls");
        var strict = new RuleParameter<bool>("Strict", false, "strict");

        Assert.Equal(new[] { 2222 }, ports.Convert(2222L));
        Assert.Equal(new[] { 22, 2222 }, ports.Convert(new object[] { 22, "2222" }));
        Assert.Equal(14, length.Convert(new object[] { 14 }));
        Assert.Equal("1.3", tls.Convert(1.3));
        Assert.Equal(true, strict.Convert("True"));
    }

    [Theory]
    [InlineData("many")]
    [InlineData(3000000000L)]
    [InlineData(1.5)]
    public void Convert_WithNoWholeNumber_ShouldNameTheParameter(object raw)
    {
        var length = new RuleParameter<int>("MinimumLength", 12, "length");

        var error = Assert.Throws<FormatException>(() => length.Convert(raw));

        Assert.Contains("MinimumLength", error.Message);
    }

    [Fact]
    public void Convert_WithListForScalar_ShouldThrow()
    {
        var length = new RuleParameter<int>("MinimumLength", 12, "length");

        Assert.Throws<FormatException>(() => length.Convert(new object[] { 8, 12 }));
    }

    [Fact]
    public void Create_WithUndeclaredName_ShouldListTheRulesParameters()
    {
        var raw = new[] { new KeyValuePair<string, object?>("Port", 2323) };

        var error = Assert.Throws<ArgumentException>(() => RuleSettings.Create(s_telnet, null, raw));

        Assert.Contains("IOT-TELNET-OPEN", error.Message);
        Assert.Contains("Ports", error.Message);
    }

    [Fact]
    public void GetParameter_WithoutSettings_ShouldReturnTheDefault()
    {
        var context = new AuditContext(new AuditOptions(), NullActivityLog.Instance);

        Assert.Equal(new[] { 23 }, context.GetParameter(s_telnet, TelnetOpenRule.Ports));
    }

    [Fact]
    public void GetParameter_WithUndeclaredParameter_ShouldThrow()
    {
        var stray = new RuleParameter<int>("Stray", 1, "not declared");
        var context = new AuditContext(new AuditOptions(), NullActivityLog.Instance);

        Assert.Throws<InvalidOperationException>(() => context.GetParameter(s_telnet, stray));
    }

    [Fact]
    public void Merge_ShouldLayTheLaterValuesAndSeverityOverTheEarlier()
    {
        var basic = RuleSettings.Create(s_telnet, Severity.Low, Pairs(("Ports", 23)));
        var camera = RuleSettings.Create(s_telnet, null, Pairs(("Ports", new object[] { 23, 2323 })));

        var merged = basic.Merge(camera);

        Assert.Equal(Severity.Low, merged.Severity);
        Assert.Equal(new[] { 23, 2323 }, merged.Get(TelnetOpenRule.Ports));
    }

    [Fact]
    public async Task AuditDevice_WithPortsParameterAndSeverity_ShouldProbeThatPortAndCarryTheSeverity()
    {
        // A real listener stands in for a Telnet service on a port the rule only checks when told to.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var settings = new Dictionary<string, RuleSettings>(StringComparer.OrdinalIgnoreCase)
        {
            ["iot-telnet-open"] = RuleSettings.Create(s_telnet, Severity.Critical, Pairs(("Ports", port))),
        };
        var options = new AuditOptions { ProbeTimeout = TimeSpan.FromSeconds(2) };
        var context = new AuditContext(options, NullActivityLog.Instance, settings);
        var auditor = new BaselineAuditor(new[] { "IOT-TELNET-OPEN" });

        var results = await auditor.AuditAsync(new IoTDevice("127.0.0.1"), context, CancellationToken.None);

        var result = Assert.Single(results);
        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Equal(Severity.Critical, result.Severity);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Evidence);
    }

    private static IEnumerable<KeyValuePair<string, object?>> Pairs(params (string Key, object Value)[] pairs) =>
        pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value));
}
