using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>What one community's write test found; the text names the community masked only.</summary>
internal sealed class SnmpWriteFinding
{
    public SnmpWriteFinding(bool canWrite, bool tested, string text)
    {
        CanWrite = canWrite;
        Tested = tested;
        Text = text;
    }

    /// <summary>The agent accepted a SET, or passed its access check (notWritable).</summary>
    public bool CanWrite { get; }

    /// <summary>A SET was sent; false when no object could be read, so nothing was written.</summary>
    public bool Tested { get; }

    public string Text { get; }
}

/// <summary>
/// The non-destructive write test of <see cref="SnmpWriteAccessRule"/>: reads sysLocation.0,
/// sysContact.0 and sysName.0 with a community and sets one of them to exactly the value read. An
/// object that could not be read is never written.
/// </summary>
internal sealed class SnmpWriteTrial
{
    public static readonly IReadOnlyList<ObjectIdentifier> Objects = new[]
    {
        ObjectIdentifier.Parse("1.3.6.1.2.1.1.6.0"),
        ObjectIdentifier.Parse("1.3.6.1.2.1.1.4.0"),
        ObjectIdentifier.Parse("1.3.6.1.2.1.1.5.0"),
    };

    private static readonly string[] s_names = { "sysLocation.0", "sysContact.0", "sysName.0" };

    private readonly SnmpClient _client;
    private readonly SnmpRequestOptions _options;
    private readonly IActivityLog _log;

    public SnmpWriteTrial(SnmpClient client, IPEndPoint agent, SnmpRequestOptions options, IActivityLog log)
    {
        _client = client;
        Agent = agent;
        _options = options;
        _log = log;
    }

    public IPEndPoint Agent { get; }

    /// <summary>Tests one accepted community: at most one SET per object, each of the value just read.</summary>
    public async Task<SnmpWriteFinding> TestAsync(SnmpCommunityAnswer answer, CancellationToken cancellationToken)
    {
        var who = $"SNMP {SnmpCommunityProbe.Label(answer.Version)} community '{answer.MaskedCommunity}'";
        var readable = await ReadableAsync(answer, cancellationToken).ConfigureAwait(false);
        if (readable.Count == 0)
        {
            return new SnmpWriteFinding(false, false, $"{who} is accepted, but none of "
                + $"{string.Join(", ", s_names)} could be read as a string, so nothing was written.");
        }

        var notes = new List<string>();
        var notWritable = false;
        foreach (var variable in readable)
        {
            var name = NameOf(variable.Oid);
            _log.Verbose($"Writing back the value of {name} with {who} on '{Agent}'.");
            var set = await TrySetAsync(answer, variable, cancellationToken).ConfigureAwait(false);
            if (set is null)
            {
                notes.Add($"{name}: no answer");
                continue;
            }

            if (set.ErrorStatus == SnmpErrorStatus.NoError)
            {
                var check = await ReadBackAsync(answer, variable, cancellationToken).ConfigureAwait(false);
                return new SnmpWriteFinding(true, true, $"{who} has write access: the agent accepted a SET of "
                    + $"{name} to the value just read ({check}).");
            }

            notes.Add($"{name}: {StatusName(set)}");
            notWritable |= set.ErrorStatus == SnmpErrorStatus.NotWritable;
            if (IsAccessDenied(set.ErrorStatus))
            {
                break;
            }
        }

        return Conclude(answer, who, notes, notWritable);
    }

    private static SnmpWriteFinding Conclude(
        SnmpCommunityAnswer answer,
        string who,
        List<string> notes,
        bool notWritable)
    {
        var answered = string.Join(", ", notes);
        if (notWritable)
        {
            return new SnmpWriteFinding(true, true, $"{who} has write access: a SET of the value just read passed "
                + $"the agent's access check and was refused only per object ({answered}); notWritable means the "
                + "object is read-only (net-snmp: set in snmpd.conf), a read-only community gets noAccess instead.");
        }

        var v1 = answer.Version == SnmpVersion.V1
            ? " (SNMP v1 answers noSuchName to a read-only community and to a read-only object alike)"
            : string.Empty;
        return new SnmpWriteFinding(false, true, $"{who} is read-only: a SET of the value just read was answered "
            + $"{answered}{v1}; nothing was changed.");
    }

    private async Task<IReadOnlyList<SnmpVariable>> ReadableAsync(
        SnmpCommunityAnswer answer,
        CancellationToken cancellationToken)
    {
        if (answer.Response.IsSuccess)
        {
            return answer.Response.Variables.Where(IsWritableCandidate).ToList();
        }

        // v1 fails the whole GET when one object is missing: read the objects one by one.
        var readable = new List<SnmpVariable>();
        foreach (var oid in Objects)
        {
            var single = await SnmpCommunityProbe.TryGetAsync(
                    _client, Agent, answer.Version, answer.Community, new[] { oid }, _options, cancellationToken)
                .ConfigureAwait(false);
            if (single is not null && single.Response.IsSuccess)
            {
                readable.AddRange(single.Response.Variables.Where(IsWritableCandidate));
            }
        }

        return readable;
    }

    private async Task<SnmpResponse?> TrySetAsync(
        SnmpCommunityAnswer answer,
        SnmpVariable variable,
        CancellationToken cancellationToken)
    {
        try
        {
            return await _client.SetAsync(
                    Agent, answer.Version, answer.Community, new[] { variable }, _options, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (SnmpTimeoutException)
        {
            return null;
        }
    }

    private async Task<string> ReadBackAsync(
        SnmpCommunityAnswer answer,
        SnmpVariable original,
        CancellationToken cancellationToken)
    {
        var again = await SnmpCommunityProbe.TryGetAsync(
                _client, Agent, answer.Version, answer.Community, new[] { original.Oid }, _options, cancellationToken)
            .ConfigureAwait(false);
        var value = again?.Response.Variables.FirstOrDefault(v => v.Oid.Equals(original.Oid))?.Value;
        if (value is null)
        {
            return "the value could not be read back";
        }

        return value.Equals(original.Value)
            ? $"read back unchanged as '{value}'"
            : $"read back as '{value}' instead of '{original.Value}': check the device";
    }

    private static bool IsWritableCandidate(SnmpVariable variable) =>
        variable.Value.Type == SnmpType.OctetString && !variable.Value.IsException && Objects.Contains(variable.Oid);

    private static bool IsAccessDenied(SnmpErrorStatus status) =>
        status == SnmpErrorStatus.NoAccess
        || status == SnmpErrorStatus.AuthorizationError
        || status == SnmpErrorStatus.ReadOnly
        || status == SnmpErrorStatus.NoSuchName;

    private static string NameOf(ObjectIdentifier oid)
    {
        for (var i = 0; i < Objects.Count; i++)
        {
            if (Objects[i].Equals(oid))
            {
                return s_names[i];
            }
        }

        return oid.ToString();
    }

    private static string StatusName(SnmpResponse response)
    {
        if (response.ErrorStatus == SnmpErrorStatus.UnknownError)
        {
            return $"error-status {response.Pdu.RawErrorStatus}";
        }

        var name = response.ErrorStatus.ToString();
        return char.ToLowerInvariant(name[0]) + name.Substring(1);
    }
}
