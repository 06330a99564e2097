using System;
using System.Net;

namespace IoTAdmin.Engine.Snmp;

/// <summary>The base of every SNMP error raised by the engine.</summary>
public class SnmpException : Exception
{
    public SnmpException(string message)
        : base(message)
    {
    }

    public SnmpException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>Bytes that are not a well-formed SNMP message: truncated, oversized or of an unknown shape.</summary>
public sealed class SnmpDecodeException : SnmpException
{
    public SnmpDecodeException(string message, int offset)
        : base($"{message} (at byte {offset})")
    {
        Offset = offset;
    }

    /// <summary>The position in the input at which decoding gave up.</summary>
    public int Offset { get; }
}

/// <summary>
/// The agent did not answer within the timeout after every retry. It derives from
/// <see cref="TimeoutException"/> so callers can tell "no answer" from an agent error.
/// </summary>
public sealed class SnmpTimeoutException : TimeoutException
{
    public SnmpTimeoutException(IPEndPoint agent, int attempts, TimeSpan timeout)
        : base($"No SNMP answer from {agent} after {attempts} attempt(s) of {timeout.TotalSeconds:0.###} s each.")
    {
        Agent = agent;
        Attempts = attempts;
        Timeout = timeout;
    }

    public IPEndPoint Agent { get; }

    public int Attempts { get; }

    public TimeSpan Timeout { get; }
}
