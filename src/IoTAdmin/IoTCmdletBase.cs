using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
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

    // PowerShell 7 writes -Debug's own stream with Continue; Windows PowerShell (engine 3.0) inquires there too.
    private static readonly bool s_debugSwitchInquiresForDebug =
        typeof(PSCmdlet).Assembly.GetName().Version.Major < 7;

    private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

    private int _errorsWritten;
    private ErrorRecord? _lastError;

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

    /// <summary>
    /// Runs <paramref name="work"/> for every item, at most <paramref name="throttleLimit"/> at a time, and hands
    /// each result to <paramref name="write"/> on the pipeline thread as soon as it is done, with progress
    /// "N of M" under <paramref name="activity"/>. A fleet run streams its results instead of waiting for the
    /// slowest device.
    /// </summary>
    protected void RunThrottled<TItem, TResult>(IReadOnlyList<TItem> items, int throttleLimit, int progressId,
        string activity, Func<TItem, CancellationToken, Task<TResult>> work, Action<TResult> write)
    {
        var finished = new ConcurrentQueue<(TItem Item, TResult Result)>();
        var written = 0;
        void WriteFinished()
        {
            while (finished.TryDequeue(out var done))
            {
                written++;
                write(done.Result);
                WriteProgress(new ProgressRecord(progressId, activity, $"{written} of {items.Count}: {done.Item}")
                {
                    PercentComplete = written * 100 / items.Count,
                });
            }
        }

        RunEngine(async token =>
        {
            using var throttle = new SemaphoreSlim(throttleLimit);
            await Task.WhenAll(items.Select(async item =>
            {
                await throttle.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    finished.Enqueue((item, await work(item, token).ConfigureAwait(false)));
                }
                finally
                {
                    throttle.Release();
                }
            })).ConfigureAwait(false);
            return true;
        }, WriteFinished);
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

    /// <summary>
    /// Writes a verbose message. Every IoTAdmin cmdlet reaches Cmdlet.WriteVerbose, WriteWarning and WriteDebug
    /// through these three, so -Debug only adds output: for a compiled cmdlet PowerShell turns -Debug into an
    /// Inquire preference for these streams, a prompt per message that fails in a non-interactive host. Such
    /// messages go straight to the host, as Continue would show them; only then do they bypass redirection.
    /// </summary>
    public new void WriteVerbose(string text)
    {
        if (DebugSwitchInquires(overriddenBy: "Verbose"))
        {
            Host.UI.WriteVerboseLine(text);
        }
        else
        {
            base.WriteVerbose(text);
        }
    }

    /// <summary>Writes a warning; under -Debug without -WarningAction straight to the host (see WriteVerbose).</summary>
    public new void WriteWarning(string text)
    {
        if (DebugSwitchInquires(overriddenBy: "WarningAction"))
        {
            Host.UI.WriteWarningLine(text);
        }
        else
        {
            base.WriteWarning(text);
        }
    }

    /// <summary>
    /// Writes a debug message; PowerShell 7 writes it with Continue under -Debug, Windows PowerShell would ask
    /// (see WriteVerbose).
    /// </summary>
    public new void WriteDebug(string text)
    {
        if (s_debugSwitchInquiresForDebug && DebugSwitchInquires(overriddenBy: null))
        {
            Host.UI.WriteDebugLine(text);
        }
        else
        {
            base.WriteDebug(text);
        }
    }

    /// <summary>
    /// Whether -Debug sets this stream's preference to Inquire: it does unless the stream's own common parameter
    /// (<paramref name="overriddenBy"/>) is given too.
    /// </summary>
    private bool DebugSwitchInquires(string? overriddenBy)
    {
        var bound = MyInvocation.BoundParameters;
        return bound.TryGetValue("Debug", out var debug) && debug is SwitchParameter { IsPresent: true }
            && (overriddenBy is null || !bound.ContainsKey(overriddenBy));
    }

    /// <summary>
    /// Writes a non-terminating error and remembers it, so <see cref="RecordChange"/> can tell whether the
    /// change it wraps failed. Every IoTAdmin cmdlet reaches Cmdlet.WriteError through here.
    /// </summary>
    protected internal new void WriteError(ErrorRecord errorRecord)
    {
        _errorsWritten++;
        _lastError = errorRecord;
        base.WriteError(errorRecord);
    }

    /// <summary>
    /// Runs one confirmed change on one device and records it in the action log: "Failed" with the message of
    /// the last error it wrote or the exception it threw, else "Success". Call it only after ShouldProcess
    /// said yes, so -WhatIf records nothing.
    /// </summary>
    protected internal void RecordChange(string device, Action change, IDictionary? extra = null)
    {
        var errorsBefore = _errorsWritten;
        try
        {
            change();
        }
        catch (Exception ex) when (!(ex is PipelineStoppedException))
        {
            var error = ex is IContainsErrorRecord withRecord ? withRecord.ErrorRecord.Exception : ex;
            RecordAction(device, "Failed", error.Message, extra);
            throw;
        }

        if (_errorsWritten == errorsBefore)
        {
            RecordAction(device, "Success", null, extra);
        }
        else
        {
            RecordAction(device, "Failed", _lastError!.Exception.Message, extra);
        }
    }

    /// <summary>
    /// Records a change this cmdlet made (or tried to make) in the tamper-evident action log (SYS.4.4 M18).
    /// Call it once per device after the change, inside the ShouldProcess branch (never for -WhatIf), with
    /// the outcome: "Success", "Failed" (pass the error message) or "Skipped". The entry holds the cmdlet
    /// name as action, the current user, the device and every bound parameter except common ones; add
    /// more with <paramref name="extra"/> (for example the previous value). Parameters typed PSCredential,
    /// SecureString or *Credential, and any named like password, community, key, secret or token, are
    /// masked before writing, so pass secrets that way and never inside a plain string or the message.
    /// Returns false, after a non-terminating ActionLogWriteFailed error, when the log cannot be written
    /// (key unreadable, lock timeout, or a damaged log the writer refuses to extend); the change itself
    /// has happened by then, so callers go on. A cmdlet that records a batch of pipeline input at once passes
    /// <paramref name="withBoundParameters"/> false: the bound values then belong to the last input only.
    /// Example: <c>RecordAction(address, ok ? "Success" : "Failed", error?.Message);</c>
    /// </summary>
    protected bool RecordAction(string device, string outcome, string? message = null, IDictionary? extra = null,
        bool withBoundParameters = true)
    {
        try
        {
            var entry = ActionRecorder.Record(MyInvocation, device, outcome, message, extra, Log, withBoundParameters);
            DrainLog();
            WriteVerbose($"Recorded as entry {entry.Sequence} in the action log.");
            return true;
        }
        catch (Exception ex) when (ex is Engine.ActionLog.ActionLogException || ex is System.IO.IOException
            || ex is UnauthorizedAccessException)
        {
            DrainLog();
            WriteError(new ErrorRecord(ex, "ActionLogWriteFailed", ErrorCategory.WriteError, device));
            return false;
        }
    }
}
