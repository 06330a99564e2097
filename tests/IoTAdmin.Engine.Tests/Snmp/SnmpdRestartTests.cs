using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>BR-12 against a real snmpd: after a restart the cached boots and time are stale.</summary>
[Collection(SnmpSocketCollection.Name)]
public sealed class SnmpdRestartTests
{
    private static readonly ObjectIdentifier[] s_sysName = { ObjectIdentifier.Parse("1.3.6.1.2.1.1.5.0") };
    private static readonly SnmpRequestOptions s_options = new() { Timeout = TimeSpan.FromSeconds(2), Retries = 1 };

    [Fact]
    public async Task Get_AfterAgentRestart_ShouldRecoverThroughOneNotInTimeWindowRetry()
    {
        using var agent = SnmpdAgent.StartV3Only();
        var credential = new SnmpV3Credential(
            SnmpdAgent.V3User, SnmpAuthProtocol.Sha1, SnmpdAgent.V3AuthPassword,
            SnmpPrivProtocol.Aes128, SnmpdAgent.V3PrivPassword);
        var log = new ListLog();
        using var client = new SnmpClient(log);
        await client.GetAsync(agent.EndPoint, credential, s_sysName, s_options, default);
        var before = client.KnownEngine(agent.EndPoint)!;

        agent.Restart();
        var after = await client.GetAsync(agent.EndPoint, credential, s_sysName, s_options, default);

        var resynchronised = client.KnownEngine(agent.EndPoint)!;
        Assert.Equal(SnmpdAgent.SysName, after.Variables.Single().Value.ToString());
        Assert.Equal(before.EngineId, resynchronised.EngineId);
        Assert.Equal(before.EngineBoots + 1, resynchronised.EngineBoots);
        Assert.True(resynchronised.EngineTimeAtSync < before.EngineTimeAtSync + 60);
        Assert.Contains(log.Lines, line => line.Contains("answered NotInTimeWindow; retrying once"));
        Assert.DoesNotContain(log.Lines, line => line.Contains(SnmpdAgent.V3AuthPassword));
    }
}
