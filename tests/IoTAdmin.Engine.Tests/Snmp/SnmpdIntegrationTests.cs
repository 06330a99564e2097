using System.Globalization;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>Our client against a real snmpd, compared value for value with net-snmp's own tools.</summary>
[Collection(SnmpSocketCollection.Name)]
public sealed class SnmpdIntegrationTests : IClassFixture<SnmpdAgent>
{
    private static readonly ObjectIdentifier s_system = ObjectIdentifier.Parse("1.3.6.1.2.1.1");
    private static readonly ObjectIdentifier s_sysUpTime = ObjectIdentifier.Parse("1.3.6.1.2.1.1.3.0");
    private static readonly SnmpRequestOptions s_options = new() { Timeout = TimeSpan.FromSeconds(2), Retries = 1 };

    private readonly SnmpdAgent _agent;

    public SnmpdIntegrationTests(SnmpdAgent agent)
    {
        _agent = agent;
    }

    [Theory]
    [InlineData(SnmpVersion.V2c, "2c")]
    [InlineData(SnmpVersion.V1, "1")]
    public async Task Walk_SystemGroup_ShouldEqualSnmpwalk(SnmpVersion version, string toolVersion)
    {
        var expected = Snmpwalk(toolVersion, s_system);
        using var client = new SnmpClient();

        var result = await client.WalkAsync(_agent.EndPoint, version, "public", s_system, s_options, default);

        Assert.True(result.IsComplete, result.Problem);
        Assert.Equal(expected.Select(e => e.Oid), result.Variables.Select(v => "." + v.Oid));
        foreach (var (variable, line) in result.Variables.Zip(expected))
        {
            AssertSameValue(line.Value, variable);
        }
    }

    [Fact]
    public async Task Walk_SmallRepetitions_ShouldNeedSeveralBulkRequests()
    {
        using var client = new SnmpClient();
        var options = new SnmpRequestOptions { Timeout = TimeSpan.FromSeconds(2), MaxRepetitions = 3 };

        var result = await client.WalkAsync(_agent.EndPoint, SnmpVersion.V2c, "public", s_system, options, default);

        Assert.Equal(Snmpwalk("2c", s_system).Count, result.Variables.Count);
        Assert.True(result.Requests >= result.Variables.Count / 3);
    }

    [Fact]
    public async Task GetNextAndGetBulk_ShouldReturnTheFirstObjectsOfTheGroup()
    {
        var expected = Snmpwalk("2c", s_system);
        using var client = new SnmpClient();

        var agent = _agent.EndPoint;
        var root = new[] { s_system };

        var next = await client.GetNextAsync(agent, SnmpVersion.V2c, "public", root, s_options, default);
        var bulk = await client.GetBulkAsync(agent, SnmpVersion.V2c, "public", 0, 5, root, s_options, default);

        Assert.Equal(expected[0].Oid, "." + next.Variables.Single().Oid);
        Assert.Equal(SnmpdAgent.SysDescr, next.Variables.Single().Value.ToString());
        Assert.Equal(expected.Take(5).Select(e => e.Oid), bulk.Variables.Select(v => "." + v.Oid));
    }

    [Fact]
    public async Task Get_ExistingAndMissingObjects_ShouldMatchSnmpget()
    {
        using var client = new SnmpClient();
        var oids = new[] { "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.99.0" }
            .Select(ObjectIdentifier.Parse)
            .ToList();

        var v2 = await client.GetAsync(_agent.EndPoint, SnmpVersion.V2c, "public", oids, s_options, default);
        var v1 = await client.GetAsync(_agent.EndPoint, SnmpVersion.V1, "public", oids, s_options, default);

        Assert.Equal(SnmpdAgent.SysDescr, v2.Variables[0].Value.ToString());
        Assert.Equal(SnmpdAgent.SysName, v2.Variables[1].Value.ToString());
        Assert.Equal(SnmpType.NoSuchObject, v2.Variables[2].Value.Type);
        Assert.Equal(SnmpErrorStatus.NoSuchName, v1.ErrorStatus);
        Assert.Equal(3, v1.ErrorIndex);
        var snmpget = SnmpdAgent.RunTool(
            "/usr/bin/snmpget", "-v2c", "-c", "public", "-On", "-Oqv", "-m", "", _agent.Target, "1.3.6.1.2.1.1.5.0");
        Assert.Equal($"\"{SnmpdAgent.SysName}\"", snmpget.Trim());
    }

    [Fact]
    public async Task Get_WrongCommunity_ShouldTimeOut()
    {
        using var client = new SnmpClient();
        var options = new SnmpRequestOptions { Timeout = TimeSpan.FromMilliseconds(400), Retries = 1 };

        var error = await Assert.ThrowsAsync<SnmpTimeoutException>(() => client.GetAsync(
            _agent.EndPoint, SnmpVersion.V2c, "not-the-community", new[] { s_sysUpTime }, options, default));

        Assert.Equal(2, error.Attempts);
        Assert.DoesNotContain("not-the-community", error.Message);
    }

    [Fact]
    public async Task DiscoverEngine_ShouldReturnTheEngineIdSnmpgetReads()
    {
        using var client = new SnmpClient();

        var engine = await client.DiscoverEngineAsync(_agent.EndPoint, s_options, default);

        Assert.NotNull(engine);
        Assert.Equal(_agent.EngineIdFromSnmpget(), engine!.EngineIdHex);
        Assert.True(engine.EngineBoots >= 1);
        Assert.Equal("1.3.6.1.6.3.15.1.1.4.0", engine.ReportOid?.ToString());
    }

    private List<(string Oid, string Value)> Snmpwalk(string version, ObjectIdentifier root)
    {
        var output = SnmpdAgent.RunTool(
            "/usr/bin/snmpwalk", "-v" + version, "-c", "public", "-On", "-Oq", "-Ot", "-Oe", "-m", "", "-t", "2",
            _agent.Target, root.ToString());
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .Select(parts => (parts[0], parts.Length > 1 ? parts[1] : string.Empty))
            .ToList();
    }

    internal static void AssertSameValue(string expected, SnmpVariable actual)
    {
        var value = actual.Value;
        switch (value.Type)
        {
            case SnmpType.OctetString:
                Assert.Equal(expected, $"\"{value}\"");
                break;
            case SnmpType.ObjectIdentifier:
                Assert.Equal(expected, "." + value);
                break;
            case SnmpType.TimeTicks when actual.Oid == s_sysUpTime:
                // The agent's clock moves between snmpwalk and our walk.
                Assert.InRange(value.ToInt64() - long.Parse(expected, CultureInfo.InvariantCulture), 0, 1000);
                break;
            default:
                Assert.Equal(expected, value.ToString());
                break;
        }
    }
}
