using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>
/// Authenticated SNMPv3 against a real snmpd: every auth × priv combination walked by us and by
/// net-snmp's snmpwalk, value for value, and each USM failure reported as itself, never as a timeout.
/// </summary>
[Collection(SnmpSocketCollection.Name)]
public sealed class SnmpdUsmIntegrationTests : IClassFixture<SnmpdUsmAgent>
{
    private static readonly ObjectIdentifier s_system = ObjectIdentifier.Parse("1.3.6.1.2.1.1");
    private static readonly ObjectIdentifier[] s_sysName = { ObjectIdentifier.Parse("1.3.6.1.2.1.1.5.0") };
    private static readonly SnmpRequestOptions s_options = new() { Timeout = TimeSpan.FromSeconds(2), Retries = 1 };
    // For requests the agent is expected to ignore; still long enough for a loaded test machine.
    private static readonly SnmpRequestOptions s_quick = new() { Timeout = TimeSpan.FromSeconds(1), Retries = 1 };

    private readonly SnmpdAgent _agent;

    public SnmpdUsmIntegrationTests(SnmpdUsmAgent fixture)
    {
        _agent = fixture.Agent;
    }

    public static TheoryData<string> UserNames()
    {
        var data = new TheoryData<string>();
        foreach (var user in SnmpdUsmAgent.Users)
        {
            data.Add(user.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UserNames))]
    public async Task Walk_EveryUsmCombination_ShouldEqualSnmpwalk(string userName)
    {
        var user = SnmpdUsmAgent.User(userName);
        var expected = Snmpwalk(user, s_system);
        using var client = new SnmpClient();

        var result = await client.WalkAsync(_agent.EndPoint, user.Credential(), s_system, s_options, default);

        Assert.True(result.IsComplete, result.Problem);
        Assert.True(expected.Count >= 7, $"snmpwalk as {userName} returned only {expected.Count} lines.");
        Assert.Equal(expected.Select(e => e.Oid), result.Variables.Select(v => "." + v.Oid));
        foreach (var (variable, line) in result.Variables.Zip(expected))
        {
            SnmpdIntegrationTests.AssertSameValue(line.Value, variable);
        }

        Assert.Equal(0, client.DroppedUnauthenticatedMessages);
    }

    [Fact]
    public async Task GetGetNextAndSet_AuthPriv_ShouldBehaveAsSnmpget()
    {
        var credential = SnmpdUsmAgent.User("u_sha256_aes256c").Credential();
        using var client = new SnmpClient();

        var get = await client.GetAsync(_agent.EndPoint, credential, s_sysName, s_options, default);
        var next = await client.GetNextAsync(_agent.EndPoint, credential, new[] { s_system }, s_options, default);
        var set = await client.SetAsync(
            _agent.EndPoint,
            credential,
            new[] { new SnmpVariable(s_sysName[0], SnmpValue.FromString("x")) },
            s_options,
            default);

        Assert.Equal(SnmpdAgent.SysName, get.Variables.Single().Value.ToString());
        Assert.Equal(SnmpdAgent.SysDescr, next.Variables.Single().Value.ToString());
        Assert.False(set.IsSuccess, "a read-only user must not be able to set sysName");
        Assert.Equal(SnmpVersion.V3, get.Version);
    }

    [Fact]
    public async Task Get_WrongAuthPassphrase_ShouldReportWrongDigest()
    {
        var credential = SnmpdUsmAgent.User("u_sha512_aes").Credential(authPassphrase: "not-the-passphrase");
        using var client = new SnmpClient();

        var error = await Assert.ThrowsAsync<SnmpUsmException>(
            () => client.GetAsync(_agent.EndPoint, credential, s_sysName, s_options, default));

        Assert.Equal(SnmpUsmError.WrongDigest, error.Error);
        Assert.Equal("1.3.6.1.6.3.15.1.1.5.0", error.ReportOid?.ToString());
        Assert.DoesNotContain("not-the-passphrase", error.Message);
    }

    [Fact]
    public async Task Get_UnknownUser_ShouldReportUnknownUserName()
    {
        var credential = new SnmpV3Credential("nobody", SnmpAuthProtocol.Sha1, "whatever-123");
        using var client = new SnmpClient();

        var error = await Assert.ThrowsAsync<SnmpUsmException>(
            () => client.GetAsync(_agent.EndPoint, credential, s_sysName, s_options, default));

        Assert.Equal(SnmpUsmError.UnknownUserName, error.Error);
        Assert.Contains("nobody", error.Message);
    }

    [Fact]
    public async Task Get_WrongPrivPassphrase_ShouldReportDecryptionErrorNotTimeout()
    {
        var credential = SnmpdUsmAgent.User("u_sha_aes").Credential(privPassphrase: "not-the-priv-pass");
        using var client = new SnmpClient();

        var error = await Assert.ThrowsAsync<SnmpUsmException>(
            () => client.GetAsync(_agent.EndPoint, credential, s_sysName, s_quick, default));

        Assert.Equal(SnmpUsmError.DecryptionError, error.Error);
        Assert.DoesNotContain("not-the-priv-pass", error.Message);
    }

    [Theory]
    [InlineData("u_sha_aes256", SnmpPrivProtocol.Aes256Reeder)]
    [InlineData("u_md5_aes192c", SnmpPrivProtocol.Aes192)]
    public async Task Get_OtherAesKeyExtension_ShouldReportDecryptionError(string userName, SnmpPrivProtocol wrong)
    {
        var user = SnmpdUsmAgent.User(userName);
        var credential = new SnmpV3Credential(
            user.Name, user.Auth, UsmUser.AuthPassphrase, wrong, UsmUser.PrivPassphrase);
        using var client = new SnmpClient();

        var error = await Assert.ThrowsAsync<SnmpUsmException>(
            () => client.GetAsync(_agent.EndPoint, credential, s_sysName, s_quick, default));

        Assert.Equal(SnmpUsmError.DecryptionError, error.Error);
    }

    [Theory]
    [InlineData("u_sha_aes256c", SnmpPrivProtocol.Aes256)]
    [InlineData("u_md5_aes192", SnmpPrivProtocol.Aes192Reeder)]
    [InlineData("u_sha384_aes256", SnmpPrivProtocol.Aes256)]
    public async Task ResolveAesKeyExtension_ShouldFindTheAgentsFlavour(string userName, SnmpPrivProtocol guess)
    {
        var user = SnmpdUsmAgent.User(userName);
        var credential = new SnmpV3Credential(
            user.Name, user.Auth, UsmUser.AuthPassphrase, guess, UsmUser.PrivPassphrase);
        using var client = new SnmpClient();

        var resolved = await client.ResolveAesKeyExtensionAsync(_agent.EndPoint, credential, s_quick, default);

        Assert.Equal(user.Priv, resolved.PrivProtocol);
        var get = await client.GetAsync(_agent.EndPoint, resolved, s_sysName, s_options, default);
        Assert.Equal(SnmpdAgent.SysName, get.Variables.Single().Value.ToString());
    }

    [Fact]
    public async Task Get_PrivacyForAnAuthOnlyUser_ShouldReportUnsupportedSecurityLevel()
    {
        var credential = new SnmpV3Credential(
            SnmpdUsmAgent.AuthOnlyUser, SnmpAuthProtocol.Sha1, UsmUser.AuthPassphrase,
            SnmpPrivProtocol.Aes128, UsmUser.PrivPassphrase);
        using var client = new SnmpClient();

        var error = await Assert.ThrowsAsync<SnmpUsmException>(
            () => client.GetAsync(_agent.EndPoint, credential, s_sysName, s_options, default));

        Assert.Equal(SnmpUsmError.UnsupportedSecurityLevel, error.Error);
    }

    [Fact]
    public async Task Get_StaleZeroTimeInCache_ShouldResynchroniseOnce()
    {
        var credential = SnmpdUsmAgent.User("u_sha224_des").Credential();
        using var client = new SnmpClient();
        var engine = await client.DiscoverEngineAsync(_agent.EndPoint, s_options, default);

        // BR-12: a manager that kept boots 0 / time 0 from a bad discovery.
        client.RememberEngine(_agent.EndPoint, new SnmpEngineClock(engine!.EngineId, 0, 0));
        var get = await client.GetAsync(_agent.EndPoint, credential, s_sysName, s_options, default);

        Assert.Equal(SnmpdAgent.SysName, get.Variables.Single().Value.ToString());
        Assert.Equal(engine.EngineBoots, client.KnownEngine(_agent.EndPoint)!.EngineBoots);
    }

    private List<(string Oid, string Value)> Snmpwalk(UsmUser user, ObjectIdentifier root)
    {
        var arguments = user.ToolArguments()
            .Concat(new[] { "-On", "-Oq", "-Ot", "-Oe", "-m", "", "-t", "2", _agent.Target, root.ToString() })
            .ToArray();
        var output = SnmpdAgent.RunTool("/usr/bin/snmpwalk", arguments);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .Select(parts => (parts[0], parts.Length > 1 ? parts[1] : string.Empty))
            .ToList();
    }
}
