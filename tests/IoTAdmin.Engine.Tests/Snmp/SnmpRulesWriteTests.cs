using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.Rules;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>IOT-SNMP-WRITE against real snmpd agents on loopback and a scripted agent.</summary>
[Collection(SnmpSocketCollection.Name)]
public sealed class SnmpRulesWriteTests
{
    private const string RwCommunity = "rw-secret-2026";
    private static readonly ObjectIdentifier s_sysLocation = ObjectIdentifier.Parse("1.3.6.1.2.1.1.6.0");

    [Fact]
    public async Task Write_ReadWriteCommunity_ShouldFailAndLeaveTheValueUnchanged()
    {
        using var agent = new SnmpdAgent(true, new[] { $"rwcommunity {RwCommunity} 127.0.0.1" });
        var log = new ListLog();
        var audit = new AuditOptions { ProbeTimeout = TimeSpan.FromSeconds(1) };
        audit.Communities.AddRange(new[] { "public", RwCommunity });

        var result = await new SnmpWriteAccessRule(agent.Port)
            .EvaluateAsync(new IoTDevice("127.0.0.1"), new AuditContext(audit, log), default);

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Equal("IOT-SNMP-WRITE", result.RuleId);
        Assert.Equal(new[] { "SYS.4.4.M2", "SYS.4.4.M13", "SYS.4.4.M15" }, result.Measures);
        Assert.Equal(Severity.Critical, result.Severity);
        Assert.Contains("'********'", result.Evidence);
        Assert.Contains("notWritable", result.Evidence);
        AssertNoSecret(RwCommunity, result, log);
        Assert.Equal("STRING: \"lab rack 3\"", ReadSysLocation(agent).Trim());
    }

    [Fact]
    public async Task Write_ReadOnlyCommunity_ShouldPassNamingWhatSnmpdAnswered()
    {
        using var agent = new SnmpdAgent();
        var log = new ListLog();
        var context = new AuditContext(new AuditOptions { ProbeTimeout = TimeSpan.FromSeconds(1) }, log);

        var result = await new SnmpWriteAccessRule(agent.Port)
            .EvaluateAsync(new IoTDevice("127.0.0.1"), context, default);

        Assert.Equal(RuleOutcome.Pass, result.Outcome);
        Assert.Contains("SNMP v2c community 'p*******' is read-only", result.Evidence);
        Assert.Contains("sysLocation.0: noAccess", result.Evidence);
        AssertNoSecret("public", result, log);
        Assert.Equal("STRING: \"lab rack 3\"", ReadSysLocation(agent).Trim());
    }

    [Fact]
    public async Task Write_AgentAcceptingTheSet_ShouldFailAfterWritingTheValueRead()
    {
        var location = SnmpValue.FromString("Hall 2, rack 7");
        using var agent = new ScriptedAgent(request => new[] { new AgentReply(Answer(request, location)) });
        var audit = new AuditOptions { ProbeTimeout = TimeSpan.FromMilliseconds(500) };
        audit.Communities.Add("private");

        var result = await new SnmpWriteAccessRule(agent.EndPoint.Port)
            .EvaluateAsync(new IoTDevice("127.0.0.1"), new AuditContext(audit, new ListLog()), default);

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Contains("accepted a SET of sysLocation.0", result.Evidence);
        Assert.Contains("read back unchanged", result.Evidence);
        var set = Assert.Single(agent.Requests, r => r.Pdu.Type == SnmpPduType.SetRequest);
        Assert.Equal(SnmpVersion.V2c, set.Version);
        var written = Assert.Single(set.Pdu.Variables);
        Assert.Equal((s_sysLocation, location), (written.Oid, written.Value));
    }

    [Fact]
    public async Task Write_NothingReadable_ShouldNeverSendASet()
    {
        using var agent = new ScriptedAgent(request => new[]
        {
            new AgentReply(ScriptedAgent.Respond(
                request, request.Pdu.Variables.Select(v => new SnmpVariable(v.Oid, SnmpValue.Null)), errorStatus: 2)),
        });
        var audit = new AuditOptions { ProbeTimeout = TimeSpan.FromMilliseconds(500) };
        audit.Communities.Add("private");

        var result = await new SnmpWriteAccessRule(agent.EndPoint.Port)
            .EvaluateAsync(new IoTDevice("127.0.0.1"), new AuditContext(audit, new ListLog()), default);

        Assert.Equal(RuleOutcome.NotApplicable, result.Outcome);
        Assert.Contains("nothing was written", result.Evidence);
        Assert.DoesNotContain(agent.Requests, r => r.Pdu.Type == SnmpPduType.SetRequest);
    }

    [Fact]
    public async Task Write_NoAgent_ShouldBeNotApplicable()
    {
        var audit = new AuditOptions { ProbeTimeout = TimeSpan.FromMilliseconds(300) };

        var result = await new SnmpWriteAccessRule(FreeUdpPort())
            .EvaluateAsync(new IoTDevice("127.0.0.1"), new AuditContext(audit, new ListLog()), default);

        Assert.Equal(RuleOutcome.NotApplicable, result.Outcome);
        Assert.Contains("No community among 5", result.Evidence);
    }

    [Fact]
    public async Task Write_DeviceWithoutIpAddress_ShouldGiveError()
    {
        var context = new AuditContext(new AuditOptions(), new ListLog());

        var result = await new SnmpWriteAccessRule().EvaluateAsync(new IoTDevice("cam1.local"), context, default);

        Assert.Equal(RuleOutcome.Error, result.Outcome);
    }

    [Fact]
    public void Rules_ShouldHaveParameterlessConstructorsForReflection()
    {
        Assert.NotNull(Activator.CreateInstance(typeof(SnmpWriteAccessRule)));
        Assert.NotNull(Activator.CreateInstance(typeof(SnmpV3SecurityLevelRule)));
        Assert.NotNull(Activator.CreateInstance(typeof(SnmpV3WeakAlgorithmRule)));
        var ids = new BaselineAuditor().Rules.Select(r => r.Id).ToList();
        Assert.Contains("IOT-SNMP-WRITE", ids);
        Assert.Contains("IOT-SNMP-V3-SECLEVEL", ids);
        Assert.Contains("IOT-SNMP-V3-WEAKALG", ids);
    }

    /// <summary>A scripted agent that answers GETs with the location and echoes SETs as accepted.</summary>
    private static byte[] Answer(SnmpCommunityMessage request, SnmpValue location)
    {
        if (request.Pdu.Type == SnmpPduType.SetRequest)
        {
            return ScriptedAgent.Respond(request, request.Pdu.Variables);
        }

        return ScriptedAgent.Respond(request, request.Pdu.Variables.Select(v => new SnmpVariable(
            v.Oid, v.Oid.Equals(s_sysLocation) ? location : SnmpValue.Exception(SnmpType.NoSuchObject))));
    }

    private static string ReadSysLocation(SnmpdAgent agent) =>
        SnmpdAgent.RunTool("/usr/bin/snmpget", "-v2c", "-c", "public", "-m", "", "-Ov", "-t", "2", "-r", "1",
            agent.Target, "1.3.6.1.2.1.1.6.0");

    private static void AssertNoSecret(string secret, RuleResult result, ListLog log)
    {
        Assert.DoesNotContain(secret, result.Evidence);
        Assert.DoesNotContain(log.Lines, line => line.Contains(secret));
        Assert.NotEmpty(log.Lines);
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
