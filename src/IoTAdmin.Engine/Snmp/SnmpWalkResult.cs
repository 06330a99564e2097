using System.Collections.Generic;

namespace IoTAdmin.Engine.Snmp;

/// <summary>Why a walk stopped.</summary>
public enum SnmpWalkStopReason
{
    /// <summary>The next OID lay outside the requested subtree: the normal end.</summary>
    EndOfSubtree,

    /// <summary>The agent answered endOfMibView (v2c) or noSuchName (v1).</summary>
    EndOfMibView,

    /// <summary>The agent answered noSuchObject or noSuchInstance.</summary>
    NoSuchObject,

    /// <summary>The agent answered with an empty variable-binding list (BR-13 b).</summary>
    EmptyResponse,

    /// <summary>The agent returned an OID not greater than the previous one (BR-13 c); a broken agent.</summary>
    NonIncreasingOid,

    /// <summary>The per-walk request budget ran out.</summary>
    RequestBudgetExhausted,

    /// <summary>The agent kept answering tooBig even for a single repetition (BR-14).</summary>
    TooBig,

    /// <summary>The agent answered with another error-status.</summary>
    AgentError,
}

/// <summary>The variables a walk collected and why it stopped.</summary>
public sealed class SnmpWalkResult
{
    public SnmpWalkResult(
        ObjectIdentifier root,
        IReadOnlyList<SnmpVariable> variables,
        SnmpWalkStopReason stopReason,
        int requests,
        string? problem)
    {
        Root = root;
        Variables = variables;
        StopReason = stopReason;
        Requests = requests;
        Problem = problem;
    }

    public ObjectIdentifier Root { get; }

    public IReadOnlyList<SnmpVariable> Variables { get; }

    public SnmpWalkStopReason StopReason { get; }

    /// <summary>How many requests the walk sent.</summary>
    public int Requests { get; }

    /// <summary>What went wrong when the walk ended abnormally; null after a clean end.</summary>
    public string? Problem { get; }

    /// <summary>True when the walk ended the way a healthy agent ends it.</summary>
    public bool IsComplete => Problem is null;
}
