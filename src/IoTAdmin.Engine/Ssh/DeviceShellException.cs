using System;

namespace IoTAdmin.Engine.Ssh;

/// <summary>Why an SSH connection or transfer to a device failed.</summary>
public enum SshFailure
{
    /// <summary>TCP connect failed or the connection dropped.</summary>
    ConnectionFailed,

    /// <summary>No answer within the deadline.</summary>
    Timeout,

    /// <summary>The server refused the login.</summary>
    AuthenticationFailed,

    /// <summary>Client and server share no key exchange, cipher or host key algorithm.</summary>
    NoCommonAlgorithm,

    /// <summary>The server broke the protocol or refused a channel or subsystem.</summary>
    ProtocolError,

    /// <summary>A file transfer failed or a file is larger than allowed.</summary>
    TransferFailed,
}

/// <summary>An SSH failure with its kind, for per-device error records. Never carries a secret.</summary>
public sealed class DeviceShellException : Exception
{
    public DeviceShellException(SshFailure failure, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
    }

    public SshFailure Failure { get; }
}
