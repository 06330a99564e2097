using System;

namespace IoTAdmin.Engine.DeviceLogs;

/// <summary>What a device log line says, as far as security goes.</summary>
public enum DeviceLogEventKind
{
    /// <summary>Any other line.</summary>
    Other,

    /// <summary>A wrong password or key for an existing account.</summary>
    FailedLogin,

    /// <summary>A login attempt for an account that does not exist.</summary>
    InvalidUser,

    /// <summary>A successful login.</summary>
    Login,
}

/// <summary>One line of a device's own log, normalised: time, program, severity, for logins who and whence.</summary>
public sealed class DeviceLogEvent
{
    public string Device { get; set; } = string.Empty;

    /// <summary>Gets or sets the time the line carries; null when it has none (sshd -e writes none).</summary>
    public DateTimeOffset? Time { get; set; }

    /// <summary>Gets or sets the host name in the line, when the format has one.</summary>
    public string Host { get; set; } = string.Empty;

    public string Program { get; set; } = string.Empty;

    public int? ProcessId { get; set; }

    /// <summary>Gets or sets the syslog facility.severity (authpriv.warn) when the line shows it.</summary>
    public string Priority { get; set; } = string.Empty;

    public DeviceLogEventKind Kind { get; set; }

    public string User { get; set; } = string.Empty;

    public string SourceAddress { get; set; } = string.Empty;

    public int? SourcePort { get; set; }

    public string Message { get; set; } = string.Empty;

    /// <summary>Gets or sets where the line came from: logread or the file path on the device.</summary>
    public string Source { get; set; } = string.Empty;

    public string Line { get; set; } = string.Empty;

    public override string ToString() => $"{Time:u} {Device} {Program} {Kind}: {Message}";
}
