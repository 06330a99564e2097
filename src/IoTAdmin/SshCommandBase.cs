using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Commands;

/// <summary>
/// What every cmdlet that runs commands on devices over SSH shares beyond the login parameters of
/// <see cref="SshLoginCmdletBase"/>: the devices, port and timeout, and the mapping of SSH failures to
/// per-device error records. A changed host key is the error HostKeyChanged, which names
/// both fingerprints; the device is then left alone and the pipeline goes on with the next one.
/// </summary>
public abstract class SshCommandBase : SshLoginCmdletBase
{
    /// <summary>
    /// Gets or sets the IPv4 addresses or names of the devices: plain strings bind by value, IoTDevice and
    /// inventory objects by their Address.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress", "ComputerName")]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the TCP port of the SSH server.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 22;

    /// <summary>Gets or sets the time allowed to connect and for each command, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int Timeout { get; set; } = 15;

    protected TimeSpan TimeoutSpan => TimeSpan.FromSeconds(Timeout);

    /// <summary>The login from -Credential and -KeyFile.</summary>
    /// <exception cref="PSArgumentException">Neither gives a usable login.</exception>
    protected SshLogin BuildLogin() => BuildLogin(Credential);

    /// <summary>The login for an account: key file when -KeyFile is given, else the password.</summary>
    protected SshLogin BuildLogin(PSCredential? credential)
    {
        if (KeyFilePath is { } path)
        {
            var network = credential?.GetNetworkCredential();
            var passphrase = string.IsNullOrEmpty(network?.Password) ? null : network!.Password;
            return SshLogin.WithKeyFile(network?.UserName is { Length: > 0 } user ? user : "root", path, passphrase);
        }

        if (credential is null || credential == PSCredential.Empty)
        {
            throw new PSArgumentException("Give -Credential (user and password) or -KeyFile to log in over SSH.");
        }

        var plain = credential.GetNetworkCredential();
        return SshLogin.WithPassword(plain.UserName, plain.Password);
    }

    /// <summary>
    /// Connects to one device, runs <paramref name="work"/> and disconnects. SSH and host-key failures
    /// become a non-terminating error for that device and the default of T.
    /// </summary>
    protected bool TryWithShell<T>(
        string address, SshLogin login, Func<DeviceShell, CancellationToken, Task<T>> work, out T result)
    {
        try
        {
            result = RunEngine(async token =>
            {
                using var shell = await DeviceShell.ConnectAsync(
                    address, Port, login, HostKeyPolicy, TimeoutSpan, token).ConfigureAwait(false);
                return await work(shell, token).ConfigureAwait(false);
            });
            return true;
        }
        catch (Exception ex) when (SshErrorRecord(Unwrap(ex), address) is { } record)
        {
            WriteError(record);
            result = default!;
            return false;
        }
    }

    /// <summary>An SSH or host-key exception as an error record, or null for other exceptions.</summary>
    protected internal static ErrorRecord? SshErrorRecord(Exception exception, string address)
    {
        switch (exception)
        {
            case HostKeyChangedException changed:
                return new ErrorRecord(changed, "HostKeyChanged", ErrorCategory.SecurityError, address)
                {
                    ErrorDetails = new ErrorDetails(changed.Message)
                    {
                        RecommendedAction = $"Verify {changed.PresentedFingerprint} on the device's console; if the "
                            + $"device was reset on purpose, run Remove-IoTSshHostKey -Address {changed.Host} "
                            + $"-Port {changed.Port} and connect again with -HostKeyFingerprint.",
                    },
                };
            case HostKeyNotTrustedException untrusted:
                return new ErrorRecord(untrusted, "HostKeyNotTrusted", ErrorCategory.SecurityError, address);
            case DeviceShellException shell:
                return new ErrorRecord(shell, "Ssh" + shell.Failure, Category(shell.Failure), address);
            case System.IO.FileNotFoundException missing:
                return new ErrorRecord(missing, "SshKeyFileNotFound", ErrorCategory.ObjectNotFound, address);
            case KnownHostsFormatException invalid:
                return new ErrorRecord(invalid, "KnownHostsInvalid", ErrorCategory.InvalidData, address);
            case System.IO.InvalidDataException invalid:
                // Output or files of this device that fail their checks (too long, wrong hash).
                return new ErrorRecord(invalid, "DeviceDataInvalid", ErrorCategory.InvalidData, address);
            default:
                return null;
        }
    }

    protected static Exception Unwrap(Exception exception) =>
        exception is AggregateException aggregate && aggregate.InnerExceptions.Count == 1
            ? Unwrap(aggregate.InnerExceptions[0])
            : exception;

    private static ErrorCategory Category(SshFailure failure)
    {
        switch (failure)
        {
            case SshFailure.AuthenticationFailed:
                return ErrorCategory.AuthenticationError;
            case SshFailure.Timeout:
                return ErrorCategory.OperationTimeout;
            case SshFailure.NoCommonAlgorithm:
                return ErrorCategory.ProtocolError;
            case SshFailure.ProtocolError:
                return ErrorCategory.ProtocolError;
            case SshFailure.TransferFailed:
                return ErrorCategory.WriteError;
            default:
                return ErrorCategory.ConnectionError;
        }
    }
}
