namespace IoTAdmin.Engine.Probes;

/// <summary>The result of one Telnet login attempt. Never holds the password.</summary>
public sealed class TelnetLoginResult
{
    public TelnetLoginResult(LoginOutcome outcome, string detail)
    {
        Outcome = outcome;
        Detail = detail;
    }

    public LoginOutcome Outcome { get; }

    /// <summary>One sentence saying what happened, for evidence.</summary>
    public string Detail { get; }

    /// <summary>The last text the device printed, escape sequences removed, at most 80 characters.</summary>
    public string? LastPrompt { get; set; }

    /// <summary>How many option negotiation replies were sent.</summary>
    public int NegotiationReplies { get; set; }
}
