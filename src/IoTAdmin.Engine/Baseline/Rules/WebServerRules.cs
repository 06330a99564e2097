using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Exposure;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>The web endpoints of a device: open HTTP and HTTPS ports, standard and discovered.</summary>
internal static class WebEndpoints
{
    private static readonly int[] s_httpPorts = { 80, 8080 };
    private static readonly int[] s_httpsPorts = { 443, 8443 };

    public static async Task<IReadOnlyList<WebEndpoint>> OpenAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var http = await ServicePorts.OpenAsync(device, ServicePorts.For(device, s_httpPorts, "http"), context,
            cancellationToken).ConfigureAwait(false);
        var https = await ServicePorts.OpenAsync(device, ServicePorts.For(device, s_httpsPorts, "https"), context,
            cancellationToken).ConfigureAwait(false);
        return http.Select(p => new WebEndpoint(device.Address, p, false))
            .Concat(https.Select(p => new WebEndpoint(device.Address, p, true)))
            .ToList();
    }

    public static string NoneOpen(IoTDevice device) =>
        $"no web port open on {device.Address} (checked TCP "
        + string.Join(", ", ServicePorts.For(device, s_httpPorts, "http")
            .Concat(ServicePorts.For(device, s_httpsPorts, "https")))
        + ")";
}

/// <summary>The shared shape of the web rules: run one check on every web endpoint, fail if any fails.</summary>
public abstract class WebServerRule : IBaselineRule
{
    public abstract BaselineRuleInfo Info { get; }

    public async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var endpoints = await WebEndpoints.OpenAsync(device, context, cancellationToken).ConfigureAwait(false);
        var applicable = Select(endpoints);
        if (applicable.Count == 0)
        {
            var none = endpoints.Count == 0 ? WebEndpoints.NoneOpen(device) : NotApplicableReason(endpoints);
            return new RuleResult(device.Address, device.Name, Info, RuleOutcome.NotApplicable, none);
        }

        var results = new List<WebCheckResult>();
        foreach (var endpoint in applicable)
        {
            var timeout = context.Options.ProbeTimeout;
            var result = await CheckAsync(endpoint, timeout, cancellationToken).ConfigureAwait(false);
            results.Add(result);
        }

        var evidence = string.Join("; ", results.Select(r => r.Evidence));
        return new RuleResult(device.Address, device.Name, Info, Judge(results), evidence);
    }

    /// <summary>A weakness found anywhere fails; otherwise an endpoint left unchecked makes it an Error.</summary>
    private static RuleOutcome Judge(IReadOnlyList<WebCheckResult> results)
    {
        if (results.Any(r => r.Grade == AuditGrade.Fail))
        {
            return RuleOutcome.Fail;
        }

        return results.All(r => r.Completed) ? RuleOutcome.Pass : RuleOutcome.Error;
    }

    /// <summary>The endpoints this rule looks at; all by default.</summary>
    protected virtual IReadOnlyList<WebEndpoint> Select(IReadOnlyList<WebEndpoint> endpoints) => endpoints;

    protected virtual string NotApplicableReason(IReadOnlyList<WebEndpoint> endpoints) =>
        $"nothing to check on {string.Join(", ", endpoints)}";

    protected abstract Task<WebCheckResult> CheckAsync(
        WebEndpoint endpoint,
        TimeSpan timeout,
        CancellationToken token);
}

/// <summary>IOT-WEB-ADMIN-NOAUTH: administration pages answer without any login.</summary>
public sealed class WebAdminNoAuthRule : WebServerRule
{
    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-WEB-ADMIN-NOAUTH",
        "Web administration needs a login",
        Severity.High,
        "Enable authentication for every page of the web interface, with an individual strong password.",
        "SYS.4.4.M19",
        "SYS.4.4.M24");

    protected override Task<WebCheckResult> CheckAsync(
        WebEndpoint endpoint,
        TimeSpan timeout,
        CancellationToken token) =>
        WebServerChecks.AdminWithoutAuthAsync(endpoint, timeout, token);
}

/// <summary>
/// IOT-WEB-HSTS: the device serves plain HTTP too, and its HTTPS answers carry no HSTS, so a browser
/// can be talked down to HTTP. A device without any plain-HTTP port cannot be downgraded on its own
/// address and the rule does not apply.
/// </summary>
public sealed class WebHstsRule : WebServerRule
{
    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-WEB-HSTS",
        "HTTPS protected by HSTS where HTTP is offered",
        Severity.Medium,
        "Send Strict-Transport-Security (max-age of at least 180 days) on HTTPS and redirect HTTP to HTTPS, or "
            + "switch plain HTTP off.",
        "SYS.4.4.M19",
        "SYS.4.4.M24");

    protected override IReadOnlyList<WebEndpoint> Select(IReadOnlyList<WebEndpoint> endpoints) =>
        endpoints.Any(e => !e.Tls) ? endpoints.Where(e => e.Tls).ToList() : Array.Empty<WebEndpoint>();

    protected override string NotApplicableReason(IReadOnlyList<WebEndpoint> endpoints) =>
        endpoints.All(e => e.Tls)
            ? $"no plain HTTP to downgrade to: only {string.Join(", ", endpoints)}"
            : $"no HTTPS endpoint to send HSTS: only {string.Join(", ", endpoints)} (see IOT-WEB-NOTLS)";

    protected override Task<WebCheckResult> CheckAsync(
        WebEndpoint endpoint,
        TimeSpan timeout,
        CancellationToken token) =>
        WebServerChecks.HstsAsync(endpoint, timeout, token);
}

/// <summary>IOT-WEB-BANNER: the Server (or X-Powered-By) header names the software version.</summary>
public sealed class WebBannerRule : WebServerRule
{
    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-WEB-BANNER",
        "Web server hides its version",
        Severity.Low,
        "Configure the web server to send no version in Server and X-Powered-By headers.",
        "SYS.4.4.M24");

    protected override Task<WebCheckResult> CheckAsync(
        WebEndpoint endpoint,
        TimeSpan timeout,
        CancellationToken token) =>
        WebServerChecks.ServerBannerAsync(endpoint, timeout, token);
}

/// <summary>IOT-WEB-TRACE: the web server echoes TRACE requests.</summary>
public sealed class WebTraceRule : WebServerRule
{
    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-WEB-TRACE",
        "HTTP TRACE disabled",
        Severity.Low,
        "Disable the TRACE method on the web server.",
        "SYS.4.4.M24");

    protected override Task<WebCheckResult> CheckAsync(
        WebEndpoint endpoint,
        TimeSpan timeout,
        CancellationToken token) =>
        WebServerChecks.TraceAsync(endpoint, timeout, token);
}

/// <summary>IOT-WEB-DIRLIST: the web server lists directory contents.</summary>
public sealed class WebDirectoryListingRule : WebServerRule
{
    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-WEB-DIRLIST",
        "No directory listings",
        Severity.Medium,
        "Disable automatic directory listings on the web server.",
        "SYS.4.4.M24");

    protected override Task<WebCheckResult> CheckAsync(
        WebEndpoint endpoint,
        TimeSpan timeout,
        CancellationToken token) =>
        WebServerChecks.DirectoryListingAsync(endpoint, timeout, token);
}

/// <summary>IOT-WEB-DEFAULTPAGE: the web server's own default page is still installed.</summary>
public sealed class WebDefaultPageRule : WebServerRule
{
    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-WEB-DEFAULTPAGE",
        "No web server default page",
        Severity.Low,
        "Remove the web server's default and example pages; install only the components the device needs.",
        "SYS.4.4.M13",
        "SYS.4.4.M24");

    protected override Task<WebCheckResult> CheckAsync(
        WebEndpoint endpoint,
        TimeSpan timeout,
        CancellationToken token) =>
        WebServerChecks.DefaultPageAsync(endpoint, timeout, token);
}
