namespace IoTAdmin.Engine.Credentials;

/// <summary>What a credential test found on one protocol and port of a device.</summary>
public enum CredentialStatus
{
    /// <summary>A listed credential logged in: the account is weak.</summary>
    Accepted,

    /// <summary>Every tried credential was refused.</summary>
    NotAccepted,

    /// <summary>
    /// Nothing was tried: the port is closed or unreachable, the service asks for no password, or no SNMP
    /// agent answers at all.
    /// </summary>
    NotApplicable,

    /// <summary>The service needs no credential at all (anonymous access).</summary>
    Anonymous,

    /// <summary>The test could not finish: timeout, protocol error, refused host key.</summary>
    Error,
}

/// <summary>
/// One result of Test-IoTCredential. Names account and protocol; the password only masked (first
/// character and seven stars). Never holds a secret.
/// </summary>
public sealed class CredentialFinding
{
    public CredentialFinding(string address, CredentialTarget target, CredentialStatus status, string detail)
    {
        Address = address;
        Protocol = target.Protocol;
        Port = target.Port;
        Status = status;
        Detail = detail;
    }

    public string Address { get; }

    public CredentialProtocol Protocol { get; }

    public int Port { get; }

    public CredentialStatus Status { get; }

    /// <summary>The account that accepted a listed password, or null.</summary>
    public string? UserName { get; set; }

    /// <summary>The accepted password, masked.</summary>
    public string? MaskedPassword { get; set; }

    /// <summary>For HTTP, Basic or Digest; for SNMP, the version; else null.</summary>
    public string? Method { get; set; }

    /// <summary>How many logins were sent.</summary>
    public int Attempts { get; set; }

    /// <summary>Pairs left out because an account reached its failure limit (lockout safety).</summary>
    public int SkippedForLockout { get; set; }

    public string Detail { get; }

    /// <summary>
    /// Whether a client got in without a secret of the device's own: a listed password, or no login at all
    /// (Anonymous), which is the worse of the two.
    /// </summary>
    public bool Accepted => Status == CredentialStatus.Accepted || Status == CredentialStatus.Anonymous;
}
