namespace IoTAdmin.Engine.Ssh;

/// <summary>How a command reached the device.</summary>
public enum ShellMode
{
    /// <summary>Not decided yet: the first command finds out.</summary>
    Unknown,

    /// <summary>An SSH exec request per command.</summary>
    Exec,

    /// <summary>One interactive shell on a pseudo-terminal, commands framed by markers (BR-08).</summary>
    PtyShell,
}

/// <summary>
/// What one remote command did. In <see cref="ShellMode.PtyShell"/> the terminal merges standard error
/// into <see cref="StandardOutput"/>. On a timeout the output read so far is kept.
/// </summary>
public sealed class ShellCommandResult
{
    public ShellCommandResult(int? exitStatus, string standardOutput, string standardError, bool timedOut)
    {
        ExitStatus = exitStatus;
        StandardOutput = standardOutput;
        StandardError = standardError;
        TimedOut = timedOut;
    }

    /// <summary>The exit status, or null when the command was cut off or the device sent none.</summary>
    public int? ExitStatus { get; }

    public string StandardOutput { get; }

    public string StandardError { get; }

    /// <summary>The hard deadline passed before the command ended.</summary>
    public bool TimedOut { get; }

    /// <summary>The output was longer than the bound and was cut.</summary>
    public bool Truncated { get; internal set; }

    public ShellMode Mode { get; internal set; }

    public bool Succeeded => !TimedOut && ExitStatus == 0;
}
