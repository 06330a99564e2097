using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>The v3 client against scripted agents: spoofing, odd Reports (BR-12) and undecryptable answers.</summary>
[Collection(SnmpSocketCollection.Name)]
public sealed class SnmpClientUsmTests
{
    private const string UnknownEngineIds = "1.3.6.1.6.3.15.1.1.4.0";
    private const string NotInTimeWindows = "1.3.6.1.6.3.15.1.1.2.0";
    private static readonly ObjectIdentifier[] s_sysName = { ObjectIdentifier.Parse("1.3.6.1.2.1.1.5.0") };
    // Generous, since answers are immediate; a busy test machine must not turn them into timeouts.
    private static readonly SnmpRequestOptions s_options = new() { Timeout = TimeSpan.FromSeconds(3), Retries = 0 };
    private static readonly SnmpRequestOptions s_quick =
        new() { Timeout = TimeSpan.FromMilliseconds(700), Retries = 0 };

    private static readonly SnmpV3Credential s_user = new("ops", SnmpAuthProtocol.Sha256, "right-auth-pass");

    [Fact]
    public async Task Get_SpoofedAnswerBeforeTheGenuineOne_ShouldBeDroppedAndCounted()
    {
        var forger = new SnmpV3Credential("ops", SnmpAuthProtocol.Sha256, "forged-auth-pass");
        using var agent = new UsmScriptedAgent(request => IsDiscovery(request)
            ? new[] { UsmScriptedAgent.Report(request, UnknownEngineIds, 3, 100) }
            : new[]
            {
                UsmScriptedAgent.Respond(request, forger, 3, 100, "forged"),
                UsmScriptedAgent.Respond(request, s_user, 3, 100, "genuine"),
            });
        using var client = new SnmpClient();

        var response = await client.GetAsync(agent.EndPoint, s_user, s_sysName, s_options, default);

        Assert.Equal("genuine", response.Variables.Single().Value.ToString());
        Assert.Equal(1, client.DroppedUnauthenticatedMessages);
    }

    [Fact]
    public async Task Get_OnlySpoofedAnswers_ShouldTimeOut()
    {
        var forger = new SnmpV3Credential("ops", SnmpAuthProtocol.Sha256, "forged-auth-pass");
        using var agent = new UsmScriptedAgent(request => IsDiscovery(request)
            ? new[] { UsmScriptedAgent.Report(request, UnknownEngineIds, 3, 100) }
            : new[] { UsmScriptedAgent.Respond(request, forger, 3, 100, "forged") });
        using var client = new SnmpClient();

        await Assert.ThrowsAsync<SnmpTimeoutException>(
            () => client.GetAsync(agent.EndPoint, s_user, s_sysName, s_quick, default));

        Assert.Equal(1, client.DroppedUnauthenticatedMessages);
    }

    [Fact]
    public async Task Get_NotInTimeWindowReportWithOddFlags_ShouldAdoptItsTimeAndRetryOnce()
    {
        // BR-12: discovery said boots 0 / time 0; the agent really is at boots 2 / time 500 and marks
        // its Report as authenticated without carrying a digest.
        using var agent = new UsmScriptedAgent(request =>
        {
            if (IsDiscovery(request))
            {
                return new[] { UsmScriptedAgent.Report(request, UnknownEngineIds, 0, 0) };
            }

            return request.Security.EngineBoots == 2
                ? new[] { UsmScriptedAgent.Respond(request, s_user, 2, 501, "synchronised") }
                : new[] { UsmScriptedAgent.Report(request, NotInTimeWindows, 2, 500, SnmpV3Flags.Authentication) };
        });
        using var client = new SnmpClient();

        var response = await client.GetAsync(agent.EndPoint, s_user, s_sysName, s_options, default);

        Assert.Equal("synchronised", response.Variables.Single().Value.ToString());
        var requests = agent.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(0, requests[1].Security.EngineBoots);
        Assert.Equal(2, requests[2].Security.EngineBoots);
        Assert.InRange(requests[2].Security.EngineTime, 500, 502);
    }

    [Fact]
    public async Task Get_NotInTimeWindowTwice_ShouldRetryOnlyOnceAndSaySo()
    {
        using var agent = new UsmScriptedAgent(request => IsDiscovery(request)
            ? new[] { UsmScriptedAgent.Report(request, UnknownEngineIds, 0, 0) }
            : new[] { UsmScriptedAgent.Report(request, NotInTimeWindows, 9, 9) });
        using var client = new SnmpClient();

        var error = await Assert.ThrowsAsync<SnmpUsmException>(
            () => client.GetAsync(agent.EndPoint, s_user, s_sysName, s_options, default));

        Assert.Equal(SnmpUsmError.NotInTimeWindow, error.Error);
        Assert.Equal(3, agent.Requests.Count);
    }

    [Fact]
    public async Task Get_AuthenticAnswerThatDoesNotDecrypt_ShouldReportDecryptionError()
    {
        var ours = new SnmpV3Credential(
            "ops", SnmpAuthProtocol.Sha1, "right-auth-pass", SnmpPrivProtocol.Aes128, "right-priv-pass");
        var otherPriv = new SnmpV3Credential(
            "ops", SnmpAuthProtocol.Sha1, "right-auth-pass", SnmpPrivProtocol.Des, "other-priv-pass");
        using var agent = new UsmScriptedAgent(request => IsDiscovery(request)
            ? new[] { UsmScriptedAgent.Report(request, UnknownEngineIds, 1, 1) }
            : new[] { UsmScriptedAgent.Respond(request, otherPriv, 1, 1, "scrambled") });
        using var client = new SnmpClient();

        var error = await Assert.ThrowsAsync<SnmpUsmException>(
            () => client.GetAsync(agent.EndPoint, ours, s_sysName, s_options, default));

        Assert.Equal(SnmpUsmError.DecryptionError, error.Error);
        Assert.Null(error.ReportOid);
    }

    [Fact]
    public async Task Requests_ShouldCarryEncryptedPduAndDigestOfTheRightLength()
    {
        var credential = new SnmpV3Credential(
            "ops", SnmpAuthProtocol.Sha512, "right-auth-pass", SnmpPrivProtocol.Aes256, "right-priv-pass");
        using var agent = new UsmScriptedAgent(request => IsDiscovery(request)
            ? new[] { UsmScriptedAgent.Report(request, UnknownEngineIds, 1, 1) }
            : new[] { UsmScriptedAgent.Respond(request, credential, 1, 1, "ok") });
        using var client = new SnmpClient();

        var response = await client.GetAsync(agent.EndPoint, credential, s_sysName, s_options, default);

        var request = agent.Requests[1];
        Assert.Equal("ok", response.Variables.Single().Value.ToString());
        Assert.Equal(SnmpV3Flags.Authentication | SnmpV3Flags.Privacy | SnmpV3Flags.Reportable, request.Flags);
        Assert.Null(request.Pdu);
        Assert.Equal(48, request.Security.AuthenticationParameters.Length);
        Assert.Equal(8, request.Security.PrivacyParameters.Length);
        Assert.Equal(UsmScriptedAgent.EngineId, request.Security.EngineId);
    }

    private static bool IsDiscovery(SnmpV3Message request) => request.Security.UserName.Length == 0;
}
