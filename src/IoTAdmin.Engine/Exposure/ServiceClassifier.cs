using System;
using System.Linq;
using System.Text;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Exposure;

/// <summary>Names a service from the first bytes it sent, on its own or in answer to a probe.</summary>
public static class ServiceClassifier
{
    private const int MaxBannerText = 160;

    /// <summary>
    /// Fills name, product, version and banner of <paramref name="service"/>; false when nothing matched.
    /// </summary>
    public static bool Classify(byte[] data, NetworkService service)
    {
        if (data.Length == 0)
        {
            return false;
        }

        service.Banner = Printable(data);
        return TrySsh(data, service) || TryTelnet(data, service) || TryTls(data, service)
            || TryMqtt(data, service) || TryHttpLike(data, service) || TryFtp(data, service);
    }

    /// <summary>Control bytes as dots, cut to a length a table can show.</summary>
    public static string Printable(byte[] data)
    {
        var length = Math.Min(data.Length, MaxBannerText);
        var chars = new char[length];
        for (var index = 0; index < length; index++)
        {
            var b = data[index];
            chars[index] = b >= 0x20 && b < 0x7F ? (char)b : '.';
        }

        return new string(chars).Trim('.', ' ');
    }

    /// <summary>Splits "dropbear_2022.83", "lighttpd/1.4.69" or "OpenSSH_9.2p1" into product and version.</summary>
    public static (string Product, string? Version) SplitSoftware(string software)
    {
        var cut = software.IndexOfAny(new[] { '/', '_' });
        return cut <= 0 || cut == software.Length - 1
            ? (software, null)
            : (software.Substring(0, cut), software.Substring(cut + 1));
    }

    /// <summary>
    /// Product and version from a Server header: the last token of a UPnP triple ("OS UPnP/1.1
    /// MiniUPnPd/2.3.1"), otherwise the text before the last slash, comments in parentheses dropped.
    /// </summary>
    public static (string Product, string? Version) SplitServerHeader(string server)
    {
        var comment = server.IndexOf(" (", StringComparison.Ordinal);
        var plain = (comment > 0 ? server.Substring(0, comment) : server).Trim();
        if (IsUpnp(plain))
        {
            return SplitSoftware(plain.Split(' ').Last(part => part.Length > 0));
        }

        var slash = plain.LastIndexOf('/');
        var space = plain.IndexOf(' ', Math.Max(0, slash));
        var end = space < 0 ? plain.Length : space;
        return slash <= 0 || slash >= end - 1
            ? (plain, null)
            : (plain.Substring(0, slash), plain.Substring(slash + 1, end - slash - 1));
    }

    private static bool TrySsh(byte[] data, NetworkService service)
    {
        if (!SshIdentification.TryParse(data, data.Length, out var identification, out _) || identification is null)
        {
            return false;
        }

        service.Name = "ssh";
        if (identification.SoftwareVersion.Length > 0)
        {
            (service.Product, service.Version) = SplitSoftware(identification.SoftwareVersion);
        }

        service.Banner = identification.Line;
        service.Detail = "SSH identification line";
        return true;
    }

    // IAC followed by WILL, WONT, DO or DONT: a Telnet server opening option negotiation.
    private static bool TryTelnet(byte[] data, NetworkService service)
    {
        var negotiates = data.Length >= 3 && data[0] == 0xFF && data[1] >= 0xFB && data[1] <= 0xFE;
        var prompts = Encoding.ASCII.GetString(data).IndexOf("login:", StringComparison.OrdinalIgnoreCase) >= 0;
        if (!negotiates && !prompts)
        {
            return false;
        }

        service.Name = "telnet";
        service.Detail = negotiates ? "Telnet option negotiation (IAC)" : "login prompt";
        return true;
    }

    // A TLS record header: handshake (22) or alert (21), major version 3.
    private static bool TryTls(byte[] data, NetworkService service)
    {
        if (data.Length < 5 || (data[0] != 0x16 && data[0] != 0x15) || data[1] != 0x03)
        {
            return false;
        }

        service.Name = "tls";
        service.Tls = true;
        service.Banner = null;
        service.Detail = data[0] == 0x16 ? "TLS handshake answer" : "TLS alert";
        return true;
    }

    private static bool TryMqtt(byte[] data, NetworkService service)
    {
        if (!MqttPackets.TryParseConnAck(data, data.Length, out var returnCode, out _))
        {
            return false;
        }

        service.Name = "mqtt";
        service.Banner = null;
        service.Detail = $"MQTT CONNACK: {MqttPackets.DescribeReturnCode(returnCode)}";
        return true;
    }

    private static bool TryHttpLike(byte[] data, NetworkService service)
    {
        var text = Encoding.ASCII.GetString(data);
        var rtsp = text.StartsWith("RTSP/1.", StringComparison.Ordinal);
        if (!rtsp && !text.StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return false;
        }

        var server = HeaderValue(text, "Server");
        service.Name = rtsp ? "rtsp" : IsUpnp(server) ? "upnp" : service.Tls ? "https" : "http";
        if (server is not null)
        {
            (service.Product, service.Version) = SplitServerHeader(server);
        }

        service.Banner = FirstLine(text);
        service.Detail = server is null ? "status line" : $"status line, Server: {server}";
        return true;
    }

    private static bool TryFtp(byte[] data, NetworkService service)
    {
        var text = Encoding.ASCII.GetString(data);
        if (!(text.StartsWith("220 ", StringComparison.Ordinal) || text.StartsWith("220-", StringComparison.Ordinal)))
        {
            return false;
        }

        var smtp = text.IndexOf("SMTP", StringComparison.OrdinalIgnoreCase) >= 0;
        service.Name = smtp ? "smtp" : "ftp";
        service.Banner = FirstLine(text);
        service.Detail = "220 greeting";
        return true;
    }

    private static bool IsUpnp(string? server) =>
        server is not null && server.IndexOf("UPnP/", StringComparison.OrdinalIgnoreCase) >= 0;

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(new[] { '\r', '\n' });
        var line = end < 0 ? text : text.Substring(0, end);
        return line.Length > MaxBannerText ? line.Substring(0, MaxBannerText) : line;
    }

    /// <summary>The value of the first header with this name in an HTTP or RTSP head, or null.</summary>
    internal static string? HeaderValue(string head, string name)
    {
        var headEnd = head.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lines = (headEnd < 0 ? head : head.Substring(0, headEnd)).Split('\n');
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && string.Equals(line.Substring(0, colon).Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                var value = line.Substring(colon + 1).Trim();
                return value.Length > MaxBannerText ? value.Substring(0, MaxBannerText) : value;
            }
        }

        return null;
    }
}
