using System.Collections.Concurrent;
using IoTAdmin.Engine.Diagnostics;

namespace IoTAdmin.Engine.Tests.Discovery;

/// <summary>An activity log that keeps every message so tests can look for them.</summary>
internal sealed class RecordingLog : IActivityLog
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public void Verbose(string message) => Messages.Enqueue("VERBOSE " + message);

    public void Warning(string message) => Messages.Enqueue("WARNING " + message);

    public void Debug(string message) => Messages.Enqueue("DEBUG " + message);
}
