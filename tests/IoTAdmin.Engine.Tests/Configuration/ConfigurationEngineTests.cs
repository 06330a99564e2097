using IoTAdmin.Engine.Configuration;
using IoTAdmin.Engine.Diagnostics;

namespace IoTAdmin.Engine.Tests.Configuration;

/// <summary>
/// The Test/plan/apply/re-test cycle on settings kept in memory: the engine's own logic, with no
/// device behind it (the lab tests in tests/Configuration.Tests.ps1 cover real devices).
/// </summary>
public sealed class ConfigurationEngineTests
{
    [Fact]
    public async Task ApplyAsync_ShouldRunEveryStepOfASettingThenReportChangedFromTheReTest()
    {
        var setting = new CountingSetting(steps: 2);
        var engine = new ConfigurationEngine(new[] { setting });
        using var context = NewContext();

        var tested = await engine.TestAsync(context, CancellationToken.None);
        var applied = await engine.ApplyAsync(context, tested, tested[0].Operations.ToList(), CancellationToken.None);

        Assert.Equal(ConfigurationStatus.Drift, tested[0].Status);
        Assert.Equal(2, setting.Ran);
        Assert.Equal(ConfigurationStatus.Changed, Assert.Single(applied).Status);
    }

    [Fact]
    public async Task ApplyAsync_ShouldSkipLaterStepsAfterAFailureAndReportFailed()
    {
        var setting = new CountingSetting(steps: 2) { FailFirst = true };
        var engine = new ConfigurationEngine(new[] { setting });
        using var context = NewContext();

        var tested = await engine.TestAsync(context, CancellationToken.None);
        var applied = await engine.ApplyAsync(context, tested, tested[0].Operations.ToList(), CancellationToken.None);

        Assert.Equal(0, setting.Ran);
        var result = Assert.Single(applied);
        Assert.Equal(ConfigurationStatus.Failed, result.Status);
        Assert.Contains("step 1 failed", result.Message);
    }

    [Fact]
    public async Task ApplyAsync_ShouldRunNothingThatWasNotApproved()
    {
        var setting = new CountingSetting(steps: 1);
        var engine = new ConfigurationEngine(new[] { setting });
        using var context = NewContext();

        var tested = await engine.TestAsync(context, CancellationToken.None);
        var applied = await engine.ApplyAsync(context, tested, Array.Empty<PlannedOperation>(), CancellationToken.None);

        Assert.Equal(0, setting.Ran);
        Assert.Equal(ConfigurationStatus.Drift, Assert.Single(applied).Status);
    }

    [Fact]
    public async Task TestAsync_ShouldPlanNothingForASettingInItsDesiredState()
    {
        var setting = new CountingSetting(steps: 1);
        var engine = new ConfigurationEngine(new[] { setting });
        using var context = NewContext();
        var first = await engine.TestAsync(context, CancellationToken.None);
        await engine.ApplyAsync(context, first, first[0].Operations.ToList(), CancellationToken.None);

        var second = await engine.TestAsync(context, CancellationToken.None);

        Assert.Equal(ConfigurationStatus.InDesiredState, Assert.Single(second).Status);
        Assert.Empty(second[0].Operations);
    }

    [Fact]
    public async Task TestAsync_ShouldTurnAFailingReadIntoAnErrorResultAndGoOn()
    {
        var engine = new ConfigurationEngine(new IConfigurationSetting[] { new BrokenSetting(), new CountingSetting(1) });
        using var context = NewContext();

        var results = await engine.TestAsync(context, CancellationToken.None);

        Assert.Equal(ConfigurationStatus.Error, results[0].Status);
        Assert.Equal("cannot read", results[0].Message);
        Assert.Equal(ConfigurationStatus.Drift, results[1].Status);
    }

    [Fact]
    public async Task ApplyAsync_ShouldSayTheReTestFailedWhenTheChangeCutsOffTheRead()
    {
        // Like a login the change itself disabled: the step succeeds, reading the setting again fails.
        var setting = new CountingSetting(steps: 1) { UnreadableAfterChange = true };
        var engine = new ConfigurationEngine(new[] { setting });
        using var context = NewContext();

        var tested = await engine.TestAsync(context, CancellationToken.None);
        var applied = await engine.ApplyAsync(context, tested, tested[0].Operations.ToList(), CancellationToken.None);

        var result = Assert.Single(applied);
        Assert.Equal(ConfigurationStatus.Failed, result.Status);
        Assert.Equal("The change ran but could not be read back: login refused", result.Message);
    }

    private static SettingContext NewContext() => new SettingContext(
        new ConfigurationTarget("192.0.2.1", null, new DesiredConfiguration()),
        new NoDevice(), new ConfigurationSecrets(), new ConfigurationOptions(), NullActivityLog.Instance);

    /// <summary>A setting whose actual state is a counter in memory: in desired state once all steps ran.</summary>
    private sealed class CountingSetting : IConfigurationSetting
    {
        private readonly int _steps;

        public CountingSetting(int steps) => _steps = steps;

        public int Ran { get; private set; }

        public bool FailFirst { get; set; }

        public bool UnreadableAfterChange { get; set; }

        public string Name => "Counter";

        public bool IsManaged(DesiredConfiguration desired) => true;

        public Task<SettingObservation> ObserveAsync(SettingContext context, CancellationToken cancellationToken)
        {
            if (UnreadableAfterChange && Ran > 0)
            {
                throw new ConfigurationException("login refused");
            }

            var seen = new SettingObservation($"{_steps} steps", $"{Ran} steps", Ran >= _steps);
            for (var step = 1; step <= _steps; step++)
            {
                var number = step;
                seen.Plan.Add(new PlannedOperation(Name, $"step {number}", $"step {number}", (c, ct) =>
                {
                    if (FailFirst && number == 1)
                    {
                        throw new InvalidOperationException("broken");
                    }

                    Ran++;
                    return Task.CompletedTask;
                }));
            }

            return Task.FromResult(seen);
        }
    }

    private sealed class BrokenSetting : IConfigurationSetting
    {
        public string Name => "Broken";

        public bool IsManaged(DesiredConfiguration desired) => true;

        public Task<SettingObservation> ObserveAsync(SettingContext context, CancellationToken cancellationToken) =>
            throw new ConfigurationException("cannot read");
    }

    /// <summary>No device: these settings never open a session.</summary>
    private sealed class NoDevice : IDeviceAccess
    {
        public Task<IDeviceSession> ConnectAsync(ConfigurationTarget target, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no device in these tests");

        public string LoginUser(ConfigurationTarget target) => "root";

        public bool LoginUsesDefaultPassword(ConfigurationTarget target, string account) => false;

        public Task ChangePasswordAsync(ConfigurationTarget target, string account, string newPassword,
            CancellationToken cancellationToken) => throw new InvalidOperationException();

        public Task RequireKeyLoginAsync(ConfigurationTarget target, IReadOnlyList<string> publicKeys,
            CancellationToken cancellationToken) => throw new InvalidOperationException();

        public Task DisableServiceAsync(ConfigurationTarget target, string service,
            CancellationToken cancellationToken) => throw new InvalidOperationException();

        public string EngineName(string operation) => operation;
    }
}
