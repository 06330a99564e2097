using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using IoTAdmin.Engine.ActionLog;
using IoTAdmin.Engine.Diagnostics;

namespace IoTAdmin.Commands;

/// <summary>
/// Writes a cmdlet's change to the action log (see <see cref="IoTCmdletBase.RecordAction"/>). Where the log,
/// key and anchor live and where entries are forwarded come from the environment (IOTADMIN_ACTION_LOG,
/// IOTADMIN_ACTION_LOG_KEY, IOTADMIN_ACTION_LOG_ANCHOR, IOTADMIN_ACTION_LOG_SYSLOG), read on every call so
/// a script may change them between commands.
/// </summary>
internal static class ActionRecorder
{
    /// <summary>Parameters that say how a cmdlet runs, not what it changes.</summary>
    private static readonly HashSet<string> s_skipped = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf",
        "Confirm", "Force", "PassThru",
    };

    public static ActionLogEntry Record(InvocationInfo invocation, string device, string outcome, string? message,
        IDictionary? extra, IActivityLog log, bool withBoundParameters = true)
    {
        var record = new ActionRecord(invocation.MyCommand.Name, device, outcome) { Message = message ?? string.Empty };
        foreach (var pair in invocation.BoundParameters)
        {
            if (withBoundParameters && !s_skipped.Contains(pair.Key))
            {
                record.Parameters[pair.Key] = Unwrap(pair.Value);
            }
        }

        if (extra != null)
        {
            foreach (DictionaryEntry pair in extra)
            {
                record.Parameters[pair.Key.ToString()!] = Unwrap(pair.Value);
            }
        }

        var options = new ActionLogOptions { Syslog = ActionLogOptions.SyslogFromEnvironment() };
        return new ActionLogWriter(options, log).Append(record);
    }

    private static object? Unwrap(object? value) => value switch
    {
        PSObject wrapped => wrapped.BaseObject,
        SwitchParameter flag => flag.IsPresent,
        _ => value,
    };
}
