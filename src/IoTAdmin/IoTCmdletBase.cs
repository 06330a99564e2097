using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Commands;

/// <summary>
/// The shared plumbing of IoTAdmin's cmdlets: one cancellation source tied to Ctrl+C, and the
/// single place where engine tasks are awaited while their log is written from the pipeline thread.
/// </summary>
public abstract class IoTCmdletBase : PSCmdlet
{
    private static readonly TimeSpan s_drainInterval = TimeSpan.FromMilliseconds(100);
    private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

    internal PipelineActivityLog Log { get; } = new PipelineActivityLog();

    protected CancellationToken StopToken => _stopping.Token;

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// Runs engine work and blocks until it ends, writing the engine's log and calling
    /// <paramref name="onTick"/> on the pipeline thread while waiting.
    /// </summary>
    protected T RunEngine<T>(Func<CancellationToken, Task<T>> work, Action? onTick = null)
    {
        var task = Task.Run(() => work(StopToken), StopToken);
        while (!task.Wait(s_drainInterval))
        {
            DrainLog();
            onTick?.Invoke();
        }

        DrainLog();
        onTick?.Invoke();
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            // Ctrl+C: end the pipeline the way PowerShell expects, not with an error record.
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Writes everything the engine logged so far.</summary>
    protected void DrainLog()
    {
        while (Log.TryTake(out var entry))
        {
            switch (entry.Level)
            {
                case PipelineActivityLog.LogLevel.Warning:
                    WriteWarning(entry.Message);
                    break;
                case PipelineActivityLog.LogLevel.Debug:
                    WriteDebug(entry.Message);
                    break;
                default:
                    WriteVerbose(entry.Message);
                    break;
            }
        }
    }

    protected override void EndProcessing()
    {
        DrainLog();
    }
}
