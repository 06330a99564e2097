using System;

namespace IoTAdmin.Engine.Monitoring;

/// <summary>What happened to a watched device.</summary>
public enum DeviceAlertKind
{
    /// <summary>The device stopped answering (ICMP echo and SNMP).</summary>
    Unreachable,

    /// <summary>The device answers again after being unreachable.</summary>
    Recovered,

    /// <summary>sysUpTime went backwards: the device (or at least its SNMP agent) restarted.</summary>
    Rebooted,

    /// <summary>A reading crossed its minimum or maximum.</summary>
    ThresholdExceeded,

    /// <summary>A reading is back within its limits.</summary>
    ThresholdCleared,

    /// <summary>A reading could not be taken although the device answers.</summary>
    ReadingFailed,
}

/// <summary>
/// One alert of Watch-IoTDevice (SYS.4.4 M22). Alerts are raised on changes of state, not on every poll:
/// an unreachable device gives one Unreachable alert, then one Recovered alert when it is back.
/// </summary>
public sealed class DeviceAlert
{
    public DeviceAlert(string device, DeviceAlertKind kind, string severity, string message)
    {
        Time = DateTimeOffset.UtcNow;
        Device = device;
        Kind = kind;
        Severity = severity;
        Message = message;
    }

    public DateTimeOffset Time { get; }

    public string Device { get; }

    public string Name { get; set; } = string.Empty;

    public DeviceAlertKind Kind { get; }

    /// <summary>Gets Critical, Warning or Information.</summary>
    public string Severity { get; }

    /// <summary>Gets the reading the alert is about (sysUpTime, a threshold's name), if any.</summary>
    public string Reading { get; set; } = string.Empty;

    public double? Value { get; set; }

    public double? PreviousValue { get; set; }

    /// <summary>Gets the limit that was crossed, written like '&lt;= 70'.</summary>
    public string Threshold { get; set; } = string.Empty;

    public string Message { get; }

    public string Measures => "M22";

    public override string ToString() => $"{Time:u} {Device} {Kind}: {Message}";
}
