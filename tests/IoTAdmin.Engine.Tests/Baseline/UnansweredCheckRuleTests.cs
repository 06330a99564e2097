using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.Rules;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Exposure;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Tests.Exposure;

namespace IoTAdmin.Engine.Tests.Baseline;

/// <summary>
/// The TLS, web and HTTP-credential rules against loopback peers that accept and then never finish
/// answering: a check that could not complete is an Error saying what did not answer, never a Pass
/// or NotApplicable. A TLS port that refuses every hello by alert keeps its genuine Pass.
/// </summary>
[Collection("Daemons")]
public sealed class UnansweredCheckRuleTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData("tarpit")]
    [InlineData("partial head")]
    public async Task PlainHttpRules_WhenTheAnswerNeverCompletes_ShouldBeErrorNamingTheTimeout(string fault)
    {
        using var peer = HttpPeer(fault);
        var device = DeviceWith(("http", peer.Port));

        foreach (var rule in PlainHttpRules())
        {
            var result = await EvaluateAsync(rule, device);

            AssertIncomplete(result, "within 1 s");
        }
    }

    [Fact]
    public async Task PlainHttpRules_WhenTheAnswerIsGarbage_ShouldBeError()
    {
        using var peer = HostilePeer.Garbage();
        var device = DeviceWith(("http", peer.Port));

        foreach (var rule in PlainHttpRules())
        {
            var result = await EvaluateAsync(rule, device);

            AssertIncomplete(result, $"127.0.0.1:{peer.Port}");
        }
    }

    [Fact]
    public async Task SshAlgorithmRule_WhenTheServerNeverOffersItsAlgorithms_ShouldBeError()
    {
        using var peer = HostilePeer.SshHelloThenSilence();
        var device = DeviceWith(("ssh", peer.Port));

        var result = await EvaluateAsync(new SshWeakAlgorithmRule(), device);

        AssertIncomplete(result, "no KEXINIT");
    }

    [Fact]
    public async Task MqttAnonymousRule_WhenTheBrokerNeverAnswersConnect_ShouldBeError()
    {
        using var peer = HostilePeer.Tarpit();
        var device = DeviceWith(("mqtt", peer.Port));

        var result = await EvaluateAsync(new MqttAnonRule(), device);

        Assert.True(result.Outcome == RuleOutcome.Error, $"{result.Outcome}: {result.Evidence}");
        Assert.Contains("no CONNACK within 1 s", result.Evidence);
    }

    [Fact]
    public async Task HstsRule_WhenHttpsNeverAnswers_ShouldBeErrorNamingTheTimeout()
    {
        using var plain = HostilePeer.Tarpit();
        using var secure = HostilePeer.Tarpit();
        var device = DeviceWith(("http", plain.Port), ("https", secure.Port));

        var result = await EvaluateAsync(new WebHstsRule(), device);

        AssertIncomplete(result, "no complete HTTP answer within 1 s");
    }

    [Fact]
    public async Task TlsRules_OnATarpit_ShouldBeErrorNamingTheTimeout()
    {
        using var peer = HostilePeer.Tarpit();
        var device = DeviceWith(("https", peer.Port));

        var protocols = await EvaluateAsync(new TlsProtocolRule(), device);
        var certificate = await EvaluateAsync(new TlsCertificateRule(), device);

        AssertIncomplete(protocols, "within 1 s");
        AssertIncomplete(certificate, "no TLS handshake within 1 s");
    }

    [Fact]
    public async Task TlsRules_OnGarbage_ShouldBeError()
    {
        using var peer = HostilePeer.Garbage();
        var device = DeviceWith(("https", peer.Port));

        var protocols = await EvaluateAsync(new TlsProtocolRule(), device);
        var certificate = await EvaluateAsync(new TlsCertificateRule(), device);

        AssertIncomplete(protocols, "silence, garbage or reset");
        AssertIncomplete(certificate, $"port {peer.Port}");
    }

    [Fact]
    public async Task TlsProtocolRule_WhenEveryHelloGetsAnAlert_ShouldStillPass()
    {
        using var peer = HostilePeer.AlertEveryHello();
        var device = DeviceWith(("https", peer.Port));

        var protocols = await EvaluateAsync(new TlsProtocolRule(), device);
        var certificate = await EvaluateAsync(new TlsCertificateRule(), device);

        Assert.True(protocols.Outcome == RuleOutcome.Pass, protocols.Evidence);
        Assert.Contains("refuses every TLS version", protocols.Evidence);
        AssertIncomplete(certificate, "TLS handshake failed");
    }

    [Fact]
    public async Task RawHttp_WhenTheServerHangsUpInsideTheHead_ShouldNotCountAsAnAnswer()
    {
        using var peer = HostilePeer.PartialHttpHeadThenClose();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var response = await RawHttp.SendAsync("127.0.0.1", peer.Port, false, "GET", "/", s_timeout, bound.Token);
        var banner = await WebServerChecks.ServerBannerAsync(new WebEndpoint("127.0.0.1", peer.Port, false),
            s_timeout, bound.Token);

        Assert.False(response.Answered);
        Assert.Equal(RawHttpFailure.EndedInsideHead, response.Failure);
        Assert.False(banner.Completed, banner.Evidence);
        Assert.Contains("ended inside the HTTP head", banner.Evidence);
    }

    private static IBaselineRule[] PlainHttpRules() => new IBaselineRule[]
    {
        new WebAdminNoAuthRule(), new WebBannerRule(), new WebTraceRule(), new WebDirectoryListingRule(),
        new WebDefaultPageRule(), new WebNoTlsRule(), new CredHttpRule(),
    };

    private static HostilePeer HttpPeer(string fault) =>
        fault == "tarpit" ? HostilePeer.Tarpit() : HostilePeer.PartialHttpHead();

    private static IoTDevice DeviceWith(params (string Name, int Port)[] services)
    {
        var device = new IoTDevice("127.0.0.1");
        foreach (var (name, port) in services)
        {
            device.Services.Add(new DeviceService(name, ServiceTransport.Tcp, port, DiscoveryProtocol.Mdns));
        }

        return device;
    }

    private static async Task<RuleResult> EvaluateAsync(IBaselineRule rule, IoTDevice device)
    {
        var options = new AuditOptions { ProbeTimeout = s_timeout, DelayBetweenAttempts = TimeSpan.Zero };
        var context = new AuditContext(options, NullActivityLog.Instance);

        // A hang fails the test through this token instead of blocking the run.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await rule.EvaluateAsync(device, context, bound.Token);
    }

    private static void AssertIncomplete(RuleResult result, string expected)
    {
        Assert.True(result.Outcome == RuleOutcome.Error, $"{result.RuleId} {result.Outcome}: {result.Evidence}");
        Assert.Contains("check incomplete", result.Evidence);
        Assert.Contains(expected, result.Evidence);
    }
}
