using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Engine.Snmp;

/// <summary>An agent that answered a GET of the system group with one community over one version.</summary>
internal sealed class SnmpCommunityAnswer
{
    public SnmpCommunityAnswer(string community, SnmpVersion version, SnmpResponse response)
    {
        Community = community;
        Version = version;
        Response = response;
    }

    /// <summary>The accepted community: a secret, for requests only, never for logs or evidence.</summary>
    public string Community { get; }

    public string MaskedCommunity => SnmpCommunityProbe.Mask(Community);

    public SnmpVersion Version { get; }

    public SnmpResponse Response { get; }
}

/// <summary>Tries communities against one agent; shared by the sweep and the baseline rules.</summary>
internal static class SnmpCommunityProbe
{
    public static readonly ObjectIdentifier SysDescr = ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0");
    public static readonly ObjectIdentifier SysObjectId = ObjectIdentifier.Parse("1.3.6.1.2.1.1.2.0");
    public static readonly ObjectIdentifier SysName = ObjectIdentifier.Parse("1.3.6.1.2.1.1.5.0");

    /// <summary>Communities that count as default or guessable when the caller names none.</summary>
    public static readonly IReadOnlyList<string> DefaultCommunities =
        new[] { "public", "private", "admin", "community", "snmp" };

    public static IReadOnlyList<ObjectIdentifier> SystemOids { get; } = new[] { SysDescr, SysObjectId, SysName };

    /// <summary>
    /// A community for reports: one of <see cref="DefaultCommunities"/> is published, whoever typed it, and keeps
    /// a hint of which; any other is hidden completely (<see cref="SecretMask"/>).
    /// </summary>
    public static string Mask(string community) => DefaultCommunities.Contains(community)
        ? SecretMask.PublicDefaultHint(community)
        : SecretMask.Hidden;

    public static string Label(SnmpVersion version) =>
        version == SnmpVersion.V2c ? "v2c" : version == SnmpVersion.V1 ? "v1" : "v3";

    /// <summary>A GET that yields null instead of <see cref="SnmpTimeoutException"/> when nothing answers.</summary>
    public static async Task<SnmpCommunityAnswer?> TryGetAsync(
        SnmpClient client,
        IPEndPoint agent,
        SnmpVersion version,
        string community,
        IReadOnlyList<ObjectIdentifier> oids,
        SnmpRequestOptions options,
        CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetAsync(agent, version, community, oids, options, cancellationToken)
                .ConfigureAwait(false);
            return new SnmpCommunityAnswer(community, version, response);
        }
        catch (SnmpTimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// Sends every community over v2c and v1 at once and returns the answers in the caller's order
    /// of communities, v2c before v1. An agent silently drops a wrong community, so the whole probe
    /// takes one timeout however many communities it tries.
    /// </summary>
    public static async Task<IReadOnlyList<SnmpCommunityAnswer>> TryCommunitiesAsync(
        SnmpClient client,
        IPEndPoint agent,
        IReadOnlyList<string> communities,
        IReadOnlyList<ObjectIdentifier> oids,
        SnmpRequestOptions options,
        CancellationToken cancellationToken)
    {
        var attempts = communities
            .SelectMany(community => new[] { SnmpVersion.V2c, SnmpVersion.V1 }, (community, version) =>
                TryGetAsync(client, agent, version, community, oids, options, cancellationToken))
            .ToList();
        var answers = await Task.WhenAll(attempts).ConfigureAwait(false);
        return answers.Where(answer => answer is not null).Select(answer => answer!).ToList();
    }
}
