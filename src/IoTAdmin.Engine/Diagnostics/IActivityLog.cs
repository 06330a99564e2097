namespace IoTAdmin.Engine.Diagnostics;

/// <summary>
/// Where the engine reports what it is doing. The cmdlets implement this with a queue drained on
/// the pipeline thread (Write-Verbose, Write-Warning); engine code may call it from any thread.
/// Implementations must never receive secrets: callers pass user names, never passwords.
/// </summary>
public interface IActivityLog
{
    void Verbose(string message);

    void Warning(string message);

    void Debug(string message);
}

/// <summary>A log that drops everything, for callers that do not listen.</summary>
public sealed class NullActivityLog : IActivityLog
{
    public static readonly NullActivityLog Instance = new NullActivityLog();

    public void Verbose(string message)
    {
    }

    public void Warning(string message)
    {
    }

    public void Debug(string message)
    {
    }
}
