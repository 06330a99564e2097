using System;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.ActionLog;
using IoTAdmin.Engine.Diagnostics;

namespace IoTAdmin.Engine.Monitoring;

/// <summary>
/// Sends alerts on as RFC 5424 syslog messages and/or JSON POSTs to a webhook. A failed delivery is logged as
/// a warning and dropped: nothing queues up, so an unreachable receiver cannot grow a long-lived watch.
/// </summary>
public sealed class AlertForwarder : IDisposable
{
    private readonly SyslogTarget? _syslog;
    private readonly Uri? _webhook;
    private readonly IActivityLog _log;
    private readonly HttpClient? _http;
    private readonly SemaphoreSlim _one = new SemaphoreSlim(1, 1);
    private SyslogSender? _sender;

    public AlertForwarder(SyslogTarget? syslog, Uri? webhook, IActivityLog log)
    {
        _syslog = syslog;
        _webhook = webhook;
        _log = log;
        if (webhook != null)
        {
            _http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        }
    }

    /// <summary>Sends one alert; callers on several threads are served one at a time.</summary>
    public async Task ForwardAsync(DeviceAlert alert, CancellationToken cancellationToken)
    {
        var json = ToJson(alert);
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_syslog != null)
            {
                SendSyslog(alert, json);
            }

            if (_http != null && _webhook != null)
            {
                await PostAsync(json, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _one.Release();
        }
    }

    public void Dispose()
    {
        _sender?.Dispose();
        _http?.Dispose();
        _one.Dispose();
    }

    public static string ToJson(DeviceAlert alert) => JsonSerializer.Serialize(new
    {
        time = alert.Time.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
        device = alert.Device,
        name = alert.Name,
        kind = alert.Kind.ToString(),
        severity = alert.Severity,
        reading = alert.Reading,
        value = alert.Value,
        previousValue = alert.PreviousValue,
        threshold = alert.Threshold,
        message = alert.Message,
        measures = alert.Measures,
    });

    private void SendSyslog(DeviceAlert alert, string json)
    {
        var severity = alert.Severity switch
        {
            "Critical" => SyslogSeverity.Critical,
            "Warning" => SyslogSeverity.Warning,
            _ => SyslogSeverity.Informational,
        };
        try
        {
            _sender ??= new SyslogSender(_syslog!);
            _sender.Send(severity, alert.Kind.ToString(), json, alert.Time);
        }
        catch (Exception ex) when (ex is System.IO.IOException || ex is System.Net.Sockets.SocketException
            || ex is TimeoutException || ex is System.Security.Authentication.AuthenticationException)
        {
            // A broken connection is opened afresh next time.
            _sender?.Dispose();
            _sender = null;
            _log.Warning($"Alert for {alert.Device} not sent to {_syslog}: {ex.Message}");
        }
    }

    private async Task PostAsync(string json, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await _http!.PostAsync(_webhook, content, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var site = _webhook!.GetLeftPart(UriPartial.Authority);
                _log.Warning($"The webhook {site} answered {(int)response.StatusCode}.");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is TaskCanceledException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            _log.Warning($"The webhook {_webhook!.GetLeftPart(UriPartial.Authority)} was not reached: {ex.Message}");
        }
    }
}
