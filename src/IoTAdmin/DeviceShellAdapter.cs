using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory.Lifecycle;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Commands;

/// <summary>The SSH layer's shell as the engine's decommissioning sees it.</summary>
internal sealed class DeviceShellAdapter : IRemoteShell
{
    private readonly DeviceShell _shell;

    public DeviceShellAdapter(DeviceShell shell)
    {
        _shell = shell;
    }

    public async Task<RemoteCommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken ct)
    {
        var result = await _shell.RunAsync(command, timeout, ct).ConfigureAwait(false);
        if (result.Truncated)
        {
            throw new InvalidDataException($"the device printed more than {DeviceShell.MaxOutputBytes} bytes "
                + "for one command; its output was cut, so it cannot be relied on.");
        }

        return new RemoteCommandResult(result.ExitStatus, result.StandardOutput, result.StandardError,
            result.TimedOut);
    }

    public Task<byte[]> DownloadAsync(string remotePath, long maxBytes, CancellationToken ct) =>
        _shell.DownloadAsync(remotePath, maxBytes, ct);

    public Task UploadAsync(Stream content, string remotePath, CancellationToken ct) =>
        _shell.UploadAsync(content, remotePath, ct);
}
