using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using IoTAdmin.Engine.Discovery.Ssdp;

namespace IoTAdmin.Engine.Exposure;

/// <summary>A WAN connection service of an Internet Gateway Device, with its absolute control URL.</summary>
public sealed class UpnpWanService
{
    public UpnpWanService(string serviceType, Uri controlUrl)
    {
        ServiceType = serviceType;
        ControlUrl = controlUrl;
    }

    public string ServiceType { get; }

    public Uri ControlUrl { get; }

    /// <summary>True for WANIPConnection and WANPPPConnection, the services that take port mappings.</summary>
    public bool TakesPortMappings =>
        ServiceType.IndexOf(":WANIPConnection:", StringComparison.Ordinal) > 0
        || ServiceType.IndexOf(":WANPPPConnection:", StringComparison.Ordinal) > 0;

    public override string ToString() => $"{ServiceType} at {ControlUrl}";
}

/// <summary>What a gateway's description says: device type, name and its WAN services.</summary>
public sealed class UpnpGatewayInfo
{
    public UpnpGatewayInfo(string address, Uri location, DeviceDescription description)
    {
        Address = address;
        Location = location;
        Description = description;
    }

    public string Address { get; }

    public Uri Location { get; }

    public DeviceDescription Description { get; }

    public List<UpnpWanService> WanServices { get; } = new List<UpnpWanService>();

    public bool IsInternetGateway =>
        Description.DeviceTypes.Any(t => t.IndexOf("InternetGatewayDevice", StringComparison.Ordinal) >= 0)
        || WanServices.Any(s => s.TakesPortMappings);
}

/// <summary>The answer of a SOAP action: success, or the UPnP error code and text.</summary>
public sealed class UpnpActionResult
{
    public UpnpActionResult(bool succeeded, int? errorCode, string detail)
    {
        Succeeded = succeeded;
        ErrorCode = errorCode;
        Detail = detail;
    }

    public bool Succeeded { get; }

    /// <summary>The UPnP errorCode (e.g. 606 not authorized, 718 conflict), when the device sent one.</summary>
    public int? ErrorCode { get; }

    public string Detail { get; }
}

/// <summary>
/// Talks to a UPnP Internet Gateway Device: finds it by a unicast SSDP search, reads its WAN
/// services from the description (through the safe description reader: no DTD, no entities,
/// capped size, the device's own address only) and sends AddPortMapping and DeletePortMapping.
/// </summary>
public static class UpnpGateway
{
    private const int MaxDescriptionBytes = 256 * 1024;

    private static readonly Regex s_errorCode = new Regex(
        @"<(?:\w+:)?errorCode>\s*(\d+)\s*<", RegexOptions.IgnoreCase);
    private static readonly Regex s_errorText = new Regex(@"<(?:\w+:)?errorDescription>([^<]{0,200})<",
        RegexOptions.IgnoreCase);

    /// <summary>The gateway description of the device, or null when it answers no SSDP search.</summary>
    /// <exception cref="DeviceDescriptionException">The description cannot be fetched or read.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<UpnpGatewayInfo?> FindAsync(
        IPAddress address,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var answers = await SsdpUnicastSearch.SearchAsync(address, timeout, cancellationToken).ConfigureAwait(false);
        var location = answers.Select(a => a.Location).FirstOrDefault(l => l is not null);
        if (location is null)
        {
            return null;
        }

        var refusal = DescriptionFetcher.CheckLocation(location, address, out var uri);
        if (refusal is not null)
        {
            throw new DeviceDescriptionException(refusal);
        }

        var body = await new DescriptionFetcher(MaxDescriptionBytes, timeout).FetchAsync(uri!, cancellationToken)
            .ConfigureAwait(false);
        var info = new UpnpGatewayInfo(address.ToString(), uri!, DeviceDescriptionParser.Parse(body));
        info.WanServices.AddRange(ReadWanServices(body, info.Description.UrlBase, uri!, address));
        return info;
    }

    /// <summary>
    /// The serviceType and controlURL pairs of WAN services. Control URLs that leave the device's
    /// address or are not http are dropped, so a description cannot send our SOAP requests elsewhere.
    /// </summary>
    public static IReadOnlyList<UpnpWanService> ReadWanServices(byte[] body, string? urlBase, Uri location,
        IPAddress device)
    {
        var services = new List<UpnpWanService>();
        var baseUri = Uri.TryCreate(urlBase, UriKind.Absolute, out var declared) ? declared : location;
        using var stream = new MemoryStream(body, writable: false);
        using var reader = XmlReader.Create(stream, DeviceDescriptionParser.SafeSettings(body.Length));
        string? type = null;
        string? control = null;

        // ReadElementContentAsString already moves to the next node, which must not be skipped.
        var positioned = false;
        try
        {
            while ((positioned || reader.Read()) && services.Count < 32)
            {
                positioned = false;
                if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "service")
                {
                    AddIfWan(services, type, control, baseUri, device);
                    type = control = null;
                }
                else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "serviceType")
                {
                    type = reader.ReadElementContentAsString().Trim();
                    positioned = true;
                }
                else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "controlURL")
                {
                    control = reader.ReadElementContentAsString().Trim();
                    positioned = true;
                }
            }
        }
        catch (XmlException)
        {
            // The description parser already accepted the document; a late fault keeps what was read.
        }

        return services;
    }

    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static Task<UpnpActionResult> AddPortMappingAsync(
        UpnpWanService service,
        int externalPort,
        string internalClient,
        int internalPort,
        string protocol,
        string description,
        int leaseSeconds,
        TimeSpan timeout,
        CancellationToken cancellationToken) =>
        InvokeAsync(service, "AddPortMapping", new[]
        {
            ("NewRemoteHost", string.Empty), ("NewExternalPort", externalPort.ToString()), ("NewProtocol", protocol),
            ("NewInternalPort", internalPort.ToString()), ("NewInternalClient", internalClient),
            ("NewEnabled", "1"), ("NewPortMappingDescription", description),
            ("NewLeaseDuration", leaseSeconds.ToString()),
        }, timeout, cancellationToken);

    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static Task<UpnpActionResult> DeletePortMappingAsync(
        UpnpWanService service,
        int externalPort,
        string protocol,
        TimeSpan timeout,
        CancellationToken cancellationToken) =>
        InvokeAsync(service, "DeletePortMapping", new[]
        {
            ("NewRemoteHost", string.Empty), ("NewExternalPort", externalPort.ToString()), ("NewProtocol", protocol),
        }, timeout, cancellationToken);

    /// <summary>
    /// The local IPv4 address this host uses to reach <paramref name="device"/> (no packet is sent).
    /// </summary>
    public static string LocalAddressToward(IPAddress device)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(new IPEndPoint(device, 1900));
        return ((IPEndPoint)socket.LocalEndPoint!).Address.ToString();
    }

    private static async Task<UpnpActionResult> InvokeAsync(
        UpnpWanService service,
        string action,
        IEnumerable<(string Name, string Value)> arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var body = "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
            + "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>"
            + $"<u:{action} xmlns:u=\"{SecurityElement.Escape(service.ServiceType)}\">"
            + string.Concat(arguments.Select(a => $"<{a.Name}>{SecurityElement.Escape(a.Value)}</{a.Name}>"))
            + $"</u:{action}></s:Body></s:Envelope>";
        var headers = new[]
        {
            "Content-Type: text/xml; charset=\"utf-8\"", $"SOAPAction: \"{service.ServiceType}#{action}\"",
        };
        var url = service.ControlUrl;
        var response = await RawHttp.SendAsync(url.Host, url.Port, false, "POST", url.PathAndQuery, headers, body,
            timeout, cancellationToken).ConfigureAwait(false);
        if (!response.Answered)
        {
            return new UpnpActionResult(false, null, $"{action}: {response.Error}");
        }

        if (response.StatusCode == 200)
        {
            return new UpnpActionResult(true, null, $"{action}: accepted ({response.StatusLine})");
        }

        var code = s_errorCode.Match(response.Body);
        var text = s_errorText.Match(response.Body);
        var errorCode = code.Success ? int.Parse(code.Groups[1].Value) : (int?)null;
        var detail = $"{action}: refused, {response.StatusLine}"
            + (errorCode is null ? string.Empty : $", UPnP error {errorCode} {text.Groups[1].Value.Trim()}");
        return new UpnpActionResult(false, errorCode, detail);
    }

    private static void AddIfWan(List<UpnpWanService> services, string? type, string? control, Uri baseUri,
        IPAddress device)
    {
        if (type is null || control is null || type.IndexOf(":WAN", StringComparison.Ordinal) < 0
            || !Uri.TryCreate(baseUri, control, out var url) || url.Scheme != Uri.UriSchemeHttp
            || !IPAddress.TryParse(url.Host, out var host) || !host.Equals(device))
        {
            return;
        }

        services.Add(new UpnpWanService(type, url));
    }
}
