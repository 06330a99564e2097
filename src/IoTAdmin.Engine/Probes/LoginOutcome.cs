namespace IoTAdmin.Engine.Probes;

/// <summary>What happened when a probe tried to log in (or connect anonymously) to a service.</summary>
public enum LoginOutcome
{
    /// <summary>The service let the client in with the given credentials.</summary>
    Accepted,

    /// <summary>The service refused the credentials.</summary>
    Rejected,

    /// <summary>The service offers no password-based login method at all (e.g. SSH publickey only).</summary>
    NoPasswordMethod,

    /// <summary>Client and server share no key exchange, host key, cipher or MAC algorithm.</summary>
    NoCommonAlgorithm,

    /// <summary>The service never asked for a user name (no login prompt, no authentication challenge).</summary>
    NoLoginPrompt,

    /// <summary>The per-operation deadline passed before the service gave an answer.</summary>
    Timeout,

    /// <summary>No connection could be made, or it was lost before an answer.</summary>
    ConnectionFailed,

    /// <summary>The service answered with something the probe could not interpret.</summary>
    ProtocolError,

    /// <summary>
    /// The SSH host key policy refused the server's key (changed or not trusted), so no password
    /// was sent.
    /// </summary>
    HostKeyRefused,
}
