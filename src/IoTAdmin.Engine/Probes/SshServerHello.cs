namespace IoTAdmin.Engine.Probes;

/// <summary>What an SSH server says before key agreement: its identification and KEXINIT lists.</summary>
public sealed class SshServerHello
{
    public SshServerHello(LoginOutcome status, SshIdentification? identification, SshKexInit? kexInit, string detail)
    {
        Status = status;
        Identification = identification;
        KexInit = kexInit;
        Detail = detail;
    }

    /// <summary>
    /// <see cref="LoginOutcome.Accepted"/> when the identification was read, otherwise Timeout,
    /// ConnectionFailed or ProtocolError.
    /// </summary>
    public LoginOutcome Status { get; }

    public SshIdentification? Identification { get; }

    /// <summary>The server's algorithm lists; null when it sent no KEXINIT in time.</summary>
    public SshKexInit? KexInit { get; }

    public string Detail { get; }
}
