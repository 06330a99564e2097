using IoTAdmin.Engine.Diagnostics;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>Keeps every log line so tests can check what was said, and that no secret was.</summary>
internal sealed class ListLog : IActivityLog
{
    private readonly List<string> _lines = new();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    public void Verbose(string message) => Add("VERBOSE " + message);

    public void Warning(string message) => Add("WARNING " + message);

    public void Debug(string message) => Add("DEBUG " + message);

    private void Add(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
        }
    }
}
