using System;

namespace IoTAdmin.Engine.Ssh;

/// <summary>The base of the host-key trust failures; work on that device must stop.</summary>
public abstract class HostKeyException : Exception
{
    protected HostKeyException(string host, int port, string presentedFingerprint, string message)
        : base(message)
    {
        Host = host;
        Port = port;
        PresentedFingerprint = presentedFingerprint;
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>The fingerprint the server presented in this connection.</summary>
    public string PresentedFingerprint { get; }
}

/// <summary>
/// The server presented a key other than the pinned one: a re-installed device or a
/// man-in-the-middle. Never accepted automatically.
/// </summary>
public sealed class HostKeyChangedException : HostKeyException
{
    public HostKeyChangedException(string host, int port, string pinnedFingerprint, string presentedFingerprint,
        string storePath)
        : base(host, port, presentedFingerprint,
            $"The SSH host key of {host}:{port} has changed: pinned {pinnedFingerprint}, presented "
            + $"{presentedFingerprint}. This is a re-installed device or a man-in-the-middle; nothing was sent. "
            + $"If the device was reset on purpose, check the new fingerprint on its console, then re-trust it "
            + $"with Remove-IoTSshHostKey -Address {host} -Port {port} (store {storePath}).")
    {
        PinnedFingerprint = pinnedFingerprint;
        StorePath = storePath;
    }

    public string PinnedFingerprint { get; }

    public string StorePath { get; }
}

/// <summary>The server's key is not pinned and the policy does not allow pinning it now.</summary>
public sealed class HostKeyNotTrustedException : HostKeyException
{
    public HostKeyNotTrustedException(string host, int port, string presentedFingerprint, string reason)
        : base(host, port, presentedFingerprint,
            $"The SSH host key of {host}:{port} ({presentedFingerprint}) is not trusted: {reason}. "
            + "Compare it with the device's console, then connect once with -HostKeyFingerprint "
            + $"{presentedFingerprint} or -AcceptNewHostKey to pin it.")
    {
    }
}
