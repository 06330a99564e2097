using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTAdmin.Engine.Probes;

/// <summary>What one plain GET returned: status, redirect, Server header and auth challenges.</summary>
public sealed class HttpProbeResponse
{
    public HttpProbeResponse(Uri url, LoginOutcome status, string detail)
    {
        Url = url;
        Status = status;
        Detail = detail;
    }

    public Uri Url { get; }

    /// <summary>Accepted when an HTTP answer arrived; otherwise Timeout, ConnectionFailed or ProtocolError.</summary>
    public LoginOutcome Status { get; }

    public string Detail { get; }

    public int StatusCode { get; set; }

    /// <summary>The Location header of a redirect, not followed.</summary>
    public string? Location { get; set; }

    public string? Server { get; set; }

    public IReadOnlyList<HttpAuthChallenge> Challenges { get; set; } = new HttpAuthChallenge[0];

    public bool Answered => Status == LoginOutcome.Accepted;

    public bool IsRedirect => StatusCode >= 300 && StatusCode < 400 && Location is not null;

    /// <summary>A redirect to an https:// URL: what a hardened device does on its plain port.</summary>
    public bool RedirectsToHttps =>
        IsRedirect && Location!.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>A 401 with a Basic or Digest challenge, the schemes the probe can answer.</summary>
    public bool RequiresAuthentication => StatusCode == 401 && (Basic is not null || Digest is not null);

    public HttpAuthChallenge? Basic => Challenges.FirstOrDefault(c => c.IsBasic);

    public HttpAuthChallenge? Digest => Challenges.FirstOrDefault(c => c.IsDigest);
}
