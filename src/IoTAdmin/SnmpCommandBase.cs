using System;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Commands;

/// <summary>
/// What Get-IoTSnmpValue and Set-IoTSnmpValue share: the device addresses, port, timeout and retries,
/// one SNMP socket for the whole pipeline, and per-device error handling that never stops the run.
/// </summary>
public abstract class SnmpCommandBase : IoTCmdletBase, IDisposable
{
    private SnmpClient? _client;

    /// <summary>Gets or sets the IPv4 addresses of the devices; IoTDevice objects bind by Address.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress", "ComputerName")]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the UDP port of the agents.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 161;

    /// <summary>Gets or sets the time to wait for each answer, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 60)]
    public int Timeout { get; set; } = 2;

    /// <summary>Gets or sets how often an unanswered request is sent again.</summary>
    [Parameter]
    [ValidateRange(0, 10)]
    public int Retries { get; set; } = 1;

    /// <summary>The socket every request of this pipeline goes through, opened on first use.</summary>
    protected SnmpClient Client => _client ??= new SnmpClient(Log);

    /// <summary>The timeout and retries of every request.</summary>
    protected SnmpRequestOptions Options => new SnmpRequestOptions
    {
        Timeout = TimeSpan.FromSeconds(Timeout),
        Retries = Retries,
    };

    /// <inheritdoc/>
    public void Dispose()
    {
        _client?.Dispose();
        _client = null;
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        base.EndProcessing();
        Dispose();
    }

    /// <summary>Parses a literal IPv4 address; writes InvalidAddress otherwise (no name is resolved).</summary>
    protected bool TryGetAgent(string address, out IPEndPoint agent)
    {
        var trimmed = address?.Trim() ?? string.Empty;
        if (IPAddress.TryParse(trimmed, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetwork)
        {
            agent = new IPEndPoint(parsed, Port);
            return true;
        }

        agent = null!;
        var error = new ArgumentException($"'{address}' is not an IPv4 address.");
        WriteError(new ErrorRecord(error, "InvalidAddress", ErrorCategory.InvalidArgument, address));
        return false;
    }

    /// <summary>
    /// Runs one engine call for a device. SNMP failures become non-terminating errors and false, so
    /// the caller goes on with the next device.
    /// </summary>
    protected bool TryRun<T>(string address, Func<CancellationToken, Task<T>> work, out T result)
    {
        try
        {
            result = RunEngine(work);
            return true;
        }
        catch (Exception ex) when (SnmpErrors.FromException(Unwrap(ex), address) is not null)
        {
            WriteError(SnmpErrors.FromException(Unwrap(ex), address)!);
            result = default!;
            return false;
        }
    }

    private static Exception Unwrap(Exception exception) =>
        exception is AggregateException aggregate && aggregate.InnerExceptions.Count == 1
            ? Unwrap(aggregate.InnerExceptions[0])
            : exception;

    /// <summary>Resolves the AES-192/256 flavour of a v3 credential for one agent (no request otherwise).</summary>
    protected bool TryResolveCredential(
        string address, IPEndPoint agent, SnmpCredential credential, out SnmpCredential resolved) =>
        TryRun(address, token => credential.ResolveForAsync(Client, agent, Options, token), out resolved);
}
