using System.Collections.Generic;

namespace IoTAdmin.Engine.Probes;

/// <summary>The result of one SSH password login attempt. Never holds the password.</summary>
public sealed class SshLoginResult
{
    public SshLoginResult(LoginOutcome outcome, string detail)
    {
        Outcome = outcome;
        Detail = detail;
    }

    public LoginOutcome Outcome { get; }

    /// <summary>One sentence saying what happened, for evidence.</summary>
    public string Detail { get; }

    /// <summary>The server's host key fingerprint as <c>SHA256:base64</c>, when the handshake got that far.</summary>
    public string? HostKeyFingerprint { get; set; }

    /// <summary>The host key algorithm, e.g. ssh-ed25519.</summary>
    public string? HostKeyAlgorithm { get; set; }

    /// <summary>The server's identification line, when known.</summary>
    public string? ServerIdentification { get; set; }

    /// <summary>The authentication methods the server allows, when it named them.</summary>
    public IReadOnlyList<string> AllowedMethods { get; set; } = new string[0];
}
