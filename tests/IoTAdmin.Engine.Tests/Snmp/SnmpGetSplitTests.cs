using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>GET requests that an agent answers with tooBig are split until the answers fit (BR-14).</summary>
[Collection(SnmpSocketCollection.Name)]
public sealed class SnmpGetSplitTests
{
    private static readonly IReadOnlyList<ObjectIdentifier> s_fiveOids = Enumerable.Range(1, 5)
        .Select(i => ObjectIdentifier.Parse($"1.3.6.1.2.1.1.{i}.0"))
        .ToList();

    [Fact]
    public async Task Get_TooBigForMoreThanTwoOids_ShouldSplitAndReturnEveryValueInOrder()
    {
        using var agent = new ScriptedAgent(request => new[]
        {
            request.Pdu.Variables.Count > 2
                ? new AgentReply(ScriptedAgent.Respond(request, request.Pdu.Variables, errorStatus: 1))
                : new AgentReply(ScriptedAgent.Respond(request, request.Pdu.Variables
                    .Select(v => new SnmpVariable(v.Oid, SnmpValue.FromString("value of " + v.Oid))).ToList())),
        });
        using var client = new SnmpClient();

        var response = await client.GetAsync(agent.EndPoint, SnmpVersion.V2c, "public", s_fiveOids, Options(), default);

        Assert.True(response.IsSuccess);
        Assert.Equal(s_fiveOids, response.Variables.Select(v => v.Oid));
        Assert.All(response.Variables, v => Assert.Equal("value of " + v.Oid, v.Value.ToString()));
    }

    [Fact]
    public async Task Get_TooBigEvenForOneOid_ShouldEndWithTooBigInsteadOfLooping()
    {
        using var agent = new ScriptedAgent(request => new[]
        {
            new AgentReply(ScriptedAgent.Respond(request, request.Pdu.Variables, errorStatus: 1)),
        });
        using var client = new SnmpClient();

        var response = await client.GetAsync(agent.EndPoint, SnmpVersion.V2c, "public", s_fiveOids, Options(), default);

        Assert.Equal(SnmpErrorStatus.TooBig, response.ErrorStatus);

        // 5 OIDs split into halves down to single OIDs: 1 + 2 + 4 + 2 requests at the most.
        Assert.InRange(agent.Requests.Count, 5, 9);
    }

    private static SnmpRequestOptions Options() =>
        new SnmpRequestOptions { Timeout = TimeSpan.FromSeconds(1), Retries = 0 };
}
