using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Engine.Firmware;

/// <summary>The SSH layer's <see cref="DeviceShell"/> as the session the updater and restarter use.</summary>
public sealed class DeviceShellSession : IDeviceSession
{
    private readonly DeviceShell _shell;
    private readonly bool _owned;

    /// <param name="shell">The connected shell.</param>
    /// <param name="owned">Whether disposing the session closes the shell.</param>
    public DeviceShellSession(DeviceShell shell, bool owned)
    {
        _shell = shell;
        _owned = owned;
    }

    public async Task<DeviceCommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await _shell.RunAsync(command, timeout, cancellationToken).ConfigureAwait(false);
        return new DeviceCommandResult(result.ExitStatus, result.StandardOutput, result.StandardError, result.TimedOut);
    }

    public Task UploadAsync(Stream content, string remotePath, CancellationToken cancellationToken) =>
        _shell.UploadAsync(content, remotePath, cancellationToken);

    public void Dispose()
    {
        if (_owned)
        {
            _shell.Dispose();
        }
    }
}
