using System.Net;
using System.Net.Sockets;

namespace IoTAdmin.Engine.Tests.Discovery;

/// <summary>A real HTTP server (System.Net.HttpListener) on a loopback address serving one body.</summary>
internal sealed class HttpListenerHost : IDisposable
{
    private readonly HttpListener _listener = new();

    public HttpListenerHost(IPAddress address, byte[] body)
    {
        Port = FreePort(address);
        _listener.Prefixes.Add($"http://{address}:{Port}/");
        _listener.Start();
        _ = ServeAsync(body);
    }

    public int Port { get; }

    public void Dispose() => _listener.Close();

    private static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync(byte[] body)
    {
        try
        {
            while (_listener.IsListening)
            {
                var context = await _listener.GetContextAsync();
                context.Response.ContentType = "text/xml";
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }
}
