using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Snmp;

/// <summary>Splitting of GET requests whose answer does not fit into one message (tooBig).</summary>
public sealed partial class SnmpClient
{
    /// <summary>
    /// Sends a GET and, when the agent answers tooBig, asks for each half of the OIDs separately
    /// until the answers fit; a single OID that is still too big keeps its tooBig answer. The depth
    /// of splitting is bounded by the number of OIDs, so this always ends (field report BR-14).
    /// </summary>
    internal static async Task<SnmpResponse> GetSplittingAsync(
        IReadOnlyList<ObjectIdentifier> oids,
        Func<IReadOnlyList<ObjectIdentifier>, Task<SnmpResponse>> get)
    {
        var response = await get(oids).ConfigureAwait(false);
        if (response.ErrorStatus != SnmpErrorStatus.TooBig || oids.Count < 2)
        {
            return response;
        }

        var half = oids.Count / 2;
        var first = await GetSplittingAsync(oids.Take(half).ToList(), get).ConfigureAwait(false);
        var second = await GetSplittingAsync(oids.Skip(half).ToList(), get).ConfigureAwait(false);
        return Combine(response, first, second, half);
    }

    private static SnmpResponse Combine(SnmpResponse original, SnmpResponse first, SnmpResponse second, int half)
    {
        // The first error wins, with its index moved to where the OID sits in the whole request.
        var failed = !first.IsSuccess ? first : !second.IsSuccess ? second : null;
        var status = failed?.ErrorStatus ?? SnmpErrorStatus.NoError;
        var index = failed is null ? 0 : failed.ErrorIndex + (ReferenceEquals(failed, second) ? half : 0);
        var variables = first.Variables.Concat(second.Variables);
        var pdu = SnmpPdu.Response(original.Pdu.RequestId, status, index, variables);
        return new SnmpResponse(original.Agent, original.Version, pdu);
    }
}
