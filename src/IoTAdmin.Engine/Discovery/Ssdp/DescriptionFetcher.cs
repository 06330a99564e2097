using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Discovery.Ssdp;

/// <summary>
/// Fetches a device description with a plain HTTP/1.0 GET. Only http:// URLs on the address that
/// sent the SSDP answer are fetched, so a rogue device cannot make us connect elsewhere; no proxy, no
/// redirects; the body is read up to a hard cap whatever Content-Length says.
/// </summary>
public sealed class DescriptionFetcher
{
    private const int MaxHeaderBytes = 16 * 1024;

    private readonly int _maxBodyBytes;
    private readonly TimeSpan _timeout;

    public DescriptionFetcher(int maxBodyBytes, TimeSpan timeout)
    {
        _maxBodyBytes = maxBodyBytes;
        _timeout = timeout;
    }

    /// <summary>The reason a LOCATION must not be fetched, or null when it may.</summary>
    public static string? CheckLocation(string location, IPAddress responder, out Uri? uri)
    {
        if (!Uri.TryCreate(location, UriKind.Absolute, out uri))
        {
            return $"LOCATION '{location}' is not a valid URL.";
        }

        if (uri.Scheme != Uri.UriSchemeHttp)
        {
            return $"LOCATION '{location}' is not http://; descriptions are fetched over http only.";
        }

        if (!IPAddress.TryParse(uri.Host, out var host) || !host.Equals(responder))
        {
            return $"LOCATION '{location}' points to another host than the responder {responder}; not fetched.";
        }

        return null;
    }

    /// <summary>Returns the body of a 200 answer; throws <see cref="DeviceDescriptionException"/> otherwise.</summary>
    public async Task<byte[]> FetchAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var client = new TcpClient(AddressFamily.InterNetwork);

        // Disposing the socket is the one cancellation every target framework honours.
        using var registration = timeout.Token.Register(() => client.Dispose());
        try
        {
            await client.ConnectAsync(IPAddress.Parse(uri.Host), uri.Port).ConfigureAwait(false);
            var stream = client.GetStream();
            await SendRequestAsync(stream, uri, timeout.Token).ConfigureAwait(false);
            var raw = await ReadCappedAsync(stream, timeout.Token).ConfigureAwait(false);
            return HttpResponseReader.Body(raw, _maxBodyBytes);
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested
            && (ex is ObjectDisposedException || ex is IOException || ex is SocketException
                || ex is OperationCanceledException))
        {
            throw new DeviceDescriptionException(
                $"No complete description from {uri} within {_timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && !(ex is OperationCanceledException))
        {
            throw new OperationCanceledException("The description fetch was cancelled.", ex, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException || ex is SocketException)
        {
            throw new DeviceDescriptionException($"Fetching {uri} failed: {ex.Message}", ex);
        }
    }

    private static async Task SendRequestAsync(Stream stream, Uri uri, CancellationToken cancellationToken)
    {
        var request = $"GET {uri.PathAndQuery} HTTP/1.0\r\nHost: {uri.Authority}\r\n"
            + "User-Agent: IoTAdmin UPnP/1.0\r\nAccept: text/xml, application/xml\r\nConnection: close\r\n\r\n";
        var bytes = Encoding.ASCII.GetBytes(request);
        await stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
    }

    private async Task<byte[]> ReadCappedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var limit = MaxHeaderBytes + (long)_maxBodyBytes;
        var buffer = new byte[16 * 1024];
        using var received = new MemoryStream();
        while (true)
        {
            var read = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return received.ToArray();
            }

            received.Write(buffer, 0, read);
            if (received.Length > limit)
            {
                // Stop reading at once; the body is checked against the cap below.
                return received.ToArray();
            }
        }
    }
}
