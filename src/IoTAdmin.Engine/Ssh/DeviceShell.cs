using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace IoTAdmin.Engine.Ssh;

/// <summary>
/// One logged-in SSH connection to a device, trusted through a <see cref="HostKeyPolicy"/>. Runs
/// commands under a hard deadline (BR-06) by exec or, for devices whose exec does not work, through one
/// PTY shell (BR-08); uploads by SFTP, else SCP, else <c>cat</c>; downloads with a size bound.
/// </summary>
public sealed partial class DeviceShell : IDisposable
{
    /// <summary>The most bytes kept per output stream of one command.</summary>
    public const long MaxOutputBytes = 1024 * 1024;

    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(5);
    private readonly SshConnector _connector;
    private readonly SshClient _client;
    private readonly SemaphoreSlim _oneAtATime = new SemaphoreSlim(1, 1);
    private PtySession? _pty;

    private DeviceShell(SshConnector connector, SshClient client)
    {
        _connector = connector;
        _client = client;
    }

    public string Host => _connector.Host;

    public int Port => _connector.Port;

    /// <summary>The server's identification line, e.g. SSH-2.0-dropbear_2022.83.</summary>
    public string ServerVersion => _client.ConnectionInfo.ServerVersion ?? string.Empty;

    /// <summary>The host key the server presented, <c>SHA256:...</c> (it passed the policy).</summary>
    public string HostKeyFingerprint => _connector.HostKeyFingerprint ?? string.Empty;

    public string HostKeyAlgorithm => _connector.HostKeyAlgorithm ?? string.Empty;

    /// <summary>True when this connection pinned a key that was unknown before.</summary>
    public bool HostKeyPinnedNow => _connector.Decision == HostKeyDecision.PinnedNow;

    /// <summary>How commands reach the device; decided by the first command.</summary>
    public ShellMode Mode { get; private set; }

    /// <summary>Connects and logs in.</summary>
    /// <exception cref="HostKeyChangedException">The device presented another key than the pinned one.</exception>
    /// <exception cref="HostKeyNotTrustedException">The key is unknown and the policy may not pin it.</exception>
    /// <exception cref="DeviceShellException">Unreachable, timeout, login refused, no common algorithm.</exception>
    public static async Task<DeviceShell> ConnectAsync(
        string host,
        int port,
        SshLogin login,
        HostKeyPolicy policy,
        TimeSpan timeout,
        CancellationToken ct)
    {
        var connector = new SshConnector(host, port, login, policy, timeout);
        var client = await connector.ConnectAsync(info => new SshClient(info), ct).ConfigureAwait(false);
        return new DeviceShell(connector, client);
    }

    /// <summary>Runs a command; never waits past <paramref name="timeout"/> (measured from the call).</summary>
    public Task<ShellCommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken ct) =>
        RunAsync(command, null, timeout, ct);

    /// <summary>
    /// Runs a command feeding <paramref name="standardInput"/> to it (secrets go here, never on the
    /// command line, where a device's process list would show them). In PTY mode the input is
    /// passed as a here-document with terminal echo off, and any echo of it is blanked in the output.
    /// </summary>
    public async Task<ShellCommandResult> RunAsync(
        string command, string? standardInput, TimeSpan timeout, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new ArgumentException("The command is empty.", nameof(command));
        }

        var started = DateTime.UtcNow;
        await _oneAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Mode == ShellMode.Unknown)
            {
                Mode = await ChooseModeAsync(Remaining(started, timeout), ct).ConfigureAwait(false);
            }

            var left = Remaining(started, timeout);
            var result = Mode == ShellMode.Exec
                ? await ExecAsync(command, standardInput, left, ct).ConfigureAwait(false)
                : await RunInPtyAsync(command, standardInput, left, ct).ConfigureAwait(false);
            result.Mode = Mode;
            return result;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose()
    {
        _pty?.Dispose();
        try
        {
            if (_client.IsConnected)
            {
                _client.Disconnect();
            }
        }
        catch (Exception)
        {
            // The work is done or failed already; a failing polite disconnect changes nothing.
        }

        _client.Dispose();
        _oneAtATime.Dispose();
    }

    private static TimeSpan Remaining(DateTime started, TimeSpan timeout)
    {
        var left = timeout - (DateTime.UtcNow - started);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>
    /// Tries a harmless exec first: a device that refuses exec or never answers it gets the PTY
    /// shell for this and every later command, so the real command never runs twice.
    /// </summary>
    private async Task<ShellMode> ChooseModeAsync(TimeSpan budget, CancellationToken ct)
    {
        var probeTime = budget < s_probeTimeout ? budget : s_probeTimeout;
        try
        {
            var probe = await ExecAsync("echo iotadmin-exec-ok", null, probeTime, ct).ConfigureAwait(false);
            if (!probe.TimedOut && probe.StandardOutput.Contains("iotadmin-exec-ok"))
            {
                return ShellMode.Exec;
            }
        }
        catch (DeviceShellException)
        {
            // The exec request was refused: the shell is the way in.
        }

        return ShellMode.PtyShell;
    }

    private async Task<ShellCommandResult> ExecAsync(
        string command, string? standardInput, TimeSpan timeout, CancellationToken ct)
    {
        var sshCommand = _client.CreateCommand(command);
        using var deadline = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var stdout = new OutputCapture(MaxOutputBytes);
        var stderr = new OutputCapture(MaxOutputBytes);
        Task execution;
        try
        {
            execution = sshCommand.ExecuteAsync(linked.Token);
        }
        catch (Exception ex) when (ex is SshException || ex is InvalidOperationException)
        {
            sshCommand.Dispose();
            throw new DeviceShellException(SshFailure.ProtocolError,
                $"{Host}:{Port} refused the exec request: {ex.Message}", ex);
        }

        var pumps = Task.WhenAll(stdout.PumpAsync(sshCommand.OutputStream),
            stderr.PumpAsync(sshCommand.ExtendedOutputStream));
        await FeedInputAsync(sshCommand, standardInput).ConfigureAwait(false);
        var finished = await WaitAsync(execution, linked.Token).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        if (!finished)
        {
            ForgetCommand(sshCommand, execution);
            return Result(null, stdout, stderr, timedOut: true);
        }

        await WaitAsync(pumps, deadline.Token).ConfigureAwait(false);
        var failure = execution.Exception?.GetBaseException();
        sshCommand.Dispose();
        if (failure is not null && !(failure is OperationCanceledException))
        {
            throw new DeviceShellException(SshFailure.ProtocolError,
                $"The command on {Host}:{Port} failed: {failure.Message}", failure);
        }

        return Result(sshCommand.ExitStatus, stdout, stderr, timedOut: failure is OperationCanceledException);
    }

    private static async Task FeedInputAsync(SshCommand command, string? standardInput)
    {
        if (standardInput is null)
        {
            return;
        }

        using var input = command.CreateInputStream();
        var bytes = System.Text.Encoding.UTF8.GetBytes(standardInput);
        await input.WriteAsync(bytes, 0, bytes.Length).ConfigureAwait(false);
    }

    /// <summary>True when the task ended before the token fired; never throws the task's fault.</summary>
    private static async Task<bool> WaitAsync(Task task, CancellationToken token)
    {
        var expiry = Task.Delay(Timeout.Infinite, token);
        var first = await Task.WhenAny(task, expiry).ConfigureAwait(false);
        return first == task;
    }

    /// <summary>A command past its deadline: ask the device to stop it, then let it go.</summary>
    private static void ForgetCommand(SshCommand command, Task execution)
    {
        _ = execution.ContinueWith(_ => command.Dispose(), TaskScheduler.Default);
        try
        {
            command.CancelAsync(forceKill: true, millisecondsTimeout: 200);
        }
        catch (Exception)
        {
            // A device without signals keeps running it; the channel dies with the connection.
        }
    }

    private static ShellCommandResult Result(
        int? exit, OutputCapture stdout, OutputCapture stderr, bool timedOut) =>
        new ShellCommandResult(exit, stdout.Text(), stderr.Text(), timedOut)
        {
            Truncated = stdout.Truncated || stderr.Truncated,
        };

    private async Task<ShellCommandResult> RunInPtyAsync(
        string command, string? standardInput, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            _pty ??= await PtySession.OpenAsync(_client, linked.Token).ConfigureAwait(false);
            var result = await _pty.RunAsync(command, standardInput, linked.Token).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            if (result.TimedOut)
            {
                // The shell may still be busy with the command: the next one gets a fresh shell.
                _pty.Dispose();
                _pty = null;
            }

            return result;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            _pty?.Dispose();
            _pty = null;
            return new ShellCommandResult(null, string.Empty, string.Empty, timedOut: true);
        }
    }
}
