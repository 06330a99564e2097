using System;
using System.Collections.Generic;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>
/// One change IoTAdmin made, as one line of the action log: who did what to which device, with which
/// (secret-free) parameters and with what outcome, chained to the entry before it and authenticated.
/// </summary>
public sealed class ActionLogEntry
{
    /// <summary>Gets the position of the entry in its log, starting at 1 and without gaps.</summary>
    public long Sequence { get; internal set; }

    /// <summary>Gets when the entry was written (UTC, from the writing machine's clock).</summary>
    public DateTimeOffset Time { get; internal set; }

    /// <summary>Gets the account that made the change (DOMAIN\user or user).</summary>
    public string Actor { get; internal set; } = string.Empty;

    /// <summary>Gets the machine the change was made from.</summary>
    public string Host { get; internal set; } = string.Empty;

    /// <summary>Gets the device the change concerns (address or name); empty for fleet-wide actions.</summary>
    public string Device { get; internal set; } = string.Empty;

    /// <summary>Gets what was done, for example 'Set-IoTSnmpValue' or 'Disable-IoTService'.</summary>
    public string Action { get; internal set; } = string.Empty;

    /// <summary>Gets the parameters of the action, secrets replaced by a mask.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; internal set; } =
        new Dictionary<string, string>();

    /// <summary>Gets how it ended: Success, Failed, Skipped or a word the caller chose.</summary>
    public string Outcome { get; internal set; } = string.Empty;

    /// <summary>Gets a short free-text detail, such as the error message of a failed action.</summary>
    public string Message { get; internal set; } = string.Empty;

    /// <summary>Gets the SHA-256 (hex) of the previous line as written, zeros for the first entry.</summary>
    public string PreviousHash { get; internal set; } = string.Empty;

    /// <summary>Gets the HMAC-SHA256 (hex) over the entry's canonical form, keyed with the log's key.</summary>
    public string Mac { get; internal set; } = string.Empty;

    /// <summary>Gets the path of the log the entry was read from (not part of the entry itself).</summary>
    public string LogPath { get; internal set; } = string.Empty;

    public override string ToString() => $"#{Sequence} {Time:u} {Actor} {Action} {Device} {Outcome}";
}
