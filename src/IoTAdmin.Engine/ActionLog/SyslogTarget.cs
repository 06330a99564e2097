using System;
using System.Globalization;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>How syslog messages travel: RFC 5426 UDP, RFC 6587 TCP with octet counting, RFC 5425 TLS.</summary>
public enum SyslogTransport
{
    Udp,
    Tcp,
    Tls,
}

/// <summary>RFC 5424 severities.</summary>
public enum SyslogSeverity
{
    Emergency = 0,
    Alert = 1,
    Critical = 2,
    Error = 3,
    Warning = 4,
    Notice = 5,
    Informational = 6,
    Debug = 7,
}

/// <summary>
/// A syslog receiver, written as udp://host:514, tcp://host:601 or tls://host:6514. For TLS the server's
/// certificate must chain to a trusted root and match the host name; '?ca=PATH' names a PEM or DER CA
/// certificate to trust for this receiver only (a private log server's CA).
/// </summary>
public sealed class SyslogTarget
{
    public SyslogTarget(SyslogTransport transport, string host, int port)
    {
        Transport = transport;
        Host = string.IsNullOrWhiteSpace(host) ? throw new ArgumentException("The syslog host is empty.") : host;
        Port = port is > 0 and < 65536 ? port : throw new ArgumentOutOfRangeException(nameof(port));
    }

    public SyslogTransport Transport { get; }

    public string Host { get; }

    public int Port { get; }

    /// <summary>Gets or sets a CA certificate file to trust for TLS, besides the system's roots.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>Gets or sets the RFC 5424 facility; 10 (authpriv) by default, 13 is log audit.</summary>
    public int Facility { get; set; } = 10;

    /// <summary>Gets or sets the APP-NAME field.</summary>
    public string AppName { get; set; } = "IoTAdmin";

    /// <summary>Gets or sets how long connecting and sending may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    public static SyslogTarget Parse(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Port <= 0)
        {
            throw new FormatException($"'{text}' is not a syslog target such as udp://host:514 or tls://host:6514.");
        }

        var transport = uri.Scheme.ToLowerInvariant() switch
        {
            "udp" => SyslogTransport.Udp,
            "tcp" => SyslogTransport.Tcp,
            "tls" => SyslogTransport.Tls,
            _ => throw new FormatException($"'{uri.Scheme}' is not udp, tcp or tls."),
        };
        var target = new SyslogTarget(transport, uri.Host, uri.Port);
        foreach (var part in uri.Query.TrimStart('?').Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split(new[] { '=' }, 2);
            if (pair.Length == 2 && pair[0] == "ca")
            {
                target.CaCertificatePath = Uri.UnescapeDataString(pair[1]);
            }
            else if (pair.Length == 2 && pair[0] == "facility")
            {
                target.Facility = int.Parse(pair[1], CultureInfo.InvariantCulture);
            }
        }

        return target;
    }

    public override string ToString() => $"{Transport.ToString().ToLowerInvariant()}://{Host}:{Port}";
}
