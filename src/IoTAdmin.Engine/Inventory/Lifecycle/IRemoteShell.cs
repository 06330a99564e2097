using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Inventory.Lifecycle;

/// <summary>What one remote command printed and how it ended.</summary>
public sealed class RemoteCommandResult
{
    public RemoteCommandResult(int? exitStatus, string standardOutput, string standardError, bool timedOut)
    {
        ExitStatus = exitStatus;
        StandardOutput = standardOutput;
        StandardError = standardError;
        TimedOut = timedOut;
    }

    public int? ExitStatus { get; }

    public string StandardOutput { get; }

    public string StandardError { get; }

    public bool TimedOut { get; }

    public bool Succeeded => !TimedOut && ExitStatus == 0;
}

/// <summary>
/// The device session the decommissioning needs: run a command, fetch and send a file. The SSH layer's
/// DeviceShell is adapted to it by the cmdlet, which keeps these steps free of any transport.
/// </summary>
public interface IRemoteShell
{
    Task<RemoteCommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken);

    Task<byte[]> DownloadAsync(string remotePath, long maxBytes, CancellationToken cancellationToken);

    Task UploadAsync(Stream content, string remotePath, CancellationToken cancellationToken);
}
