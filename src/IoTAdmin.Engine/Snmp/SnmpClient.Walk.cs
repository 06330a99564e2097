using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Snmp;

/// <summary>The subtree walk of <see cref="SnmpClient"/>.</summary>
public sealed partial class SnmpClient
{
    /// <summary>
    /// Reads every variable below <paramref name="root"/>: GetBulk on v2c, GetNext on v1. The walk
    /// stops on an exception value, an empty answer, leaving the subtree, an OID that does not
    /// increase, an error-status, or when <see cref="SnmpRequestOptions.MaxWalkRequests"/> is spent;
    /// tooBig halves max-repetitions and never repeats the same request forever (BR-13, BR-14).
    /// </summary>
    /// <exception cref="SnmpTimeoutException">A request of the walk got no answer.</exception>
    public Task<SnmpWalkResult> WalkAsync(
        IPEndPoint agent,
        SnmpVersion version,
        string community,
        ObjectIdentifier root,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken) =>
        WalkCoreAsync(
            root,
            version == SnmpVersion.V1,
            (walk, validOptions) => NextChunkAsync(agent, version, community, walk, validOptions, cancellationToken),
            options);

    /// <summary>
    /// Reads every variable below <paramref name="root"/> with SNMPv3 GetBulk requests as
    /// <paramref name="credential"/>; the walk stops as the v2c walk does.
    /// </summary>
    /// <exception cref="SnmpUsmException">The agent's security refused a request of the walk.</exception>
    /// <exception cref="SnmpTimeoutException">A request of the walk got no answer.</exception>
    public Task<SnmpWalkResult> WalkAsync(
        IPEndPoint agent,
        SnmpV3Credential credential,
        ObjectIdentifier root,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken) =>
        WalkCoreAsync(
            root,
            useGetNext: false,
            (walk, validOptions) => GetBulkAsync(
                agent, credential, 0, walk.MaxRepetitions, new[] { walk.Last }, validOptions, cancellationToken),
            options);

    private static async Task<SnmpWalkResult> WalkCoreAsync(
        ObjectIdentifier root,
        bool useGetNext,
        Func<WalkState, SnmpRequestOptions, Task<SnmpResponse>> nextChunk,
        SnmpRequestOptions? options)
    {
        options ??= SnmpRequestOptions.Default;
        options.Validate();
        var walk = new WalkState(root, options.MaxRepetitions);

        while (walk.Requests < options.MaxWalkRequests)
        {
            var response = await nextChunk(walk, options).ConfigureAwait(false);
            walk.Requests++;

            var stop = useGetNext ? walk.TakeV1(response) : walk.TakeV2(response);
            if (stop.HasValue)
            {
                return walk.Finish(stop.Value);
            }
        }

        walk.Problem = $"the walk of {root} used its budget of {options.MaxWalkRequests} requests";
        return walk.Finish(SnmpWalkStopReason.RequestBudgetExhausted);
    }

    private Task<SnmpResponse> NextChunkAsync(
        IPEndPoint agent,
        SnmpVersion version,
        string community,
        WalkState walk,
        SnmpRequestOptions options,
        CancellationToken cancellationToken)
    {
        var next = new[] { walk.Last };
        return version == SnmpVersion.V1
            ? GetNextAsync(agent, version, community, next, options, cancellationToken)
            : GetBulkAsync(agent, version, community, 0, walk.MaxRepetitions, next, options, cancellationToken);
    }

    private sealed class WalkState
    {
        private readonly List<SnmpVariable> _variables = new List<SnmpVariable>();

        public WalkState(ObjectIdentifier root, int maxRepetitions)
        {
            Root = root;
            Last = root;
            MaxRepetitions = maxRepetitions;
        }

        public ObjectIdentifier Root { get; }

        public ObjectIdentifier Last { get; private set; }

        public int MaxRepetitions { get; private set; }

        public int Requests { get; set; }

        public string? Problem { get; set; }

        public SnmpWalkResult Finish(SnmpWalkStopReason reason) =>
            new SnmpWalkResult(Root, _variables, reason, Requests, Problem);

        public SnmpWalkStopReason? TakeV1(SnmpResponse response) =>
            response.ErrorStatus == SnmpErrorStatus.NoSuchName
                ? SnmpWalkStopReason.EndOfMibView
                : TakeV2(response);

        public SnmpWalkStopReason? TakeV2(SnmpResponse response)
        {
            if (response.ErrorStatus == SnmpErrorStatus.TooBig)
            {
                return ShrinkAfterTooBig();
            }

            if (!response.IsSuccess)
            {
                Problem = $"the agent answered error-status {response.ErrorStatus} "
                    + $"({response.Pdu.RawErrorStatus}) after {Last}";
                return SnmpWalkStopReason.AgentError;
            }

            if (response.Variables.Count == 0)
            {
                Problem = $"the agent answered an empty variable-binding list after {Last}";
                return SnmpWalkStopReason.EmptyResponse;
            }

            return TakeVariables(response.Variables);
        }

        private SnmpWalkStopReason? ShrinkAfterTooBig()
        {
            if (MaxRepetitions > 1)
            {
                MaxRepetitions = Math.Max(1, MaxRepetitions / 2);
                return null;
            }

            Problem = $"the agent answered tooBig even for the single variable after {Last}";
            return SnmpWalkStopReason.TooBig;
        }

        private SnmpWalkStopReason? TakeVariables(IReadOnlyList<SnmpVariable> variables)
        {
            foreach (var variable in variables)
            {
                var stop = Classify(variable);
                if (stop.HasValue)
                {
                    return stop;
                }

                _variables.Add(variable);
                Last = variable.Oid;
            }

            return null;
        }

        private SnmpWalkStopReason? Classify(SnmpVariable variable)
        {
            switch (variable.Value.Type)
            {
                case SnmpType.EndOfMibView:
                    return SnmpWalkStopReason.EndOfMibView;
                case SnmpType.NoSuchObject:
                case SnmpType.NoSuchInstance:
                    return SnmpWalkStopReason.NoSuchObject;
            }

            if (variable.Oid.CompareTo(Last) <= 0)
            {
                Problem = $"broken agent: OID {variable.Oid} does not increase after {Last}";
                return SnmpWalkStopReason.NonIncreasingOid;
            }

            return variable.Oid.IsDescendantOf(Root) ? null : SnmpWalkStopReason.EndOfSubtree;
        }
    }
}
