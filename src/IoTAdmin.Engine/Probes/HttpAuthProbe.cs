using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Engine.Probes;

/// <summary>
/// Plain HTTP GETs that follow no redirect, read at most a few kilobytes of body, detect Basic and
/// Digest challenges and try credentials against them.
/// </summary>
public static class HttpAuthProbe
{
    /// <summary>Most body bytes read per response; devices can stream video on any URL.</summary>
    public const int MaxBodyBytes = 65536;

    /// <summary>GET without credentials.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static Task<HttpProbeResponse> GetAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendAsync(url, null, timeout, cancellationToken);

    /// <summary>
    /// Answers the challenge of <paramref name="challenged"/> with the credential: Digest when the
    /// server offers it, otherwise Basic. 2xx/3xx means accepted, 401/403 rejected.
    /// </summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<HttpProbeResponse> TryLoginAsync(
        HttpProbeResponse challenged,
        CredentialPair credential,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var authorization = CreateAuthorization(challenged, credential);
        if (authorization is null)
        {
            return new HttpProbeResponse(challenged.Url, LoginOutcome.NoLoginPrompt, "no Basic or Digest challenge");
        }

        var response = await SendAsync(challenged.Url, authorization, timeout, cancellationToken).ConfigureAwait(false);
        if (!response.Answered)
        {
            return response;
        }

        var outcome = response.StatusCode == 401 || response.StatusCode == 403
            ? LoginOutcome.Rejected
            : response.StatusCode < 400 ? LoginOutcome.Accepted : LoginOutcome.ProtocolError;
        return new HttpProbeResponse(response.Url, outcome, $"HTTP {response.StatusCode}")
        {
            StatusCode = response.StatusCode,
            Location = response.Location,
            Server = response.Server,
            Challenges = response.Challenges,
        };
    }

    private static AuthenticationHeaderValue? CreateAuthorization(
        HttpProbeResponse challenged,
        CredentialPair credential)
    {
        var digest = challenged.Digest;
        if (digest is not null)
        {
            var header = DigestAuthenticator.CreateHeader(
                digest, "GET", challenged.Url.PathAndQuery, credential.UserName, credential.Password, NewClientNonce());
            if (header is not null)
            {
                return new AuthenticationHeaderValue("Digest", header.Substring("Digest ".Length));
            }
        }

        if (challenged.Basic is null)
        {
            return null;
        }

        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.UserName}:{credential.Password}"));
        return new AuthenticationHeaderValue("Basic", token);
    }

    private static async Task<HttpProbeResponse> SendAsync(
        Uri url,
        AuthenticationHeaderValue? authorization,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = new ProbeDeadline(timeout, cancellationToken);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false };
        using var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = authorization;
        request.Headers.UserAgent.ParseAdd("IoTAdmin-Audit/1.0");
        try
        {
            var headersOnly = HttpCompletionOption.ResponseHeadersRead;
            using var response = await client.SendAsync(request, headersOnly, deadline.Token)
                .ConfigureAwait(false);
            await DrainBodyAsync(response, deadline.Token).ConfigureAwait(false);
            return Describe(url, response);
        }
        catch (OperationCanceledException)
        {
            deadline.ThrowIfCallerCancelled();
            return new HttpProbeResponse(url, LoginOutcome.Timeout, NoAnswerWithin(timeout));
        }
        catch (Exception ex) when (deadline.Token.IsCancellationRequested)
        {
            deadline.ThrowIfCallerCancelled();
            var detail = $"{NoAnswerWithin(timeout)} ({ex.GetType().Name})";
            return new HttpProbeResponse(url, LoginOutcome.Timeout, detail);
        }
        catch (HttpRequestException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            return new HttpProbeResponse(url, LoginOutcome.ConnectionFailed, message);
        }
        catch (System.IO.IOException ex)
        {
            return new HttpProbeResponse(url, LoginOutcome.ConnectionFailed, ex.Message);
        }
    }

    private static async Task DrainBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        using (cancellationToken.Register(body.Dispose))
        {
            var buffer = new byte[8192];
            var total = 0;
            int read;
            while (total < MaxBodyBytes
                && (read = await body.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }
        }
    }

    private static HttpProbeResponse Describe(Uri url, HttpResponseMessage response)
    {
        var challenges = new List<HttpAuthChallenge>();
        foreach (var value in response.Headers.WwwAuthenticate)
        {
            challenges.AddRange(HttpAuthChallenge.Parse(value.ToString()));
        }

        var status = (int)response.StatusCode;
        return new HttpProbeResponse(url, LoginOutcome.Accepted, $"HTTP {status}")
        {
            StatusCode = status,
            Location = response.Headers.Location?.OriginalString,
            Server = response.Headers.TryGetValues("Server", out var servers) ? string.Join(" ", servers) : null,
            Challenges = challenges,
        };
    }

    private static string NoAnswerWithin(TimeSpan timeout) =>
        $"no complete HTTP answer within {timeout.TotalSeconds:0.#} s";

    private static string NewClientNonce() => Guid.NewGuid().ToString("N").Substring(0, 16);
}
