using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.Rules;
using IoTAdmin.Engine.Discovery;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>The sweep and the two baseline rules against real snmpd agents on loopback.</summary>
[Collection(SnmpSocketCollection.Name)]
public sealed class SnmpSweepAndRuleTests : IClassFixture<SnmpdAgent>
{
    private readonly SnmpdAgent _agent;

    public SnmpSweepAndRuleTests(SnmpdAgent agent)
    {
        _agent = agent;
    }

    [Fact]
    public async Task Sweep_Loopback_ShouldFindAndDescribeTheAgent()
    {
        var options = SweepOptions("127.0.0.1/32", "wrong", "public");
        var log = new ListLog();

        var found = await new SnmpSweepDiscovery(_agent.Port).DiscoverAsync(options, log, default);

        var observation = Assert.Single(found);
        Assert.Equal("127.0.0.1", observation.Address);
        Assert.Equal(DiscoveryProtocol.Snmp, observation.Protocol);
        Assert.Equal(SnmpdAgent.SysName, observation.Name);
        Assert.Equal(SnmpdAgent.SysDescr, observation.Description);
        Assert.Equal("Hikvision", observation.Vendor);
        Assert.Equal("DS-2CD2142FWD-I", observation.Model);
        Assert.Equal("5.4.5", observation.FirmwareVersion);
        Assert.Equal("1.3.6.1.4.1.39165.1.1", observation.Attributes["snmp.sysObjectID"]);
        Assert.Equal("v1,v2c,v3", observation.Attributes["snmp.versions"]);
        Assert.Equal("TRUE", observation.Attributes["snmp.community.accepted"]);
        Assert.Equal(_agent.EngineIdFromSnmpget(), observation.Attributes["snmp.engineId"]);
        var service = Assert.Single(observation.Services);
        Assert.Equal(("snmp", ServiceTransport.Udp, _agent.Port), (service.Name, service.Transport, service.Port));
        Assert.DoesNotContain(observation.Attributes.Values, v => v.Contains("public"));
        Assert.DoesNotContain(log.Lines, l => l.Contains("public") || l.Contains("wrong"));
    }

    [Fact]
    public async Task Sweep_WrongCommunity_ShouldStillReportTheV3Engine()
    {
        var options = SweepOptions("127.0.0.1/32", "guess");

        var found = await new SnmpSweepDiscovery(_agent.Port).DiscoverAsync(options, new ListLog(), default);

        var observation = Assert.Single(found);
        Assert.Equal("v3", observation.Attributes["snmp.versions"]);
        Assert.Equal("FALSE", observation.Attributes["snmp.community.accepted"]);
        Assert.Null(observation.Description);
    }

    [Fact]
    public async Task Sweep_RangeWithoutAgents_ShouldEndWithinTheTimeout()
    {
        var options = SweepOptions("127.0.1.0/24", "public");
        options.Timeout = TimeSpan.FromSeconds(2);
        options.MaxConcurrentSnmpRequests = 64;
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var found = await new SnmpSweepDiscovery(FreeUdpPort()).DiscoverAsync(options, new ListLog(), default);

        Assert.Empty(found);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0, 3.5);
    }

    [Fact]
    public async Task Sweep_TooLargeRange_ShouldThrowArgumentException()
    {
        var options = SweepOptions("10.0.0.0/8", "public");

        await Assert.ThrowsAsync<ArgumentException>(
            () => new SnmpSweepDiscovery(_agent.Port).DiscoverAsync(options, new ListLog(), default));
    }

    [Fact]
    public async Task CommunityRule_DefaultCommunities_ShouldFailWithMaskedCommunity()
    {
        var log = new ListLog();
        var context = new AuditContext(new AuditOptions { ProbeTimeout = TimeSpan.FromSeconds(1) }, log);

        var rule = new SnmpDefaultCommunityRule(_agent.Port);

        var result = await rule.EvaluateAsync(new IoTDevice("127.0.0.1"), context, default);

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Equal("IOT-SNMP-COMMUNITY", result.RuleId);
        Assert.Equal(new[] { "SYS.4.4.M1", "SYS.4.4.M2" }, result.Measures);
        Assert.Contains("SNMP v2c", result.Evidence);
        Assert.Contains("'p*******'", result.Evidence);
        Assert.DoesNotContain("public", result.Evidence);
        Assert.DoesNotContain(log.Lines, l => l.Contains("public"));
        Assert.Contains(log.Lines, l => l.StartsWith("VERBOSE Trying 5 SNMP communities"));
    }

    [Fact]
    public async Task CommunityRule_NoAcceptedCommunity_ShouldPassWithEvidence()
    {
        var audit = new AuditOptions { ProbeTimeout = TimeSpan.FromMilliseconds(500) };
        audit.Communities.AddRange(new[] { "nope-1", "nope-2" });
        var device = new IoTDevice("127.0.0.1");
        device.AddService(new DeviceService("snmp", ServiceTransport.Udp, _agent.Port, DiscoveryProtocol.Snmp));

        var result = await new SnmpDefaultCommunityRule(_agent.Port)
            .EvaluateAsync(device, new AuditContext(audit, new ListLog()), default);

        Assert.Equal(RuleOutcome.Pass, result.Outcome);
        Assert.Contains("2 communities", result.Evidence);
        Assert.Contains("An SNMP agent is present", result.Evidence);
    }

    [Fact]
    public async Task CommunityRule_NoAgentAtAll_ShouldBeNotApplicable()
    {
        // No agent listens on this loopback port: neither a community nor v3 engine discovery answers.
        var audit = new AuditOptions { ProbeTimeout = TimeSpan.FromMilliseconds(300) };
        var device = new IoTDevice("127.0.0.1");

        var result = await new SnmpDefaultCommunityRule(FreeUdpPort())
            .EvaluateAsync(device, new AuditContext(audit, new ListLog()), default);

        Assert.Equal(RuleOutcome.NotApplicable, result.Outcome);
        Assert.Contains("No SNMP agent answered", result.Evidence);
    }

    [Fact]
    public async Task LegacyRule_AgentWithCommunity_ShouldFail()
    {
        var context = new AuditContext(new AuditOptions { ProbeTimeout = TimeSpan.FromSeconds(1) }, new ListLog());

        var rule = new SnmpLegacyVersionRule(_agent.Port);

        var result = await rule.EvaluateAsync(new IoTDevice("127.0.0.1"), context, default);

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Equal(new[] { "SYS.4.4.M11", "SYS.4.4.M13" }, result.Measures);
        Assert.Contains("v1 and v2c", result.Evidence);
        Assert.DoesNotContain("public", result.Evidence);
    }

    [Fact]
    public async Task LegacyRule_V3OnlyAgent_ShouldPassAndSweepShouldSayV3()
    {
        using var v3Only = SnmpdAgent.StartV3Only();
        var context = Context(TimeSpan.FromMilliseconds(700));
        var rule = new SnmpLegacyVersionRule(v3Only.Port);

        var result = await rule.EvaluateAsync(new IoTDevice("127.0.0.1"), context, default);
        var found = await new SnmpSweepDiscovery(v3Only.Port)
            .DiscoverAsync(SweepOptions("127.0.0.1/32", "public", "private"), new ListLog(), default);

        Assert.Equal(RuleOutcome.Pass, result.Outcome);
        Assert.Contains(v3Only.EngineIdFromSnmpget(), result.Evidence);
        Assert.Equal("v3", Assert.Single(found).Attributes["snmp.versions"]);
    }

    [Fact]
    public async Task LegacyRule_NoAgent_ShouldBeNotApplicable()
    {
        var rule = new SnmpLegacyVersionRule(FreeUdpPort());

        var context = Context(TimeSpan.FromMilliseconds(300));

        var result = await rule.EvaluateAsync(new IoTDevice("127.0.0.1"), context, default);

        Assert.Equal(RuleOutcome.NotApplicable, result.Outcome);
    }

    [Theory]
    [InlineData("v3", RuleOutcome.Pass)]
    [InlineData("v2c,v3", RuleOutcome.Fail)]
    [InlineData("v1", RuleOutcome.Fail)]
    public async Task LegacyRule_DiscoveryAttributes_ShouldBeUsedWithoutProbing(string versions, RuleOutcome expected)
    {
        var device = new IoTDevice("192.0.2.10");
        var observation = new DiscoveryObservation(device.Address, DiscoveryProtocol.Snmp);
        observation.Attributes["snmp.versions"] = versions;
        device.Observations.Add(observation);
        var context = new AuditContext(new AuditOptions(), new ListLog());

        var result = await new SnmpLegacyVersionRule().EvaluateAsync(device, context, default);

        Assert.Equal(expected, result.Outcome);
    }

    [Fact]
    public async Task Rules_DeviceWithoutIpAddress_ShouldGiveError()
    {
        var device = new IoTDevice("cam1.local");
        var context = Context(TimeSpan.FromMilliseconds(100));

        var community = await new SnmpDefaultCommunityRule().EvaluateAsync(device, context, default);
        var legacy = await new SnmpLegacyVersionRule().EvaluateAsync(device, context, default);

        Assert.Equal(RuleOutcome.Error, community.Outcome);
        Assert.Equal(RuleOutcome.Error, legacy.Outcome);
    }

    [Fact]
    public void Rules_ShouldHaveParameterlessConstructorsForReflection()
    {
        Assert.NotNull(Activator.CreateInstance(typeof(SnmpDefaultCommunityRule)));
        Assert.NotNull(Activator.CreateInstance(typeof(SnmpLegacyVersionRule)));
    }

    private static AuditContext Context(TimeSpan probeTimeout) =>
        new(new AuditOptions { ProbeTimeout = probeTimeout }, new ListLog());

    private static DiscoveryOptions SweepOptions(string subnet, params string[] communities)
    {
        var options = new DiscoveryOptions { Timeout = TimeSpan.FromSeconds(3) };
        options.Subnets.Add(subnet);
        options.Communities.Clear();
        options.Communities.AddRange(communities);
        return options;
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
