using System.Collections.Concurrent;
using IoTAdmin.Engine.Diagnostics;

namespace IoTAdmin.Commands;

/// <summary>
/// Collects the engine's log messages from any thread so the cmdlet can write them from the
/// pipeline thread, the only thread allowed to call WriteVerbose and WriteWarning.
/// </summary>
internal sealed class PipelineActivityLog : IActivityLog
{
    private readonly ConcurrentQueue<LogEntry> _entries = new ConcurrentQueue<LogEntry>();

    public void Verbose(string message) => _entries.Enqueue(new LogEntry(LogLevel.Verbose, message));

    public void Warning(string message) => _entries.Enqueue(new LogEntry(LogLevel.Warning, message));

    public void Debug(string message) => _entries.Enqueue(new LogEntry(LogLevel.Debug, message));

    public bool TryTake(out LogEntry entry) => _entries.TryDequeue(out entry);

    internal enum LogLevel
    {
        Verbose,
        Warning,
        Debug,
    }

    internal readonly struct LogEntry
    {
        public LogEntry(LogLevel level, string message)
        {
            Level = level;
            Message = message;
        }

        public LogLevel Level { get; }

        public string Message { get; }
    }
}
