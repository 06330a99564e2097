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

/// <summary>Why the agent's User-based Security Model refused a v3 request (RFC 3414 §3.2, usmStats).</summary>
public enum SnmpUsmError
{
    /// <summary>usmStatsUnsupportedSecLevels: the user does not exist at this security level.</summary>
    UnsupportedSecurityLevel,

    /// <summary>usmStatsNotInTimeWindows, still after adopting the agent's boots and time once.</summary>
    NotInTimeWindow,

    /// <summary>usmStatsUnknownUserNames.</summary>
    UnknownUserName,

    /// <summary>usmStatsUnknownEngineIDs, still after adopting the reported engine ID once.</summary>
    UnknownEngineId,

    /// <summary>usmStatsWrongDigests: the authentication protocol or passphrase is wrong.</summary>
    WrongDigest,

    /// <summary>
    /// usmStatsDecryptionErrors, an answer that does not decrypt, or an agent that answers this user
    /// at authNoPriv but ignores its encrypted requests: the privacy protocol or passphrase is wrong.
    /// </summary>
    DecryptionError,

    /// <summary>Another Report, for example snmpUnknownContexts.</summary>
    OtherReport,
}

/// <summary>
/// A v3 request the agent's security refused, with the reason. It is an answer, never a timeout.
/// The message names the user but no passphrase.
/// </summary>
public sealed class SnmpUsmException : SnmpException
{
    public SnmpUsmException(SnmpUsmError error, IPEndPoint agent, string userName, ObjectIdentifier? reportOid)
        : base(Describe(error, agent, userName, reportOid))
    {
        Error = error;
        Agent = agent;
        UserName = userName;
        ReportOid = reportOid;
    }

    public SnmpUsmError Error { get; }

    public IPEndPoint Agent { get; }

    public string UserName { get; }

    /// <summary>The usmStats counter of the agent's Report; null when the error was found locally.</summary>
    public ObjectIdentifier? ReportOid { get; }

    private static string Describe(SnmpUsmError error, IPEndPoint agent, string userName, ObjectIdentifier? oid)
    {
        var source = oid is null ? "detected locally" : $"Report {oid}";
        switch (error)
        {
            case SnmpUsmError.UnknownUserName:
                return $"{agent} does not know the SNMPv3 user '{userName}' ({source}).";
            case SnmpUsmError.WrongDigest:
                return $"{agent} rejected the digest of user '{userName}': wrong authentication protocol "
                    + $"or passphrase ({source}).";
            case SnmpUsmError.DecryptionError:
                return $"{agent} could not exchange encrypted messages with user '{userName}': wrong privacy "
                    + $"protocol (AES-192/256 variant?) or passphrase ({source}).";
            case SnmpUsmError.UnsupportedSecurityLevel:
                return $"{agent} does not support this security level for user '{userName}' ({source}).";
            case SnmpUsmError.NotInTimeWindow:
                return $"{agent} kept answering notInTimeWindow for user '{userName}' after resynchronising "
                    + $"({source}).";
            case SnmpUsmError.UnknownEngineId:
                return $"{agent} kept reporting an unknown engine ID for user '{userName}' ({source}).";
            default:
                return $"{agent} answered user '{userName}' with {source}.";
        }
    }
}
