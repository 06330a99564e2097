using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>
/// Sends RFC 5424 messages to one syslog receiver over UDP (one message per datagram), TCP with octet
/// counting (RFC 6587) or TLS (RFC 5425, the same framing). One sender keeps one connection open.
/// </summary>
/// <remarks>
/// UDP gives no delivery guarantee and receivers commonly cut messages above 8 KB (rsyslog's default
/// maxMessageSize); use TCP or TLS where every entry must arrive.
/// </remarks>
public sealed class SyslogSender : IDisposable
{
    private readonly SyslogTarget _target;
    private readonly string _hostName;
    private UdpClient? _udp;
    private TcpClient? _tcp;
    private Stream? _stream;

    public SyslogSender(SyslogTarget target)
    {
        _target = target ?? throw new ArgumentNullException(nameof(target));
        _hostName = Printable(Environment.MachineName, 255);
    }

    public void Send(SyslogSeverity severity, string messageId, string message, DateTimeOffset time)
    {
        var bytes = Encoding.UTF8.GetBytes(Format(severity, messageId, message, time));
        if (_target.Transport == SyslogTransport.Udp)
        {
            _udp ??= new UdpClient(_target.Host, _target.Port);
            _udp.Send(bytes, bytes.Length);
            return;
        }

        var stream = _stream ??= Connect();
        var frame = Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture) + " ");
        stream.Write(frame, 0, frame.Length);
        stream.Write(bytes, 0, bytes.Length);
        stream.Flush();
    }

    /// <summary>Builds the RFC 5424 message: PRI, version 1, timestamp, host, app, procid, msgid, no SD.</summary>
    public string Format(SyslogSeverity severity, string messageId, string message, DateTimeOffset time)
    {
        var priority = _target.Facility * 8 + (int)severity;
        var timestamp = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var processId = Process.GetCurrentProcess().Id.ToString(CultureInfo.InvariantCulture);
        return $"<{priority}>1 {timestamp} {_hostName} {Printable(_target.AppName, 48)} {processId} "
            + $"{Printable(messageId, 32)} - \uFEFF{message}";
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _tcp?.Dispose();
        _udp?.Dispose();
    }

    private Stream Connect()
    {
        _tcp = new TcpClient();
        var milliseconds = (int)_target.Timeout.TotalMilliseconds;
        try
        {
            if (!_tcp.ConnectAsync(_target.Host, _target.Port).Wait(milliseconds))
            {
                throw new TimeoutException($"{_target} did not accept a connection within {milliseconds} ms.");
            }
        }
        catch (AggregateException ex) when (ex.InnerException is SocketException refused)
        {
            throw refused;
        }

        _tcp.SendTimeout = milliseconds;
        _tcp.ReceiveTimeout = milliseconds;
        Stream stream = _tcp.GetStream();
        if (_target.Transport != SyslogTransport.Tls)
        {
            return stream;
        }

        var tls = new SslStream(stream, false, ValidateServer);
        tls.AuthenticateAsClient(_target.Host);
        return tls;
    }

    private bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only an unknown root may be forgiven, and only when it is the CA the caller named.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null
            || _target.CaCertificatePath is null)
        {
            return false;
        }

        using var ca = new X509Certificate2(File.ReadAllBytes(_target.CaCertificatePath));
        using var custom = new X509Chain();
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        custom.ChainPolicy.ExtraStore.Add(ca);
        if (!custom.Build(new X509Certificate2(certificate)))
        {
            return false;
        }

        var root = custom.ChainElements[custom.ChainElements.Count - 1].Certificate;
        return root.Thumbprint == ca.Thumbprint;
    }

    private static string Printable(string text, int maxLength)
    {
        var kept = new string((text ?? string.Empty).Where(c => c > 32 && c < 127).ToArray());
        kept = kept.Length == 0 ? "-" : kept;
        return kept.Length <= maxLength ? kept : kept.Substring(0, maxLength);
    }
}
