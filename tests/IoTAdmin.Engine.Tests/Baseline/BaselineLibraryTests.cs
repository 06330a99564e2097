using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.DataFiles;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Tests.Baseline;

public sealed class BaselineLibraryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("iotadmin-baseline-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    [Theory]
    [InlineData("SYS.4.4-Basic", 1, 5)]
    [InlineData("SYS.4.4-Standard", 1, 20)]
    [InlineData("SYS.4.4-High", 1, 24)]
    public void Load_BuiltIn_ShouldCoverItsTierCumulatively(string name, int first, int last)
    {
        var baseline = new BaselineLibrary().Load(name);

        var expected = Enumerable.Range(first, last - first + 1).Select(n => $"SYS.4.4.M{n}");
        Assert.Equal(expected, baseline.Measures);
        Assert.Equal(name, baseline.Name);
    }

    [Fact]
    public void Load_Basic_ShouldRunOnlyRulesOfItsMeasuresWithProfileSeverities()
    {
        var baseline = new BaselineLibrary().Load("SYS.4.4-Basic");

        var general = baseline.For(DeviceProfile.General);
        var camera = baseline.For(DeviceProfile.Camera);
        Assert.All(general.Rules, r => Assert.Contains(r.Info.Measures, m => baseline.Measures.Contains(m)));
        Assert.DoesNotContain(general.Rules, r => r.Info.Id == "IOT-WEB-NOTLS");
        Assert.Null(general.Settings["IOT-TELNET-OPEN"].Severity);
        Assert.Equal(Severity.Critical, camera.Settings["IOT-TELNET-OPEN"].Severity);
    }

    [Fact]
    public void Load_Standard_ShouldAskTheOrganisationalChecklist()
    {
        var baseline = new BaselineLibrary().Load("SYS.4.4-Standard");

        var items = baseline.Checklist.Select(c => c.Item.Id).ToList();
        Assert.Contains("ORG-M6-POLICY", items);
        Assert.Contains("ORG-M14-CLEARANCE", items);
        Assert.DoesNotContain("ORG-M21-ENVIRONMENT", items);
    }

    [Fact]
    public void Load_FileExtendingABuiltIn_ShouldApplyExclusionsParametersAndWaivers()
    {
        var path = Write("site.psd1", """
            @{
                Name = 'Site'
                Extends = 'SYS.4.4-Basic'
                Rules = @{
                    'IOT-UPNP-IGD' = @{ Exclude = $true; Reason = 'No routers in scope' }
                }
                Profiles = @{
                    Camera = @{ Rules = @{ 'IOT-TELNET-OPEN' = @{ Parameters = @{ Ports = 23, 2323 } } } }
                }
                Waivers = @(
                    @{ Rule = 'IOT-CRED-HTTP'; Device = 'cam*'; Reason = 'Replacement ordered'; Owner = 'kim'
                       Expires = '2099-01-31' }
                )
                Checklist = @{
                    'ORG-M1-CRITERIA' = @{ Answer = 'Yes'; Evidence = 'Procurement rule 7' }
                }
            }
            """);

        var baseline = new BaselineLibrary().Load(path);

        var camera = baseline.For(DeviceProfile.Camera);
        Assert.DoesNotContain(camera.Rules, r => r.Info.Id == "IOT-UPNP-IGD");
        Assert.Contains(camera.Excluded, r => r.Info.Id == "IOT-UPNP-IGD" && r.Reason == "No routers in scope");
        Assert.Equal(new[] { 23, 2323 }, camera.Settings["IOT-TELNET-OPEN"].Values["Ports"]);
        Assert.Equal(Severity.Critical, camera.Settings["IOT-TELNET-OPEN"].Severity);
        Assert.False(baseline.For(DeviceProfile.General).Settings["IOT-TELNET-OPEN"].Values.ContainsKey("Ports"));
        Assert.Equal("Replacement ordered", Assert.Single(baseline.Waivers).Reason);
        Assert.Equal("Yes", baseline.Checklist.Single(c => c.Item.Id == "ORG-M1-CRITERIA").Answer?.Answer);
    }

    [Theory]
    [InlineData("Rules = @{ 'IOT-NOPE' = @{ } }", "unknown rule id(s) IOT-NOPE")]
    [InlineData("Rules = @{ 'IOT-TELNET-OPEN' = @{ Parameters = @{ Port = 2323 } } }", "has no parameter 'Port'")]
    [InlineData("Rules = @{ 'IOT-TELNET-OPEN' = @{ Parameters = @{ Ports = 'many' } } }", "whole numbers")]
    [InlineData("Rules = @{ 'IOT-TELNET-OPEN' = @{ Exclude = $true } }", "needs a Reason")]
    [InlineData("Rules = @{ 'IOT-TELNET-OPEN' = @{ Severity = 'Dire' } }", "Severity must be one of")]
    [InlineData("Rules = @{ 'IOT-TELNET-OPEN' = @{ Paramters = @{ } } }", "unknown key(s) Paramters")]
    [InlineData("Measures = 'SYS.4.4.M25'", "not a SYS.4.4 measure")]
    [InlineData("Profiles = @{ Toaster = @{ } }", "'Toaster' is not a profile")]
    [InlineData("Waivers = @{ Rule = 'IOT-TELNET-OPEN'; Device = 'x'; Owner = 'o'; Expires = '2030-01-01' }",
        "needs Reason")]
    [InlineData("Waivers = @{ Rule = 'IOT-TELNET-OPEN'; Reason = 'r'; Owner = 'o'; Expires = '2030-01-01' }",
        "needs Device, Tag or Profile")]
    [InlineData("Waivers = @{ Rule = 'IOT-TELNET-OPEN'; Device = 'x'; Reason = 'r'; Owner = 'o'; Expires = '1/2/30' }",
        "yyyy-MM-dd")]
    [InlineData("Checklist = @{ 'ORG-M1-CRITERIA' = @{ Answer = 'Maybe' } }", "Answer must be")]
    [InlineData("Extends = 'SYS.4.4-Nope'", "No built-in baseline")]
    public void Load_WithAMistake_ShouldSayWhatIsWrong(string line, string message)
    {
        var path = Write("bad.psd1", "@{\n    Name = 'Bad'\n    " + line + "\n}\n");

        var error = Record.Exception(() => new BaselineLibrary().Load(path));

        Assert.True(error is DataFileException || error is ArgumentException, error?.GetType().Name);
        Assert.Contains(message, error!.Message);
    }

    [Fact]
    public void Load_WithExtendsCycle_ShouldRefuse()
    {
        Write("a.psd1", "@{ Name = 'A'; Extends = './b.psd1' }");
        var b = Write("b.psd1", "@{ Name = 'B'; Extends = './a.psd1' }");

        var error = Assert.Throws<DataFileException>(() => new BaselineLibrary().Load(b));

        Assert.Contains("leads back", error.Message);
    }

    [Fact]
    public void Derive_ShouldWriteAFileThatLoadsAsTheSameBaselinePlusItsName()
    {
        var standard = new BaselineLibrary().Load("SYS.4.4-Standard");
        var path = Write("derived.psd1", BaselineWriter.Derive(standard, "Contoso", "SYS.4.4-Standard",
            DateTimeOffset.UtcNow));

        var derived = new BaselineLibrary().Load(path);

        Assert.Equal("Contoso", derived.Name);
        Assert.Equal(standard.Measures, derived.Measures);
        foreach (DeviceProfile profile in Enum.GetValues<DeviceProfile>())
        {
            Assert.Equal(
                standard.For(profile).Rules.Select(r => r.Info.Id), derived.For(profile).Rules.Select(r => r.Info.Id));
            Assert.Equal(standard.For(profile).Rules.Select(r => r.Settings.Severity),
                derived.For(profile).Rules.Select(r => r.Settings.Severity));
        }

        Assert.All(derived.Checklist, c => Assert.Null(c.Answer?.Answer));
    }

    [Fact]
    public void WaiverBook_ShouldWaiveInForceAndWarnOnExpired()
    {
        var info = new BaselineRuleInfo("IOT-X", "x", Severity.High, "fix", "SYS.4.4.M5");
        var device = new IoTDevice("192.0.2.7") { Name = "cam-lobby", Profile = DeviceProfile.Camera };
        var current = new RuleWaiver("IOT-X", "accepted", "kim", new DateTime(2030, 1, 31), device: "cam-*");
        var lapsed = new RuleWaiver("IOT-X", "was accepted", "lee", new DateTime(2020, 1, 31), tag: "lobby")
        {
            Source = "Site",
        };
        var log = new RecordingActivityLog();
        var now = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

        var waived = new WaiverBook(new[] { current }, () => now)
            .Apply(new RuleResult(device.Address, device.Name, info, RuleOutcome.Fail, "e"), device, [], log);
        var failing = new WaiverBook(new[] { lapsed }, () => now)
            .Apply(new RuleResult(device.Address, device.Name, info, RuleOutcome.Fail, "e"), device, ["lobby"], log);
        var untagged = new WaiverBook(new[] { lapsed }, () => now)
            .Apply(new RuleResult(device.Address, device.Name, info, RuleOutcome.Fail, "e"), device, [], log);

        Assert.Equal(RuleOutcome.Waived, waived.Outcome);
        Assert.Equal("accepted", waived.Waiver?.Reason);
        Assert.Equal(RuleOutcome.Fail, failing.Outcome);
        Assert.Same(lapsed, failing.Waiver);
        var warning = Assert.Single(log.Warnings);
        Assert.Contains("expired on 2020-01-31", warning);
        Assert.Contains("lee", warning);
        Assert.Null(untagged.Waiver);
    }

    [Fact]
    public void WaiverBook_OnLastDay_ShouldStillWaive()
    {
        var info = new BaselineRuleInfo("IOT-X", "x", Severity.High, "fix", "SYS.4.4.M5");
        var device = new IoTDevice("192.0.2.7");
        var waiver = new RuleWaiver("IOT-*", "r", "o", new DateTime(2026, 12, 3), profile: DeviceProfile.General);
        var lastMinute = new DateTimeOffset(2026, 12, 3, 23, 59, 0, TimeSpan.Zero);

        var result = new WaiverBook(new[] { waiver }, () => lastMinute)
            .Apply(new RuleResult(device.Address, null, info, RuleOutcome.Fail, "e"), device, [],
                NullActivityLog.Instance);

        Assert.Equal(RuleOutcome.Waived, result.Outcome);
    }

    [Theory]
    [InlineData("Yes", "Policy v3", RuleOutcome.Pass)]
    [InlineData("Yes", "", RuleOutcome.Error)]
    [InlineData("No", "", RuleOutcome.Fail)]
    [InlineData("NotApplicable", "no cameras", RuleOutcome.NotApplicable)]
    [InlineData("", "", RuleOutcome.Error)]
    public void ChecklistEvaluator_ShouldJudgeTheRecordedAnswer(string answer, string evidence, RuleOutcome expected)
    {
        var path = Write("answers.psd1", $$"""
            @{
                Name = 'Answers'; Extends = 'SYS.4.4-Standard'
                Checklist = @{
                    'ORG-M6-POLICY' = @{ Answer = '{{answer}}'; Evidence = '{{evidence}}'; AnsweredBy = 'kim' }
                }
            }
            """);

        var results = ChecklistEvaluator.Evaluate(new BaselineLibrary().Load(path));

        var result = results.Single(r => r.RuleId == "ORG-M6-POLICY");
        Assert.Equal(expected, result.Outcome);
        Assert.Equal(ChecklistEvaluator.OrganisationAddress, result.DeviceAddress);
        Assert.Equal("Answers", result.Baseline);
        Assert.Equal(new[] { "SYS.4.4.M6" }, result.Measures);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private sealed class RecordingActivityLog : IActivityLog
    {
        public List<string> Warnings { get; } = new();

        public void Verbose(string message)
        {
        }

        public void Debug(string message)
        {
        }

        public void Warning(string message) => Warnings.Add(message);
    }
}
