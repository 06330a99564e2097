using System;
using System.Collections.Generic;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>
/// What a caller wants recorded; the log adds sequence, time, chain hash and MAC. Parameter values
/// go through <see cref="SecretScrubber"/> before anything is written.
/// </summary>
public sealed class ActionRecord
{
    public ActionRecord(string action, string device, string outcome)
    {
        Action = action ?? throw new ArgumentNullException(nameof(action));
        Device = device ?? string.Empty;
        Outcome = outcome ?? string.Empty;
    }

    public string Action { get; }

    public string Device { get; }

    public string Outcome { get; }

    /// <summary>Gets or sets the acting account; the current user when empty.</summary>
    public string Actor { get; set; } = string.Empty;

    public string Message { get; set; } = string.Empty;

    /// <summary>Gets the parameters as the caller had them; secrets are masked on write.</summary>
    public IDictionary<string, object?> Parameters { get; } =
        new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
}
