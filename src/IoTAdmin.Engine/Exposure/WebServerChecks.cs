using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Exposure;

/// <summary>A web port of a device: its number and whether it speaks TLS.</summary>
public sealed class WebEndpoint
{
    public WebEndpoint(string host, int port, bool tls)
    {
        Host = host;
        Port = port;
        Tls = tls;
    }

    public string Host { get; }

    public int Port { get; }

    public bool Tls { get; }

    public override string ToString() => $"{(Tls ? "https" : "http")}://{Host}:{Port}";
}

/// <summary>The verdict of one web check on one endpoint.</summary>
public sealed class WebCheckResult
{
    public WebCheckResult(AuditGrade grade, string evidence)
        : this(grade, evidence, completed: true)
    {
    }

    private WebCheckResult(AuditGrade grade, string evidence, bool completed)
    {
        Grade = grade;
        Evidence = evidence;
        Completed = completed;
    }

    public AuditGrade Grade { get; }

    public string Evidence { get; }

    /// <summary>False when the server did not answer enough to judge; the grade is then Warn, never Ok.</summary>
    public bool Completed { get; }

    /// <summary>A check the server did not let finish (timeout, reset, not HTTP); the evidence says what.</summary>
    public static WebCheckResult Incomplete(string evidence) => new(AuditGrade.Warn, evidence, completed: false);
}

/// <summary>
/// Checks of an embedded web server (SYS.4.4.M24): admin pages without authentication, HSTS,
/// version-naming Server banners, TRACE, directory listings and default pages. Every request goes
/// through <see cref="RawHttp"/>, so huge or endless heads and bodies are cut at its limits. The
/// admin-page check is a heuristic: a page answered 200 without any challenge whose text speaks of
/// settings, firmware or reboot and that has no password field counts as an administration page.
/// A request the server leaves unanswered makes the check incomplete, never Ok; a weakness found
/// on another request still fails it.
/// </summary>
public static class WebServerChecks
{
    /// <summary>Paths where embedded web servers put their administration pages.</summary>
    public static readonly IReadOnlyList<string> AdminPaths = new[]
    {
        "/", "/admin", "/admin/", "/admin.html", "/setup.html", "/config", "/settings", "/system.html",
        "/cgi-bin/admin.cgi",
    };

    private static readonly string[] s_listingDirectories =
    {
        "/", "/images/", "/img/", "/css/", "/js/", "/files/", "/backup/", "/tmp/",
    };

    private static readonly Regex s_adminVocabulary = new Regex(
        @"\b(settings|configuration|administration|firmware (update|upgrade)|reboot|factory (reset|default)s?|"
        + @"user management|network setup)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex s_passwordField = new Regex(
        @"type\s*=\s*[""']?password", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex s_listing = new Regex(
        @"<title>\s*(Index of|Directory listing for)\s|<h2>\s*Index of\s", RegexOptions.IgnoreCase);

    private static readonly Regex s_versionedProduct = new Regex(@"[A-Za-z][\w.-]*[/ ]v?\d+\.\d+");

    private static readonly string[] s_defaultPageMarkers =
    {
        "It works!", "Welcome to nginx!", "Apache2 Debian Default Page", "Apache2 Ubuntu Default Page",
        "lighttpd placeholder page", "Placeholder page", "Test Page for the Apache", "IIS Windows Server",
        "Welcome to OpenResty!", "This is the default web page for this server", "Welcome to your new site",
    };

    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<WebCheckResult> AdminWithoutAuthAsync(
        WebEndpoint endpoint,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var open = new List<string>();
        var unanswered = new List<string>();
        foreach (var path in AdminPaths)
        {
            var response = await GetAsync(endpoint, "GET", path, timeout, cancellationToken).ConfigureAwait(false);
            if (!NoteUnanswered(response, "GET", path, unanswered))
            {
                break;
            }

            if (response.StatusCode == 200 && s_adminVocabulary.IsMatch(response.Body)
                && !s_passwordField.IsMatch(response.Body))
            {
                open.Add($"{path} ({s_adminVocabulary.Match(response.Body).Value})");
            }
        }

        if (open.Count > 0)
        {
            return new WebCheckResult(AuditGrade.Fail, $"{endpoint} serves administration pages without a login: "
                + string.Join(", ", open));
        }

        return unanswered.Count > 0
            ? Unanswered(endpoint, unanswered)
            : new WebCheckResult(AuditGrade.Ok, $"{endpoint}: no administration page without a login among "
                + $"{AdminPaths.Count} usual paths");
    }

    /// <summary>Whether an HTTPS answer carries Strict-Transport-Security with a positive max-age.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<WebCheckResult> HstsAsync(
        WebEndpoint endpoint,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var response = await GetAsync(endpoint, "GET", "/", timeout, cancellationToken).ConfigureAwait(false);
        if (!response.Answered)
        {
            return Unanswered(endpoint, "GET", "/", response);
        }

        var hsts = response.Header("Strict-Transport-Security");
        var match = hsts is null ? null : Regex.Match(hsts, @"max-age\s*=\s*""?(\d+)", RegexOptions.IgnoreCase);
        return match is not null && match.Success && long.Parse(match.Groups[1].Value) > 0
            ? new WebCheckResult(AuditGrade.Ok, $"{endpoint} sends Strict-Transport-Security: {hsts}")
            : new WebCheckResult(AuditGrade.Fail, $"{endpoint} answers {response.StatusCode} without "
                + (hsts is null ? "Strict-Transport-Security" : $"a usable HSTS max-age ({hsts})"));
    }

    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<WebCheckResult> ServerBannerAsync(
        WebEndpoint endpoint,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var response = await GetAsync(endpoint, "GET", "/", timeout, cancellationToken).ConfigureAwait(false);
        if (!response.Answered)
        {
            return Unanswered(endpoint, "GET", "/", response);
        }

        var named = new[] { "Server", "X-Powered-By", "X-AspNet-Version" }
            .Select(name => (name, value: response.Header(name)))
            .Where(h => h.value is not null && s_versionedProduct.IsMatch(h.value))
            .Select(h => $"{h.name}: {h.value}")
            .ToList();
        return named.Count > 0
            ? new WebCheckResult(AuditGrade.Fail, $"{endpoint} names its software version: {string.Join("; ", named)}")
            : new WebCheckResult(AuditGrade.Ok,
                $"{endpoint}: Server {response.Header("Server") ?? "(none)"}, no version");
    }

    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<WebCheckResult> TraceAsync(
        WebEndpoint endpoint,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var response = await GetAsync(endpoint, "TRACE", "/", timeout, cancellationToken).ConfigureAwait(false);

        // Hanging up on TRACE without a byte is how some servers refuse the method: a real answer.
        if (response.Failure == RawHttpFailure.ClosedWithoutAnswer)
        {
            return new WebCheckResult(AuditGrade.Ok, $"{endpoint} closes the connection on TRACE");
        }

        if (!response.Answered)
        {
            return Unanswered(endpoint, "TRACE", "/", response);
        }

        var echoed = response.StatusCode == 200
            && response.Body.IndexOf("TRACE / HTTP", StringComparison.Ordinal) >= 0;
        return echoed
            ? new WebCheckResult(AuditGrade.Fail, $"{endpoint} echoes a TRACE request (cross-site tracing)")
            : new WebCheckResult(AuditGrade.Ok, $"{endpoint} answers TRACE with {response.StatusLine}");
    }

    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<WebCheckResult> DirectoryListingAsync(
        WebEndpoint endpoint,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var listed = new List<string>();
        var unanswered = new List<string>();
        foreach (var path in s_listingDirectories)
        {
            var response = await GetAsync(endpoint, "GET", path, timeout, cancellationToken).ConfigureAwait(false);
            if (!NoteUnanswered(response, "GET", path, unanswered))
            {
                break;
            }

            if (response.StatusCode == 200 && s_listing.IsMatch(response.Body))
            {
                listed.Add(path);
            }
        }

        if (listed.Count > 0)
        {
            return new WebCheckResult(AuditGrade.Fail, $"{endpoint} lists directories: {string.Join(", ", listed)}");
        }

        return unanswered.Count > 0
            ? Unanswered(endpoint, unanswered)
            : new WebCheckResult(AuditGrade.Ok,
                $"{endpoint}: no listing of {string.Join(", ", s_listingDirectories)}");
    }

    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<WebCheckResult> DefaultPageAsync(
        WebEndpoint endpoint,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var response = await GetAsync(endpoint, "GET", "/", timeout, cancellationToken).ConfigureAwait(false);
        if (!response.Answered)
        {
            return Unanswered(endpoint, "GET", "/", response);
        }

        var marker = s_defaultPageMarkers.FirstOrDefault(
            m => response.Body.IndexOf(m, StringComparison.OrdinalIgnoreCase) >= 0);
        return marker is not null && response.StatusCode == 200
            ? new WebCheckResult(AuditGrade.Fail, $"{endpoint}/ is the web server's default page (\"{marker}\")")
            : new WebCheckResult(AuditGrade.Ok, $"{endpoint}/ is no known default page");
    }

    /// <summary>
    /// Notes a request that got no answer; false when the check should stop asking. A server that let
    /// one request run into the deadline would let the next ones too, so that costs one timeout only.
    /// </summary>
    private static bool NoteUnanswered(RawHttpResponse response, string method, string path, List<string> unanswered)
    {
        if (response.Answered)
        {
            return true;
        }

        unanswered.Add($"{method} {path}: {response.Error}");
        return response.Failure != RawHttpFailure.TimedOut;
    }

    private static WebCheckResult Unanswered(
        WebEndpoint endpoint,
        string method,
        string path,
        RawHttpResponse response) =>
        Unanswered(endpoint, new[] { $"{method} {path}: {response.Error}" });

    private static WebCheckResult Unanswered(WebEndpoint endpoint, IReadOnlyList<string> requests) =>
        WebCheckResult.Incomplete($"{endpoint}: check incomplete, {string.Join("; ", requests)}");

    private static Task<RawHttpResponse> GetAsync(
        WebEndpoint endpoint,
        string method,
        string path,
        TimeSpan timeout,
        CancellationToken cancellationToken) =>
        RawHttp.SendAsync(endpoint.Host, endpoint.Port, endpoint.Tls, method, path, timeout, cancellationToken);
}
