using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.History;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Tests.Baseline;

public sealed class AuditHistoryTests : IDisposable
{
    private static readonly BaselineRuleInfo s_telnet =
        new("IOT-TELNET-OPEN", "Telnet is disabled", Severity.High, "Disable it.", "SYS.4.4.M5");

    private static readonly BaselineRuleInfo s_web =
        new("IOT-WEB-NOTLS", "HTTPS only", Severity.Medium, "Enable TLS.", "SYS.4.4.M19");

    private readonly string _folder = Directory.CreateTempSubdirectory("iotadmin-history-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    [Fact]
    public void SaveAndLoad_ShouldKeepEveryField()
    {
        var device = new IoTDevice("10.0.0.9") { Name = "cam", Profile = DeviceProfile.Camera };
        var result = new RuleResult("10.0.0.9", "cam", s_telnet, RuleOutcome.Fail, "port 23 \"open\"")
        {
            Device = device,
        };
        var path = Path.Combine(_folder, "run.json");

        var run = new AuditRun(DateTimeOffset.UtcNow, "SYS.4.4-Basic", new[] { device }, new[] { result });
        AuditRunStore.Save(run, path);
        var loaded = AuditRunStore.Load(path);

        var back = Assert.Single(loaded.Results);
        Assert.Equal("SYS.4.4-Basic", loaded.Baseline);
        Assert.Equal(("10.0.0.9", "cam", "IOT-TELNET-OPEN", RuleOutcome.Fail, Severity.High),
            (back.DeviceAddress, back.DeviceName, back.RuleId, back.Outcome, back.Severity));
        Assert.Equal("port 23 \"open\"", back.Evidence);
        Assert.Equal(new[] { "SYS.4.4.M5" }, back.Measures);
        Assert.Equal(DeviceProfile.Camera, back.Device?.Profile);
        Assert.Equal(result.CheckedAt.ToUnixTimeMilliseconds(), back.CheckedAt.ToUnixTimeMilliseconds());
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"format\":\"something-else\"}")]
    [InlineData("{\"format\":\"iotadmin-audit-run\",\"formatVersion\":99}")]
    [InlineData("{\"format\":\"iotadmin-audit-run\",\"formatVersion\":1,\"savedAt\":\"2026-01-01T00:00:00Z\"}")]
    public void Load_WithSomethingElse_ShouldSaySo(string text)
    {
        var path = Path.Combine(_folder, "other.json");
        File.WriteAllText(path, text);

        Assert.Throws<InvalidDataException>(() => AuditRunStore.Load(path));
    }

    [Fact]
    public void Compare_ShouldClassifyEveryPair()
    {
        var before = new[]
        {
            Result("10.0.0.1", s_telnet, RuleOutcome.Fail),
            Result("10.0.0.1", s_web, RuleOutcome.Pass),
            Result("10.0.0.2", s_telnet, RuleOutcome.Waived),
            Result("10.0.0.3", s_telnet, RuleOutcome.Pass),
        };
        var after = new[]
        {
            Result("10.0.0.1", s_telnet, RuleOutcome.Pass),
            Result("10.0.0.1", s_web, RuleOutcome.Fail),
            Result("10.0.0.2", s_telnet, RuleOutcome.Fail),
            Result("10.0.0.4", s_telnet, RuleOutcome.Fail),
        };

        var changes = AuditComparer.Compare(before, after)
            .ToDictionary(c => $"{c.DeviceAddress} {c.RuleId}", c => c);

        Assert.Equal(AuditChangeKind.Better, changes["10.0.0.1 IOT-TELNET-OPEN"].Change);
        Assert.Equal(AuditChangeKind.Worse, changes["10.0.0.1 IOT-WEB-NOTLS"].Change);
        Assert.True(changes["10.0.0.1 IOT-WEB-NOTLS"].IsNewFinding);
        Assert.Equal(AuditChangeKind.Worse, changes["10.0.0.2 IOT-TELNET-OPEN"].Change);
        Assert.Equal(AuditChangeKind.Gone, changes["10.0.0.3 IOT-TELNET-OPEN"].Change);
        Assert.Equal(AuditChangeKind.New, changes["10.0.0.4 IOT-TELNET-OPEN"].Change);
        Assert.True(changes["10.0.0.4 IOT-TELNET-OPEN"].IsNewFinding);
        Assert.False(changes["10.0.0.1 IOT-TELNET-OPEN"].IsNewFinding);
    }

    [Theory]
    [InlineData(RuleOutcome.Fail, AuditChangeKind.Unchanged)]
    [InlineData(RuleOutcome.Pass, AuditChangeKind.Worse)]
    [InlineData(RuleOutcome.Error, AuditChangeKind.Unchanged)]
    public void Compare_ALostCheck_ShouldNeverReadAsAnImprovement(RuleOutcome before, AuditChangeKind expected)
    {
        // A run without its catalogue or login: the rule became NotChecked.
        var change = AuditComparer.Compare(new[] { Result("10.0.0.1", s_telnet, before) },
            new[] { Result("10.0.0.1", s_telnet, RuleOutcome.NotChecked) }).Single();

        Assert.Equal(expected, change.Change);
    }

    private static RuleResult Result(string address, BaselineRuleInfo rule, RuleOutcome outcome) =>
        new(address, null, rule, outcome, "evidence");
}
