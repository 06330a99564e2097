using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.Rules;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>A v3-only snmpd with one user of each kind the SNMPv3 rules must tell apart.</summary>
public sealed class SnmpV3RulesAgent : IDisposable
{
    public const string Auth = "v3rules-auth-2026";
    public const string Priv = "v3rules-priv-2026";

    public SnmpV3RulesAgent()
    {
        Agent = new SnmpdAgent(false, new[]
        {
            $"createUser strong SHA-256 \"{Auth}\" AES \"{Priv}\"", "rouser -s usm strong priv",
            $"createUser authonly SHA-256 \"{Auth}\"", "rouser -s usm authonly auth",
            "createUser open", "rouser -s usm open noauth",
            $"createUser legacy MD5 \"{Auth}\" DES \"{Priv}\"", "rouser -s usm legacy priv",
            $"createUser sha1user SHA \"{Auth}\" AES \"{Priv}\"", "rouser -s usm sha1user priv",
            $"createUser lax SHA-256 \"{Auth}\" AES \"{Priv}\"", "rouser -s usm lax auth",
        });
    }

    public SnmpdAgent Agent { get; }

    public static SnmpV3Credential Strong =>
        new("strong", SnmpAuthProtocol.Sha256, Auth, SnmpPrivProtocol.Aes128, Priv);

    public void Dispose() => Agent.Dispose();
}

/// <summary>IOT-SNMP-V3-SECLEVEL and IOT-SNMP-V3-WEAKALG against real snmpd agents on loopback.</summary>
[Collection(SnmpSocketCollection.Name)]
public sealed class SnmpRulesV3Tests : IClassFixture<SnmpV3RulesAgent>
{
    private const string Auth = SnmpV3RulesAgent.Auth;
    private const string Priv = SnmpV3RulesAgent.Priv;
    private readonly SnmpV3RulesAgent _fixture;

    public SnmpRulesV3Tests(SnmpV3RulesAgent fixture)
    {
        _fixture = fixture;
    }

    private int Port => _fixture.Agent.Port;

    [Fact]
    public async Task SecLevel_AuthPrivUserOnly_ShouldPassAndNameTheDefaultUsersTried()
    {
        var (result, log) = await RunAsync(new SnmpV3SecurityLevelRule(Port), SnmpV3RulesAgent.Strong);

        Assert.Equal(RuleOutcome.Pass, result.Outcome);
        Assert.Equal(new[] { "SYS.4.4.M2", "SYS.4.4.M11" }, result.Measures);
        Assert.Equal(Severity.High, result.Severity);
        Assert.Contains(_fixture.Agent.EngineIdFromSnmpget(), result.Evidence);
        Assert.Contains("unknownUserName for initial, public, private, admin, user, snmp, guest", result.Evidence);
        AssertNoSecrets(result, log);
    }

    [Fact]
    public async Task SecLevel_NoCredentialSupplied_ShouldPassOnNetSnmp()
    {
        var (result, _) = await RunAsync(new SnmpV3SecurityLevelRule(Port));

        Assert.Equal(RuleOutcome.Pass, result.Outcome);
        Assert.Contains("no SNMPv3 user was supplied", result.Evidence);
    }

    [Fact]
    public async Task SecLevel_AuthNoPrivUser_ShouldFail()
    {
        var (result, log) = await RunAsync(
            new SnmpV3SecurityLevelRule(Port), new SnmpV3Credential("authonly", SnmpAuthProtocol.Sha256, Auth));

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Contains("user 'authonly' (authNoPriv, SHA-256/no privacy) works without privacy", result.Evidence);
        AssertNoSecrets(result, log);
    }

    [Fact]
    public async Task SecLevel_NoAuthUser_ShouldFail()
    {
        var (result, _) = await RunAsync(new SnmpV3SecurityLevelRule(Port), new SnmpV3Credential("open"));

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Contains("user 'open' (noAuthNoPriv) works without authentication", result.Evidence);
    }

    [Fact]
    public async Task SecLevel_AuthPrivUserAlsoAnsweredWithoutPrivacy_ShouldFail()
    {
        var lax = new SnmpV3Credential("lax", SnmpAuthProtocol.Sha256, Auth, SnmpPrivProtocol.Aes128, Priv);

        var (result, _) = await RunAsync(new SnmpV3SecurityLevelRule(Port), lax);

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Contains("user 'lax' is also answered at authNoPriv", result.Evidence);
        Assert.DoesNotContain("'lax' is also answered at noAuthNoPriv", result.Evidence);
    }

    [Fact]
    public async Task SecLevel_DefaultUserWithoutAuthentication_ShouldFail()
    {
        using var agent = new SnmpdAgent(false, new[] { "createUser initial", "rouser -s usm initial noauth" });

        var (result, _) = await RunAsync(new SnmpV3SecurityLevelRule(agent.Port));

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Contains("default user 'initial' is answered at noAuthNoPriv", result.Evidence);
    }

    [Fact]
    public async Task SecLevel_NoAgent_ShouldBeNotApplicable()
    {
        var (result, _) = await RunAsync(new SnmpV3SecurityLevelRule(FreeUdpPort()), TimeSpan.FromMilliseconds(300));

        Assert.Equal(RuleOutcome.NotApplicable, result.Outcome);
        Assert.Contains("No SNMPv3 engine answered", result.Evidence);
    }

    [Fact]
    public async Task WeakAlg_Md5AndDes_ShouldFailNamingBoth()
    {
        var legacy = new SnmpV3Credential("legacy", SnmpAuthProtocol.Md5, Auth, SnmpPrivProtocol.Des, Priv);

        var (result, log) = await RunAsync(new SnmpV3WeakAlgorithmRule(Port), legacy, SnmpV3RulesAgent.Strong);

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Equal(new[] { "SYS.4.4.M11" }, result.Measures);
        Assert.Equal(Severity.Medium, result.Severity);
        Assert.Contains("user 'legacy' (authPriv, MD5/DES) uses MD5 authentication and DES privacy", result.Evidence);
        Assert.DoesNotContain("'strong'", result.Evidence);
        AssertNoSecrets(result, log);
    }

    [Fact]
    public async Task WeakAlg_Sha1_ShouldFail()
    {
        var sha1 = new SnmpV3Credential("sha1user", SnmpAuthProtocol.Sha1, Auth, SnmpPrivProtocol.Aes128, Priv);

        var (result, _) = await RunAsync(new SnmpV3WeakAlgorithmRule(Port), sha1);

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Contains("uses SHA-1 authentication", result.Evidence);
    }

    [Fact]
    public async Task WeakAlg_Sha2AndAes_ShouldPass()
    {
        var (result, _) = await RunAsync(new SnmpV3WeakAlgorithmRule(Port), SnmpV3RulesAgent.Strong);

        Assert.Equal(RuleOutcome.Pass, result.Outcome);
        Assert.Contains("'strong' (authPriv, SHA-256/AES-128)", result.Evidence);
    }

    [Fact]
    public async Task WeakAlg_NoCredentialSupplied_ShouldBeNotCheckedOnAnAgentThatSpeaksV3()
    {
        var (result, _) = await RunAsync(new SnmpV3WeakAlgorithmRule(Port));

        Assert.Equal(RuleOutcome.NotChecked, result.Outcome);
        Assert.Contains("no SNMPv3 credential was supplied", result.Evidence);
    }

    [Fact]
    public async Task WeakAlg_NoSuppliedCredentialWorks_ShouldBeAnErrorThatSaysSo()
    {
        var wrong = new SnmpV3Credential(
            "legacy", SnmpAuthProtocol.Md5, "not-the-passphrase", SnmpPrivProtocol.Des, Priv);
        var unknown = new SnmpV3Credential("nobody", SnmpAuthProtocol.Sha256, Auth, SnmpPrivProtocol.Aes128, Priv);

        var (result, log) = await RunAsync(new SnmpV3WeakAlgorithmRule(Port), wrong, unknown);

        Assert.Equal(RuleOutcome.Error, result.Outcome);
        Assert.Contains("None of 2 supplied SNMPv3 user(s) works", result.Evidence);
        Assert.Contains("wrongDigest", result.Evidence);
        Assert.Contains("unknownUserName", result.Evidence);
        Assert.DoesNotContain(log.Lines, l => l.Contains("not-the-passphrase"));
        Assert.DoesNotContain("not-the-passphrase", result.Evidence);
    }

    private static Task<(RuleResult Result, ListLog Log)> RunAsync(
        IBaselineRule rule, params SnmpV3Credential[] credentials) =>
        RunAsync(rule, TimeSpan.FromSeconds(1), credentials);

    private static async Task<(RuleResult Result, ListLog Log)> RunAsync(
        IBaselineRule rule, TimeSpan timeout, params SnmpV3Credential[] credentials)
    {
        var audit = new AuditOptions { ProbeTimeout = timeout };
        audit.SnmpV3Credentials.AddRange(credentials);
        var log = new ListLog();
        var result = await rule.EvaluateAsync(new IoTDevice("127.0.0.1"), new AuditContext(audit, log), default);
        return (result, log);
    }

    private static void AssertNoSecrets(RuleResult result, ListLog log)
    {
        foreach (var secret in new[] { Auth, Priv })
        {
            Assert.DoesNotContain(secret, result.Evidence);
            Assert.DoesNotContain(log.Lines, line => line.Contains(secret));
        }

        Assert.NotEmpty(log.Lines);
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
