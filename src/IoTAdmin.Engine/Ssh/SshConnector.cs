using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Probes;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;

namespace IoTAdmin.Engine.Ssh;

/// <summary>
/// Builds SSH.NET clients that obey a <see cref="HostKeyPolicy"/> and connects them under a hard
/// deadline. Every SSH connection of the module (shell, SFTP, SCP, login probes) goes through here.
/// </summary>
internal sealed class SshConnector
{
    private readonly HostKeyPolicy _policy;
    private readonly TimeSpan _timeout;

    public SshConnector(string host, int port, SshLogin login, HostKeyPolicy policy, TimeSpan timeout)
    {
        Host = host;
        Port = port;
        Login = login;
        _policy = policy;
        _timeout = timeout;
    }

    public string Host { get; }

    public int Port { get; }

    public SshLogin Login { get; }

    /// <summary>The presented key of the last connection, as <c>SHA256:...</c>.</summary>
    public string? HostKeyFingerprint { get; private set; }

    public string? HostKeyAlgorithm { get; private set; }

    public HostKeyDecision? Decision { get; private set; }

    /// <summary>Connects a client made by <paramref name="create"/>; throws the mapped failure.</summary>
    /// <exception cref="HostKeyException">The host key is changed or not trusted.</exception>
    /// <exception cref="DeviceShellException">Connect, login or negotiation failed.</exception>
    public async Task<T> ConnectAsync<T>(Func<ConnectionInfo, T> create, CancellationToken cancellationToken)
        where T : BaseClient
    {
        var client = create(CreateConnectionInfo());
        HostKeyException? refusal = null;
        client.HostKeyReceived += (_, e) => refusal = Judge(e);
        try
        {
            await ConnectWithDeadlineAsync(client, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            client.Dispose();
            if (refusal is not null)
            {
                throw refusal;
            }

            throw Map(ex);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private HostKeyException? Judge(HostKeyEventArgs e)
    {
        HostKeyFingerprint = Ssh.HostKeyFingerprint.Prefix + e.FingerPrintSHA256;
        HostKeyAlgorithm = e.HostKeyName;
        try
        {
            Decision = _policy.Check(Host, Port, e.HostKeyName, HostKeyFingerprint);
            e.CanTrust = true;
            return null;
        }
        catch (HostKeyException refused)
        {
            e.CanTrust = false;
            return refused;
        }
    }

    private ConnectionInfo CreateConnectionInfo()
    {
        var methods = Login.UsesKey
            ? new AuthenticationMethod[] { KeyMethod() }
            : PasswordMethods();
        var info = new ConnectionInfo(Host, Port, Login.UserName, methods) { Timeout = _timeout };
        RestrictToPinnedAlgorithm(info);
        return info;
    }

    /// <summary>
    /// With a pinned key, offer only its algorithm: a server holding several keys then has to show
    /// the pinned one, so a different algorithm can never pass as a "new" key.
    /// </summary>
    private void RestrictToPinnedAlgorithm(ConnectionInfo info)
    {
        var pinned = _policy.Store.Find(Host, Port);
        if (pinned is null || !info.HostKeyAlgorithms.ContainsKey(pinned.Algorithm))
        {
            return;
        }

        foreach (var name in info.HostKeyAlgorithms.Keys.Where(k => k != pinned.Algorithm).ToList())
        {
            info.HostKeyAlgorithms.Remove(name);
        }
    }

    private AuthenticationMethod KeyMethod()
    {
        try
        {
            var stream = new MemoryStream(Login.PrivateKey!, writable: false);
            var key = Login.PrivateKeyPassphrase is null
                ? new PrivateKeyFile(stream)
                : new PrivateKeyFile(stream, Login.PrivateKeyPassphrase);
            return new PrivateKeyAuthenticationMethod(Login.UserName, key);
        }
        catch (Exception ex) when (ex is SshException || ex is InvalidOperationException || ex is ArgumentException)
        {
            // The library's message may quote key material lines; keep only the kind of problem.
            throw new DeviceShellException(SshFailure.AuthenticationFailed,
                $"The private key {Login.PrivateKeySource} cannot be read (wrong passphrase or format: "
                + $"{ex.GetType().Name}).");
        }
    }

    private AuthenticationMethod[] PasswordMethods()
    {
        var password = new PasswordAuthenticationMethod(Login.UserName, Login.Password!);
        var keyboard = new KeyboardInteractiveAuthenticationMethod(Login.UserName);

        // BR-05: answer echo-off prompts with the bare password, echoed ones with the bare user name.
        keyboard.AuthenticationPrompt += (_, e) =>
        {
            foreach (var prompt in e.Prompts)
            {
                prompt.Response = prompt.IsEchoed ? Login.UserName : Login.Password;
            }
        };
        return new AuthenticationMethod[] { password, keyboard };
    }

    private async Task ConnectWithDeadlineAsync(BaseClient client, CancellationToken cancellationToken)
    {
        using var deadline = new ProbeDeadline(_timeout, cancellationToken);
        var connect = client.ConnectAsync(deadline.Token);
        var expiry = Task.Delay(Timeout.Infinite, deadline.Token);
        var first = await Task.WhenAny(connect, expiry).ConfigureAwait(false);
        if (first == connect)
        {
            await connect.ConfigureAwait(false);
            return;
        }

        // Authentication inside SSH.NET may ignore the token; the deadline still ends the attempt.
        _ = connect.ContinueWith(t => t.Exception, TaskScheduler.Default);
        deadline.ThrowIfCallerCancelled();
        throw new DeviceShellException(SshFailure.Timeout,
            $"SSH to {Host}:{Port} did not complete within {_timeout.TotalSeconds:0.#} s.");
    }

    private DeviceShellException Map(Exception ex)
    {
        var where = $"{Host}:{Port}";
        switch (ex)
        {
            case DeviceShellException known:
                return known;
            case SshAuthenticationException:
                var methods = SshProbe.ParseMethodList(ex.Message);
                return new DeviceShellException(SshFailure.AuthenticationFailed,
                    $"{where} refused the login of {Login} (server allows: {string.Join(",", methods)}).");
            case SshConnectionException connection
                when connection.DisconnectReason == DisconnectReason.KeyExchangeFailed || IsNegotiation(ex):
                return new DeviceShellException(SshFailure.NoCommonAlgorithm,
                    $"{where}: no common SSH algorithm ({ex.Message}).", ex);
            case SshOperationTimeoutException:
            case OperationCanceledException:
                return new DeviceShellException(SshFailure.Timeout,
                    $"SSH to {where} did not complete within {_timeout.TotalSeconds:0.#} s.", ex);
            case SocketException socket:
                return new DeviceShellException(SshFailure.ConnectionFailed,
                    $"Cannot reach SSH on {where}: {socket.Message}", ex);
            case SshException when IsNegotiation(ex):
                return new DeviceShellException(SshFailure.NoCommonAlgorithm,
                    $"{where}: no common SSH algorithm ({ex.Message}).", ex);
            default:
                return new DeviceShellException(SshFailure.ConnectionFailed,
                    $"SSH to {where} failed: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    private static bool IsNegotiation(Exception ex) =>
        ex.Message.IndexOf("negotiat", StringComparison.OrdinalIgnoreCase) >= 0;
}
