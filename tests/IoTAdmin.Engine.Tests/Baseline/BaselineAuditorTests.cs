using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Tests.Baseline;

public sealed class BaselineAuditorTests
{
    [Fact]
    public void Rules_ShouldBeFoundByReflectionInIdOrder()
    {
        var ids = new BaselineAuditor().Rules.Select(r => r.Id).ToList();

        var expected = new[]
        {
            "IOT-CRED-HTTP", "IOT-CRED-SSH", "IOT-CRED-TELNET", "IOT-MQTT-ANON", "IOT-TELNET-OPEN", "IOT-UPNP-IGD",
            "IOT-WEB-NOTLS",
        };
        foreach (var id in expected)
        {
            Assert.Contains(id, ids);
        }

        Assert.Equal(ids.OrderBy(i => i, StringComparer.Ordinal), ids);
    }

    [Fact]
    public void Rules_ShouldNameMeasuresAndRemediation()
    {
        Assert.All(new BaselineAuditor().Rules, r =>
        {
            Assert.NotEmpty(r.Measures);
            Assert.All(r.Measures, m => Assert.Matches(@"^SYS\.4\.4\.M\d+$", m));
            Assert.False(string.IsNullOrWhiteSpace(r.Remediation));
        });
    }

    [Fact]
    public async Task AuditDeviceAsync_PastTheDeviceBudget_ShouldNameTheRulesItDidNotStart()
    {
        // A device that answers (a listener on loopback) whose first check is slow.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            var device = new IoTDevice("127.0.0.1");
            device.AddService(new DeviceService("http", ServiceTransport.Tcp, port, DiscoveryProtocol.Given));
            var rules = new[] { "IOT-T-1", "IOT-T-2", "IOT-T-3" }
                .Select(id => (IBaselineRule)new SlowRule(id)).ToList();
            var options = new AuditOptions
            {
                ProbeTimeout = TimeSpan.FromSeconds(1),
                DeviceBudget = TimeSpan.FromMilliseconds(200),
            };

            var audit = await new BaselineAuditor(rules).AuditDeviceAsync(
                device, new AuditContext(options, NullActivityLog.Instance), CancellationToken.None);

            Assert.Equal(RuleOutcome.Pass, audit.Results[0].Outcome);
            Assert.All(audit.Results.Skip(1), r =>
            {
                Assert.Equal(RuleOutcome.Error, r.Outcome);
                Assert.Contains("time budget of 0.2 s", r.Evidence);
            });
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void EffectiveDeviceBudget_WithoutOne_ShouldBeTwentyProbeTimeouts()
    {
        var options = new AuditOptions { ProbeTimeout = TimeSpan.FromSeconds(3) };

        Assert.Equal(TimeSpan.FromSeconds(60), options.EffectiveDeviceBudget);
    }

    /// <summary>A rule that takes longer than the test's budget and then passes.</summary>
    private sealed class SlowRule : IBaselineRule
    {
        public SlowRule(string id) => Info = new BaselineRuleInfo(id, id, Severity.Low, "none", "SYS.4.4.M23");

        public BaselineRuleInfo Info { get; }

        public async Task<RuleResult> EvaluateAsync(IoTDevice device, AuditContext context, CancellationToken token)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(400), token);
            return new RuleResult(device.Address, device.Name, Info, RuleOutcome.Pass, "slow but fine");
        }
    }

    [Fact]
    public void Constructor_WithUnknownRuleId_ShouldThrow()
    {
        Assert.Throws<ArgumentException>(() => new BaselineAuditor(new[] { "IOT-NOPE" }));
    }

    [Fact]
    public async Task AuditDeviceAsync_WithThrowingRule_ShouldReportErrorAndContinue()
    {
        var auditor = new BaselineAuditor(new IBaselineRule[] { new ThrowingRule(), new UpnpRuleProxy() });
        var options = new AuditOptions { ProbeTimeout = TimeSpan.FromSeconds(1) };
        var context = new AuditContext(options, NullActivityLog.Instance);

        var audit = await auditor.AuditDeviceAsync(new IoTDevice("127.0.0.1"), context, CancellationToken.None);

        Assert.False(audit.Unreachable);
        Assert.Equal(RuleOutcome.Error, audit.Results[0].Outcome);
        Assert.Contains("InvalidOperationException", audit.Results[0].Evidence);
        Assert.Equal(RuleOutcome.NotApplicable, audit.Results[1].Outcome);
    }

    [Fact]
    public void JudgeReachability_WithOnlySilentPorts_ShouldReportUnreachable()
    {
        var device = new IoTDevice("10.47.0.99");
        var states = new[] { PortState.Timeout, PortState.Unreachable };

        var reason = BaselineAuditor.JudgeReachability(device, new[] { 80, 22 }, states, TimeSpan.FromSeconds(1));
        var audit = new BaselineAuditor(new[] { "IOT-TELNET-OPEN", "IOT-CRED-SSH" }).UnreachableResult(device, reason!);

        Assert.StartsWith("device did not answer on TCP 80, 22", reason);
        Assert.True(audit.Unreachable);
        Assert.Equal(2, audit.Results.Count);
        Assert.All(audit.Results, r => Assert.Equal(RuleOutcome.Error, r.Outcome));
    }

    [Theory]
    [InlineData(PortState.Open)]
    [InlineData(PortState.Closed)]
    public void JudgeReachability_WithAnsweringPort_ShouldReportReachable(PortState answer)
    {
        var states = new[] { PortState.Timeout, answer };

        var reason = BaselineAuditor.JudgeReachability(
            new IoTDevice("10.47.0.99"), new[] { 80, 22 }, states, TimeSpan.FromSeconds(1));

        Assert.Null(reason);
    }

    [Fact]
    public async Task UpnpIgdRule_WithGatewayObservation_ShouldFail()
    {
        var device = new IoTDevice("127.0.0.1");
        var observation = new DiscoveryObservation("127.0.0.1", DiscoveryProtocol.Ssdp);
        observation.Attributes["upnp.deviceType"] = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";
        observation.Attributes["ssdp.location"] = "http://127.0.0.1:5000/rootDesc.xml";
        device.Observations.Add(observation);
        var context = new AuditContext(new AuditOptions(), NullActivityLog.Instance);

        var rule = new IoTAdmin.Engine.Baseline.Rules.UpnpIgdRule();
        var result = await rule.EvaluateAsync(device, context, CancellationToken.None);

        Assert.Equal(RuleOutcome.Fail, result.Outcome);
        Assert.Contains("InternetGatewayDevice", result.Evidence);
        Assert.Contains("rootDesc.xml", result.Evidence);
    }

    [Fact]
    public async Task UpnpIgdRule_WithoutObservationAndNoListener_ShouldAskTheDeviceAndBeNotApplicable()
    {
        // Nothing listens on udp/1900 of 127.0.0.3, so the unicast search finds no UPnP at all.
        var device = new IoTDevice("127.0.0.3");
        var options = new AuditOptions { ProbeTimeout = TimeSpan.FromSeconds(1) };
        var context = new AuditContext(options, NullActivityLog.Instance);

        var result = await new IoTAdmin.Engine.Baseline.Rules.UpnpIgdRule()
            .EvaluateAsync(device, context, CancellationToken.None);

        Assert.Equal(RuleOutcome.NotApplicable, result.Outcome);
        Assert.Contains("unicast", result.Evidence);
    }

    private sealed class ThrowingRule : IBaselineRule
    {
        public BaselineRuleInfo Info { get; } = new("TEST-THROW", "throws", Severity.Low, "none", "SYS.4.4.M1");

        public Task<RuleResult> EvaluateAsync(IoTDevice device, AuditContext context, CancellationToken token) =>
            throw new InvalidOperationException("boom");
    }

    private sealed class UpnpRuleProxy : IBaselineRule
    {
        private readonly IoTAdmin.Engine.Baseline.Rules.UpnpIgdRule _inner = new();

        public BaselineRuleInfo Info => _inner.Info;

        public Task<RuleResult> EvaluateAsync(IoTDevice device, AuditContext context, CancellationToken token) =>
            _inner.EvaluateAsync(device, context, token);
    }
}
