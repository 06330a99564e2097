using System.Net;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

[Collection(SnmpSocketCollection.Name)]
public sealed class SnmpClientTests
{
    private static readonly ObjectIdentifier s_system = ObjectIdentifier.Parse("1.3.6.1.2.1.1");
    private static readonly ObjectIdentifier s_sysDescr = ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0");

    private static readonly SnmpRequestOptions s_fast = new() { Timeout = TimeSpan.FromMilliseconds(500), Retries = 0 };

    [Fact]
    public async Task Walk_EndOfMibViewOnSameOid_ShouldStopAfterOneRequest()
    {
        // BR-13 (a): the answer repeats the requested OID with endOfMibView (0x82, length 0).
        using var agent = new ScriptedAgent(request => new[]
        {
            Reply(request, new SnmpVariable(request.Pdu.Variables[0].Oid, SnmpValue.Exception(SnmpType.EndOfMibView))),
        });
        using var client = new SnmpClient();

        var result = await client.WalkAsync(agent.EndPoint, SnmpVersion.V2c, "public", s_system, s_fast, default);

        Assert.Equal(SnmpWalkStopReason.EndOfMibView, result.StopReason);
        Assert.Empty(result.Variables);
        Assert.Equal(1, result.Requests);
    }

    [Fact]
    public async Task Walk_EmptyVarbindList_ShouldStopAndReport()
    {
        // BR-13 (b): a Response whose variable-binding list is `30 00`.
        using var agent = new ScriptedAgent(request => new[] { Reply(request) });
        using var client = new SnmpClient();

        var result = await client.WalkAsync(agent.EndPoint, SnmpVersion.V2c, "public", s_system, s_fast, default);

        Assert.EndsWith("3000", Hex.Format(ScriptedAgent.Respond(agent.Requests[0], Array.Empty<SnmpVariable>())));
        Assert.Equal(SnmpWalkStopReason.EmptyResponse, result.StopReason);
        Assert.Equal(1, result.Requests);
        Assert.Contains("empty variable-binding list", result.Problem);
    }

    [Fact]
    public async Task Walk_NonIncreasingOid_ShouldStopAndReportBrokenAgent()
    {
        // BR-13 (c): the second answer goes back to an OID before the first one.
        var answers = new Queue<string>(new[] { "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.3.0" });
        using var agent = new ScriptedAgent(request => new[]
        {
            Reply(request, new SnmpVariable(ObjectIdentifier.Parse(answers.Dequeue()), SnmpValue.FromInteger(1))),
        });
        using var client = new SnmpClient();

        var result = await client.WalkAsync(agent.EndPoint, SnmpVersion.V1, "public", s_system, s_fast, default);

        Assert.Equal(SnmpWalkStopReason.NonIncreasingOid, result.StopReason);
        Assert.Single(result.Variables);
        Assert.Contains("broken agent", result.Problem);
    }

    [Fact]
    public async Task Walk_AgentRepeatingTheRequestedOid_ShouldNotLoop()
    {
        using var agent = new ScriptedAgent(request => new[]
        {
            Reply(request, new SnmpVariable(request.Pdu.Variables[0].Oid, SnmpValue.FromInteger(7))),
        });
        using var client = new SnmpClient();
        var start = ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0");

        var result = await client.WalkAsync(agent.EndPoint, SnmpVersion.V2c, "public", start, s_fast, default);

        Assert.Equal(SnmpWalkStopReason.NonIncreasingOid, result.StopReason);
        Assert.Equal(1, result.Requests);
    }

    [Fact]
    public async Task Walk_EndlessAgent_ShouldStopAtTheRequestBudget()
    {
        using var agent = new ScriptedAgent(request => new[]
        {
            Reply(request, new SnmpVariable(request.Pdu.Variables[0].Oid.Append(1), SnmpValue.FromInteger(1))),
        });
        using var client = new SnmpClient();
        var options = new SnmpRequestOptions { Timeout = TimeSpan.FromSeconds(1), Retries = 0, MaxWalkRequests = 25 };

        var result = await client.WalkAsync(agent.EndPoint, SnmpVersion.V2c, "public", s_system, options, default);

        Assert.Equal(SnmpWalkStopReason.RequestBudgetExhausted, result.StopReason);
        Assert.Equal(25, result.Requests);
        Assert.Equal(25, agent.Requests.Count);
    }

    [Fact]
    public async Task Walk_TooBigEveryTime_ShouldHalveRepetitionsAndStop()
    {
        // BR-14: error-status tooBig with the request echoed back.
        using var agent = new ScriptedAgent(request => new[]
        {
            new AgentReply(ScriptedAgent.Respond(request, request.Pdu.Variables, errorStatus: 1)),
        });
        using var client = new SnmpClient();
        var options = new SnmpRequestOptions { Timeout = TimeSpan.FromSeconds(1), Retries = 0, MaxRepetitions = 8 };

        var result = await client.WalkAsync(agent.EndPoint, SnmpVersion.V2c, "public", s_system, options, default);

        Assert.Equal(SnmpWalkStopReason.TooBig, result.StopReason);
        Assert.Equal(new[] { 8, 4, 2, 1 }, agent.Requests.Select(r => r.Pdu.MaxRepetitions));
        Assert.Contains("tooBig", result.Problem);
    }

    [Fact]
    public async Task Walk_TooBigForLargeRequests_ShouldContinueWithSmallerOnes()
    {
        using var agent = new ScriptedAgent(request => new[]
        {
            request.Pdu.MaxRepetitions > 2
                ? new AgentReply(ScriptedAgent.Respond(request, request.Pdu.Variables, errorStatus: 1))
                : Reply(request,
                    new SnmpVariable(ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0"), SnmpValue.FromString("cam")),
                    new SnmpVariable(ObjectIdentifier.Parse("1.3.6.1.2.1.2.1.0"), SnmpValue.FromInteger(2))),
        });
        using var client = new SnmpClient();
        var options = new SnmpRequestOptions { Timeout = TimeSpan.FromSeconds(1), Retries = 0, MaxRepetitions = 10 };

        var result = await client.WalkAsync(agent.EndPoint, SnmpVersion.V2c, "public", s_system, options, default);

        Assert.True(result.IsComplete);
        Assert.Equal(SnmpWalkStopReason.EndOfSubtree, result.StopReason);
        Assert.Equal("cam", result.Variables.Single().Value.ToString());
    }

    [Fact]
    public async Task Get_ErrorStatus19_ShouldReturnUnknownErrorInsteadOfThrowing()
    {
        using var agent = new ScriptedAgent(request => new[]
        {
            new AgentReply(ScriptedAgent.Respond(request, request.Pdu.Variables, errorStatus: 19)),
        });
        using var client = new SnmpClient();

        var response = await client.GetAsync(
            agent.EndPoint, SnmpVersion.V2c, "public", new[] { s_sysDescr }, s_fast, default);

        Assert.Equal(SnmpErrorStatus.UnknownError, response.ErrorStatus);
        Assert.Equal(19, response.Pdu.RawErrorStatus);
        Assert.False(response.IsSuccess);
    }

    [Fact]
    public async Task Get_StrayGarbledAndForeignDatagrams_ShouldBeIgnored()
    {
        using var agent = new ScriptedAgent(request =>
        {
            var good = ScriptedAgent.Respond(request, Descr("right"));
            var wrongId = ScriptedAgent.Respond(request, Descr("wrong id"), requestId: request.Pdu.RequestId + 1);
            var impostor = ScriptedAgent.Respond(request, Descr("impostor"));
            return new[]
            {
                new AgentReply(new byte[] { 0x30, 0x82, 0xFF }),
                new AgentReply(good.Take(good.Length - 3).ToArray()),
                new AgentReply(wrongId),
                new AgentReply(impostor, FromOtherSocket: true),
                new AgentReply(good),
            };
        });
        using var client = new SnmpClient();

        var response = await client.GetAsync(
            agent.EndPoint, SnmpVersion.V2c, "public", new[] { s_sysDescr }, s_fast, default);

        Assert.Equal("right", response.Variables.Single().Value.ToString());
    }

    [Fact]
    public async Task Get_NoAnswer_ShouldThrowTimeoutAfterEveryRetry()
    {
        using var agent = new ScriptedAgent(_ => Array.Empty<AgentReply>());
        using var client = new SnmpClient();
        var options = new SnmpRequestOptions { Timeout = TimeSpan.FromMilliseconds(200), Retries = 2 };

        var error = await Assert.ThrowsAsync<SnmpTimeoutException>(() =>
            client.GetAsync(agent.EndPoint, SnmpVersion.V2c, "secret", new[] { s_sysDescr }, options, default));

        Assert.Equal(3, error.Attempts);
        Assert.Equal(3, agent.Requests.Count);
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public async Task Get_ManyRequestsInFlight_ShouldEachGetTheirOwnAnswer()
    {
        using var agent = new ScriptedAgent(request => new[]
        {
            Reply(request, new SnmpVariable(FirstOid(request), SnmpValue.FromString(FirstOid(request).ToString()))),
        });
        using var client = new SnmpClient();

        var requests = Enumerable.Range(1, 200)
            .Select(i => ObjectIdentifier.Parse($"1.3.6.1.2.1.2.2.1.2.{i}"))
            .Select(async oid =>
                (oid, await client.GetAsync(agent.EndPoint, SnmpVersion.V2c, "public", new[] { oid }, s_fast, default)))
            .ToList();
        var results = await Task.WhenAll(requests);

        Assert.All(results, r => Assert.Equal(r.oid.ToString(), r.Item2.Variables.Single().Value.ToString()));
    }

    [Fact]
    public async Task Get_Cancelled_ShouldThrowOperationCanceled()
    {
        using var agent = new ScriptedAgent(_ => Array.Empty<AgentReply>());
        using var client = new SnmpClient();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var options = new SnmpRequestOptions { Timeout = TimeSpan.FromSeconds(10) };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.GetAsync(agent.EndPoint, SnmpVersion.V2c, "public", new[] { s_sysDescr }, options, cancel.Token));
    }

    [Fact]
    public async Task GetBulk_OverV1_ShouldBeRefused()
    {
        using var client = new SnmpClient();

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetBulkAsync(
            new IPEndPoint(IPAddress.Loopback, 9),
            SnmpVersion.V1,
            "public",
            0,
            5,
            new[] { s_system },
            s_fast,
            default));
    }

    private static ObjectIdentifier FirstOid(SnmpCommunityMessage request) => request.Pdu.Variables[0].Oid;

    private static SnmpVariable[] Descr(string text) =>
        new[] { new SnmpVariable(s_sysDescr, SnmpValue.FromString(text)) };

    private static AgentReply Reply(SnmpCommunityMessage request, params SnmpVariable[] variables) =>
        new(ScriptedAgent.Respond(request, variables));
}
