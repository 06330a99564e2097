using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.Rules;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Tests.Baseline;

/// <summary>The verdicts of the default-login trial when the attempt cap cuts the list short.</summary>
public sealed class CredentialTrialTests
{
    private static readonly BaselineRuleInfo s_info =
        new BaselineRuleInfo("IOT-CRED-TEST", "test", Severity.High, "change it", "SYS.4.4.M1");

    [Fact]
    public async Task RunAsync_OnAnUnidentifiedDevice_ShouldNotPassOnAFewRejections()
    {
        var result = await RejectEverything().RunAsync(new IoTDevice("192.0.2.1"), new[] { 22 }, Context(3), default);

        Assert.Equal(RuleOutcome.Error, result.Outcome);
        Assert.Contains("check incomplete", result.Evidence);
        Assert.Contains("-Profile", result.Evidence);
    }

    [Fact]
    public async Task RunAsync_OnACameraWhoseLikeliestDefaultsFail_ShouldPass()
    {
        var camera = new IoTDevice("192.0.2.1") { Profile = DeviceProfile.Camera };

        var result = await RejectEverything().RunAsync(camera, new[] { 22 }, Context(3), default);

        Assert.Equal(RuleOutcome.Pass, result.Outcome);
        Assert.DoesNotContain("incomplete", result.Evidence);
    }

    [Fact]
    public async Task RunAsync_WithTheAdminsListFullyTried_ShouldPassEvenOnAnUnidentifiedDevice()
    {
        var context = Context(3);
        context.Options.Credentials.Add(new CredentialPair("root", "one"));
        context.Options.Credentials.Add(new CredentialPair("admin", "two"));

        var result = await RejectEverything().RunAsync(new IoTDevice("192.0.2.1"), new[] { 22 }, context, default);

        Assert.Equal(RuleOutcome.Pass, result.Outcome);
    }

    [Fact]
    public async Task RunAsync_WhenALoginIsAccepted_ShouldFailWhateverTheProfile()
    {
        var trial = new CredentialTrial(s_info, "SSH", (port, pair, token) =>
            Task.FromResult(new AttemptVerdict(LoginOutcome.Accepted, "shell prompt")));

        var result = await trial.RunAsync(new IoTDevice("192.0.2.1"), new[] { 22 }, Context(3), default);

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
    }

    [Fact]
    public async Task RunAsync_WhenOnePortRejectsAndAnotherTimesOut_ShouldNotPass()
    {
        var trial = new CredentialTrial(s_info, "SSH", (port, pair, token) => Task.FromResult(port == 22
            ? new AttemptVerdict(LoginOutcome.Rejected, "denied")
            : new AttemptVerdict(LoginOutcome.Timeout, "no answer within 1 s")));
        var context = Context(6);
        context.Options.Credentials.Add(new CredentialPair("root", "one"));
        context.Options.Credentials.Add(new CredentialPair("admin", "two"));

        // The cap is per device and protocol: both pairs refused on 22 leave attempts for 2222.
        var result = await trial.RunAsync(new IoTDevice("192.0.2.1"), new[] { 22, 2222 }, context, default);

        Assert.Equal(RuleOutcome.Error, result.Outcome);
        Assert.Contains("2222: check incomplete", result.Evidence);
    }

    [Fact]
    public async Task RunAsync_WhenTheOnlyServerTakesKeysOnly_ShouldPass()
    {
        var trial = new CredentialTrial(s_info, "SSH", (port, pair, token) =>
            Task.FromResult(new AttemptVerdict(LoginOutcome.NoPasswordMethod, "publickey only")));

        var result = await trial.RunAsync(new IoTDevice("192.0.2.1"), new[] { 22 }, Context(3), default);

        Assert.Equal(RuleOutcome.Pass, result.Outcome);
    }

    private static CredentialTrial RejectEverything() => new CredentialTrial(s_info, "SSH", (port, pair, token) =>
        Task.FromResult(new AttemptVerdict(LoginOutcome.Rejected, "denied")));

    private static AuditContext Context(int maxAttempts) => new AuditContext(
        new AuditOptions { MaxAttemptsPerProtocol = maxAttempts, DelayBetweenAttempts = TimeSpan.Zero },
        NullActivityLog.Instance);
}
