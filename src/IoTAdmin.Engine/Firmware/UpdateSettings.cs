using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Engine.Firmware;

/// <summary>
/// Where a model shows its update settings on its web interface (from the catalogue): a page and two
/// patterns whose first group is the automatic-update switch and the update server URL.
/// </summary>
public sealed class UpdateSettingsLocation
{
    public UpdateSettingsLocation(string path, Regex? autoUpdatePattern, Regex? updateUrlPattern)
    {
        Path = path;
        AutoUpdatePattern = autoUpdatePattern;
        UpdateUrlPattern = updateUrlPattern;
    }

    public string Path { get; }

    public int Port { get; set; } = 80;

    public bool Https { get; set; }

    public Regex? AutoUpdatePattern { get; }

    public Regex? UpdateUrlPattern { get; }
}

/// <summary>The update settings a device showed.</summary>
public sealed class UpdateSettings
{
    /// <summary>True on, false off, null when the page does not say.</summary>
    public bool? AutoUpdate { get; set; }

    public string? AutoUpdateText { get; set; }

    public string? UpdateUrl { get; set; }

    /// <summary>The page read, for evidence.</summary>
    public string Source { get; set; } = string.Empty;
}

/// <summary>
/// Reads a device's update settings page over HTTP: without credentials first, then with each given
/// one (HTTP Basic only). Bounded in time and size; a page it cannot read gives a clear reason.
/// </summary>
public static class UpdateSettingsReader
{
    private const int MaxPageBytes = 65536;
    private static readonly string[] s_offWords =
    {
        "off", "disabled", "disable", "no", "false", "0", "never", "manual",
    };

    public static async Task<(UpdateSettings? Settings, string? Problem)> ReadAsync(string address,
        UpdateSettingsLocation location, IReadOnlyList<CredentialPair> credentials, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var url = new Uri($"{(location.Https ? "https" : "http")}://{address}:{location.Port}{location.Path}");
        var attempts = new List<CredentialPair?> { null };
        attempts.AddRange(credentials);
        var status = 0;
        foreach (var credential in attempts)
        {
            var (code, page) = await GetAsync(url, credential, timeout, cancellationToken).ConfigureAwait(false);
            status = code;
            if (code >= 200 && code < 300)
            {
                return (Parse(page, location, url.ToString()), null);
            }

            if (code != 401 && code != 403)
            {
                break;
            }
        }

        var why = status == 0 ? "no answer" : $"HTTP {status}";
        var hint = status == 401 ? " (give the web login with -Credential)" : string.Empty;
        return (null, $"the update settings page {url} could not be read: {why}{hint}");
    }

    public static UpdateSettings Parse(string page, UpdateSettingsLocation location, string source)
    {
        var settings = new UpdateSettings { Source = source };
        var auto = location.AutoUpdatePattern?.Match(page);
        if (auto is { Success: true })
        {
            settings.AutoUpdateText = auto.Groups[1].Value.Trim();
            settings.AutoUpdate = Array.IndexOf(s_offWords, settings.AutoUpdateText.ToLowerInvariant()) < 0;
        }

        var url = location.UpdateUrlPattern?.Match(page);
        if (url is { Success: true })
        {
            settings.UpdateUrl = url.Groups[1].Value.Trim();
        }

        return settings;
    }

    private static async Task<(int Status, string Page)> GetAsync(Uri url, CredentialPair? credential,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false };
        using var client = new HttpClient(handler) { Timeout = timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (credential is not null)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.UserName}:{credential.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead,
                cancellationToken).ConfigureAwait(false);
            using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var buffer = new byte[MaxPageBytes];
            var total = 0;
            int read;
            while (total < buffer.Length
                && (read = await body.ReadAsync(buffer, total, buffer.Length - total, cancellationToken)
                    .ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return ((int)response.StatusCode, Encoding.UTF8.GetString(buffer, 0, total));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException
            || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (0, string.Empty);
        }
    }
}
