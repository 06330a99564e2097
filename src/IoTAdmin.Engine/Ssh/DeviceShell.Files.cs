using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Sftp;

namespace IoTAdmin.Engine.Ssh;

/// <summary>File transfer: SFTP first, SCP when the device has no SFTP server, then plain cat over exec.</summary>
public sealed partial class DeviceShell
{
    private static readonly TimeSpan s_transferTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Writes <paramref name="content"/> to <paramref name="remotePath"/> on the device.</summary>
    /// <exception cref="DeviceShellException">Every way of writing the file failed.</exception>
    public async Task UploadAsync(Stream content, string remotePath, CancellationToken ct)
    {
        RequireRemotePath(remotePath);
        var data = await ReadBoundedAsync(content, 64L * 1024 * 1024, ct).ConfigureAwait(false);
        var failures = new System.Collections.Generic.List<string>();
        if (await TryUploadSftpAsync(data, remotePath, failures, ct).ConfigureAwait(false)
            || await TryUploadScpAsync(data, remotePath, failures, ct).ConfigureAwait(false)
            || await TryUploadCatAsync(data, remotePath, failures, ct).ConfigureAwait(false))
        {
            return;
        }

        throw new DeviceShellException(SshFailure.TransferFailed,
            $"Cannot write {remotePath} on {Host}: {string.Join("; ", failures)}");
    }

    /// <summary>Reads a remote file of at most <paramref name="maxBytes"/> bytes.</summary>
    /// <exception cref="DeviceShellException">The file is missing, unreadable or larger than the bound.</exception>
    public async Task<byte[]> DownloadAsync(string remotePath, long maxBytes, CancellationToken ct)
    {
        RequireRemotePath(remotePath);
        if (maxBytes < 0 || maxBytes > int.MaxValue - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes));
        }

        byte[]? data;
        try
        {
            data = await DownloadSftpAsync(remotePath, maxBytes, ct).ConfigureAwait(false);
        }
        catch (SftpPathNotFoundException)
        {
            throw new DeviceShellException(SshFailure.TransferFailed, $"{remotePath} does not exist on {Host}.");
        }
        catch (SftpPermissionDeniedException)
        {
            throw new DeviceShellException(SshFailure.TransferFailed, $"{remotePath} on {Host}: permission denied.");
        }
        catch (Exception ex) when (ex is SshException || ex is DeviceShellException)
        {
            data = await DownloadCatAsync(remotePath, maxBytes, ct).ConfigureAwait(false);
        }

        if (data.LongLength > maxBytes)
        {
            throw new DeviceShellException(SshFailure.TransferFailed,
                $"{remotePath} on {Host} is larger than the allowed {maxBytes} bytes.");
        }

        return data;
    }

    private static void RequireRemotePath(string remotePath)
    {
        if (string.IsNullOrWhiteSpace(remotePath) || remotePath.IndexOf('\n') >= 0 || remotePath.IndexOf('\0') >= 0)
        {
            throw new ArgumentException($"'{remotePath}' is not a usable remote path.", nameof(remotePath));
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream content, long limit, CancellationToken ct)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false)) > 0)
        {
            if (copy.Length + read > limit)
            {
                throw new ArgumentException($"The content is larger than {limit} bytes.", nameof(content));
            }

            copy.Write(buffer, 0, read);
        }

        return copy.ToArray();
    }

    private async Task<bool> TryUploadSftpAsync(
        byte[] data, string remotePath, System.Collections.Generic.List<string> failures, CancellationToken ct)
    {
        try
        {
            using var sftp = await _connector.ConnectAsync(info => new SftpClient(info), ct).ConfigureAwait(false);
            sftp.OperationTimeout = s_transferTimeout;
            using var source = new MemoryStream(data, writable: false);
            await sftp.UploadFileAsync(source, remotePath, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SshException || ex is DeviceShellException)
        {
            failures.Add("SFTP: " + ex.Message);
            return false;
        }
    }

    private async Task<bool> TryUploadScpAsync(
        byte[] data, string remotePath, System.Collections.Generic.List<string> failures, CancellationToken ct)
    {
        try
        {
            using var scp = await _connector.ConnectAsync(info => new ScpClient(info), ct).ConfigureAwait(false);
            scp.OperationTimeout = s_transferTimeout;
            using var source = new MemoryStream(data, writable: false);
            await Task.Run(() => scp.Upload(source, remotePath), ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SshException || ex is DeviceShellException || ex is IOException)
        {
            failures.Add("SCP: " + ex.Message);
            return false;
        }
    }

    /// <summary>BusyBox devices often have neither: base64 through stdin keeps any byte intact.</summary>
    private async Task<bool> TryUploadCatAsync(
        byte[] data, string remotePath, System.Collections.Generic.List<string> failures, CancellationToken ct)
    {
        var quoted = ShellQuote(remotePath);
        var command = $"base64 -d > {quoted}.iotadmin-tmp && mv -f {quoted}.iotadmin-tmp {quoted}";
        var input = Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks).Replace("\r", string.Empty);
        var result = await RunAsync(command, input, s_transferTimeout, ct).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return true;
        }

        failures.Add($"base64 over the shell: exit {result.ExitStatus?.ToString() ?? "none"}"
            + (result.TimedOut ? " (timed out)" : string.Empty) + $" {result.StandardError.Trim()}");
        return false;
    }

    private async Task<byte[]> DownloadSftpAsync(string remotePath, long maxBytes, CancellationToken ct)
    {
        using var sftp = await _connector.ConnectAsync(info => new SftpClient(info), ct).ConfigureAwait(false);
        sftp.OperationTimeout = s_transferTimeout;
        using var remote = await sftp.OpenAsync(remotePath, FileMode.Open, FileAccess.Read, ct).ConfigureAwait(false);
        using var copy = new MemoryStream();
        var buffer = new byte[32768];
        int read;

        // One byte past the bound is enough to know the file is too large.
        while (copy.Length <= maxBytes
            && (read = await remote.ReadAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false)) > 0)
        {
            copy.Write(buffer, 0, (int)Math.Min(read, maxBytes + 1 - copy.Length));
        }

        return copy.ToArray();
    }

    private async Task<byte[]> DownloadCatAsync(string remotePath, long maxBytes, CancellationToken ct)
    {
        var quoted = ShellQuote(remotePath);
        var command = $"test -r {quoted} && head -c {maxBytes + 1} {quoted} | base64";
        var result = await RunAsync(command, s_transferTimeout, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new DeviceShellException(SshFailure.TransferFailed,
                $"Cannot read {remotePath} on {Host} (exit {result.ExitStatus?.ToString() ?? "none"}"
                + (result.TimedOut ? ", timed out" : string.Empty) + ").");
        }

        try
        {
            return Convert.FromBase64String(result.StandardOutput.Replace("\n", string.Empty).Trim());
        }
        catch (FormatException)
        {
            throw new DeviceShellException(SshFailure.TransferFailed,
                $"{Host} sent {remotePath} in a form that does not decode.");
        }
    }

    /// <summary>Single-quotes a word for a POSIX shell.</summary>
    public static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''") + "'";
}
