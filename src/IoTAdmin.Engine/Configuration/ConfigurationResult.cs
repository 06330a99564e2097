using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Configuration;

/// <summary>Where one setting of one device stands after a Test, a -WhatIf or a Set.</summary>
public enum ConfigurationStatus
{
    /// <summary>Actual equals desired; nothing to do.</summary>
    InDesiredState,

    /// <summary>Test found a difference.</summary>
    Drift,

    /// <summary>-WhatIf: the listed operations would be run.</summary>
    WouldChange,

    /// <summary>Set ran the operations and the re-test found the setting in its desired state.</summary>
    Changed,

    /// <summary>Set ran (or tried) the operations but the setting still drifts.</summary>
    Failed,

    /// <summary>The drift has no automatic remedy (e.g. a port no managed service explains).</summary>
    NotRemediable,

    /// <summary>The actual state could not be read.</summary>
    Error,
}

/// <summary>
/// One exact operation the Set phase runs on a device: the text is what -WhatIf prints, with every
/// secret masked. The apply delegate runs it through the engine that owns it.
/// </summary>
public sealed class PlannedOperation
{
    public PlannedOperation(
        string setting,
        string description,
        string command,
        Func<SettingContext, CancellationToken, Task> apply)
    {
        Setting = setting;
        Description = description;
        Command = command;
        Apply = apply;
    }

    public string Setting { get; }

    /// <summary>What the operation achieves, e.g. "Disable service telnetd".</summary>
    public string Description { get; }

    /// <summary>The exact device command or engine call, secrets masked.</summary>
    public string Command { get; }

    /// <summary>Run last (a password change ends the session's credentials).</summary>
    public bool RunsLast { get; set; }

    internal Func<SettingContext, CancellationToken, Task> Apply { get; }

    public override string ToString() => $"{Description}: {Command}";
}

/// <summary>One setting of one device: desired against actual, and what was (or would be) done.</summary>
public sealed class ConfigurationResult
{
    public ConfigurationResult(string deviceAddress, string? deviceName, string setting)
    {
        DeviceAddress = deviceAddress;
        DeviceName = deviceName;
        Setting = setting;
    }

    public string DeviceAddress { get; }

    public string? DeviceName { get; }

    /// <summary>Accounts, SshKeyOnly, ServicesOff, Snmp, AllowedPorts, Ntp, Syslog or Baseline.</summary>
    public string Setting { get; }

    public ConfigurationStatus Status { get; set; }

    public bool InDesiredState => Status is ConfigurationStatus.InDesiredState or ConfigurationStatus.Changed;

    /// <summary>The wanted state, in words; never a secret.</summary>
    public string Desired { get; set; } = string.Empty;

    /// <summary>The state read from the device (after a Set: read back), in words; never a secret.</summary>
    public string Actual { get; set; } = string.Empty;

    /// <summary>The operations planned (Test, -WhatIf) or run (Set).</summary>
    public IReadOnlyList<PlannedOperation> Operations { get; set; } = Array.Empty<PlannedOperation>();

    /// <summary>Why the setting errored, failed or cannot be fixed automatically.</summary>
    public string? Message { get; set; }

    public DateTimeOffset CheckedAt { get; set; } = DateTimeOffset.UtcNow;
}
