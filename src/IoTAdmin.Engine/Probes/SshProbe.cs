using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Ssh;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;

namespace IoTAdmin.Engine.Probes;

/// <summary>
/// Reads SSH identification and algorithm lists, and tries password logins with SSH.NET using both
/// the "password" and the "keyboard-interactive" method (BR-05). Without a <see cref="HostKeyPolicy"/>
/// host keys are only recorded; with one, a key the policy refuses ends the attempt before any
/// password is sent (outcome <see cref="LoginOutcome.HostKeyRefused"/>).
/// </summary>
public static class SshProbe
{
    private const string ClientIdentification = "SSH-2.0-IoTAdmin_1.0\r\n";
    private const int MaxHelloBytes = 40000;

    /// <summary>Reads the identification line and the KEXINIT, without any key agreement.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<SshServerHello> ReadServerHelloAsync(
        string host,
        int port,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = new ProbeDeadline(timeout, cancellationToken);
        try
        {
            using var connection = await NetConnection.OpenAsync(host, port, deadline.Token).ConfigureAwait(false);
            await connection.WriteAsync(Encoding.ASCII.GetBytes(ClientIdentification), deadline.Token)
                .ConfigureAwait(false);
            return await ReadHelloAsync(connection, deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            deadline.ThrowIfCallerCancelled();
            return new SshServerHello(LoginOutcome.Timeout, null, null, $"no SSH identification within {timeout}");
        }
        catch (SocketException ex)
        {
            return new SshServerHello(LoginOutcome.ConnectionFailed, null, null, ex.Message);
        }
    }

    /// <summary>Tries one user name and password; the password never appears in the result.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static Task<SshLoginResult> TryPasswordLoginAsync(
        string host,
        int port,
        CredentialPair credential,
        TimeSpan timeout,
        CancellationToken cancellationToken) =>
        TryPasswordLoginAsync(host, port, credential, timeout, null, cancellationToken);

    /// <summary>Tries one login after the server's host key passed <paramref name="policy"/> (when given).</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<SshLoginResult> TryPasswordLoginAsync(
        string host,
        int port,
        CredentialPair credential,
        TimeSpan timeout,
        HostKeyPolicy? policy,
        CancellationToken cancellationToken)
    {
        var hostKey = new HostKeyRecord { Policy = policy, Host = host, Port = port };
        var result = await AttemptLoginAsync(host, port, credential, timeout, hostKey, cancellationToken)
            .ConfigureAwait(false);
        if (hostKey.Refusal is not null)
        {
            result = new SshLoginResult(LoginOutcome.HostKeyRefused, hostKey.Refusal.Message);
        }

        result.HostKeyFingerprint = hostKey.Fingerprint;
        result.HostKeyAlgorithm = hostKey.Algorithm;
        if (result.Outcome == LoginOutcome.NoCommonAlgorithm)
        {
            result = await DescribeMismatchAsync(host, port, timeout, result, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>The algorithms SSH.NET offers, for "we offer ..." evidence.</summary>
    public static IReadOnlyList<string> ClientKeyExchangeAlgorithms()
    {
        var info = new ConnectionInfo("localhost", "probe", new PasswordAuthenticationMethod("probe", string.Empty));
        return info.KeyExchangeAlgorithms.Keys.ToList();
    }

    private static async Task<SshServerHello> ReadHelloAsync(NetConnection connection, ProbeDeadline deadline)
    {
        var buffer = new byte[MaxHelloBytes];
        var count = 0;
        SshIdentification? identification = null;
        var consumed = 0;
        while (count < buffer.Length)
        {
            var chunk = new byte[buffer.Length - count];
            int read;
            try
            {
                read = await connection.ReadAsync(chunk, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (identification is not null)
            {
                // It is an SSH server, one that never offered its algorithms: keep what it said.
                deadline.ThrowIfCallerCancelled();
                return new SshServerHello(LoginOutcome.Timeout, identification, null,
                    "the server sent its identification but no KEXINIT in time");
            }

            if (read == 0)
            {
                break;
            }

            Buffer.BlockCopy(chunk, 0, buffer, count, read);
            count += read;
            if (identification is null && !SshIdentification.TryParse(buffer, count, out identification, out consumed))
            {
                continue;
            }

            if (SshKexInit.TryParsePacket(buffer, consumed, count - consumed, out var kexInit))
            {
                return new SshServerHello(LoginOutcome.Accepted, identification, kexInit, "KEXINIT read");
            }
        }

        return identification is null
            ? new SshServerHello(LoginOutcome.ProtocolError, null, null, "the service sent no SSH identification")
            : new SshServerHello(LoginOutcome.Accepted, identification, null, "the server sent no KEXINIT");
    }

    private static async Task<SshLoginResult> AttemptLoginAsync(
        string host,
        int port,
        CredentialPair credential,
        TimeSpan timeout,
        HostKeyRecord hostKey,
        CancellationToken cancellationToken)
    {
        using var deadline = new ProbeDeadline(timeout, cancellationToken);
        using var client = CreateClient(host, port, credential, timeout, hostKey);
        try
        {
            await RunWithDeadlineAsync(client, deadline).ConfigureAwait(false);
            var accepted = new SshLoginResult(LoginOutcome.Accepted, "the server accepted the login");
            accepted.ServerIdentification = client.ConnectionInfo.ServerVersion;
            return accepted;
        }
        catch (OperationCanceledException)
        {
            deadline.ThrowIfCallerCancelled();
            return new SshLoginResult(LoginOutcome.Timeout, $"no answer within {timeout}");
        }
        catch (Exception ex) when (!(ex is OperationCanceledException))
        {
            var mapped = MapException(ex);
            mapped.ServerIdentification = client.ConnectionInfo?.ServerVersion;
            return mapped;
        }
        finally
        {
            SafeDisconnect(client);
        }
    }

    private static SshClient CreateClient(
        string host,
        int port,
        CredentialPair credential,
        TimeSpan timeout,
        HostKeyRecord hostKey)
    {
        var password = new PasswordAuthenticationMethod(credential.UserName, credential.Password);
        var keyboard = new KeyboardInteractiveAuthenticationMethod(credential.UserName);

        // BR-05: answer echo-off prompts with the bare password, echoed ones with the bare user name.
        keyboard.AuthenticationPrompt += (_, e) =>
        {
            foreach (var prompt in e.Prompts)
            {
                prompt.Response = prompt.IsEchoed ? credential.UserName : credential.Password;
            }
        };
        var info = new ConnectionInfo(host, port, credential.UserName, password, keyboard) { Timeout = timeout };
        var client = new SshClient(info);
        client.HostKeyReceived += (_, e) =>
        {
            hostKey.Fingerprint = "SHA256:" + e.FingerPrintSHA256;
            hostKey.Algorithm = e.HostKeyName;
            e.CanTrust = hostKey.Judge();
        };
        return client;
    }

    private static async Task RunWithDeadlineAsync(SshClient client, ProbeDeadline deadline)
    {
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
        throw new OperationCanceledException(deadline.Token);
    }

    private static SshLoginResult MapException(Exception ex)
    {
        switch (ex)
        {
            case SshAuthenticationException auth:
                return MapAuthentication(auth);
            case SshConnectionException connection
                when connection.DisconnectReason == DisconnectReason.KeyExchangeFailed
                || connection.Message.IndexOf("negotiat", StringComparison.OrdinalIgnoreCase) >= 0:
                return new SshLoginResult(LoginOutcome.NoCommonAlgorithm, connection.Message);
            case SshOperationTimeoutException timeout:
                return new SshLoginResult(LoginOutcome.Timeout, timeout.Message);
            case SocketException socket:
                return new SshLoginResult(LoginOutcome.ConnectionFailed, socket.Message);
            case SshException ssh when ssh.Message.IndexOf("negotiat", StringComparison.OrdinalIgnoreCase) >= 0:
                return new SshLoginResult(LoginOutcome.NoCommonAlgorithm, ssh.Message);
            default:
                return new SshLoginResult(LoginOutcome.ConnectionFailed, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static SshLoginResult MapAuthentication(SshAuthenticationException ex)
    {
        var methods = ParseMethodList(ex.Message);
        var passwordLike = methods.Contains("password") || methods.Contains("keyboard-interactive");
        var noSuitable = ex.Message.IndexOf("No suitable", StringComparison.OrdinalIgnoreCase) >= 0;
        var outcome = noSuitable && !passwordLike ? LoginOutcome.NoPasswordMethod : LoginOutcome.Rejected;
        var detail = outcome == LoginOutcome.NoPasswordMethod
            ? $"the server allows no password login (methods: {string.Join(",", methods)})"
            : "the server rejected the login";
        return new SshLoginResult(outcome, detail) { AllowedMethods = methods };
    }

    /// <summary>SSH.NET names the server's allowed methods in brackets: "... (publickey,password).".</summary>
    internal static IReadOnlyList<string> ParseMethodList(string message)
    {
        var open = message.LastIndexOf('(');
        var close = message.LastIndexOf(')');
        if (open < 0 || close <= open)
        {
            return new string[0];
        }

        return message.Substring(open + 1, close - open - 1)
            .Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task<SshLoginResult> DescribeMismatchAsync(
        string host,
        int port,
        TimeSpan timeout,
        SshLoginResult result,
        CancellationToken cancellationToken)
    {
        var hello = await ReadServerHelloAsync(host, port, timeout, cancellationToken).ConfigureAwait(false);
        if (hello.KexInit is null)
        {
            return result;
        }

        var detail = $"no common algorithm: server offers kex [{string.Join(",", hello.KexInit.KeyExchangeAlgorithms)}]"
            + $", host keys [{string.Join(",", hello.KexInit.HostKeyAlgorithms)}]"
            + $"; we offer kex [{string.Join(",", ClientKeyExchangeAlgorithms())}]";
        return new SshLoginResult(LoginOutcome.NoCommonAlgorithm, detail)
        {
            ServerIdentification = hello.Identification?.Line,
            HostKeyFingerprint = result.HostKeyFingerprint,
            HostKeyAlgorithm = result.HostKeyAlgorithm,
        };
    }

    private static void SafeDisconnect(SshClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                client.Disconnect();
            }
        }
        catch (Exception)
        {
            // The attempt's outcome is known; a failing polite disconnect changes nothing.
        }
    }

    private sealed class HostKeyRecord
    {
        public string? Fingerprint { get; set; }

        public string? Algorithm { get; set; }

        public HostKeyPolicy? Policy { get; set; }

        public string Host { get; set; } = string.Empty;

        public int Port { get; set; }

        public HostKeyException? Refusal { get; private set; }

        public bool Judge()
        {
            if (Policy is null)
            {
                return true;
            }

            try
            {
                Policy.Check(Host, Port, Algorithm!, Fingerprint!);
                return true;
            }
            catch (HostKeyException refused)
            {
                Refusal = refused;
                return false;
            }
        }
    }
}
