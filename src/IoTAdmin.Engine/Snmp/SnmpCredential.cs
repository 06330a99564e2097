using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Snmp;

/// <summary>
/// How to talk to one SNMP agent: a v1/v2c community or an SNMPv3 USM user. The community and the
/// passphrases are secrets: no property returns them and <see cref="ToString"/> never shows them.
/// The request methods send with the matching overload of <see cref="SnmpClient"/>.
/// </summary>
public sealed class SnmpCredential
{
    private readonly string _community;

    private SnmpCredential(SnmpVersion version, string community, SnmpV3Credential? user)
    {
        Version = version;
        _community = community;
        User = user;
    }

    /// <summary>The SNMP version requests are sent with.</summary>
    public SnmpVersion Version { get; }

    /// <summary>The SNMPv3 user; null for v1 and v2c.</summary>
    public SnmpV3Credential? User { get; }

    /// <summary>The SNMPv3 user name; null for v1 and v2c.</summary>
    public string? UserName => User?.UserName;

    /// <summary>The USM security level; null for v1 and v2c.</summary>
    public SnmpSecurityLevel? SecurityLevel => User?.SecurityLevel;

    /// <summary>The USM authentication protocol; None for v1 and v2c.</summary>
    public SnmpAuthProtocol AuthProtocol => User?.AuthProtocol ?? SnmpAuthProtocol.None;

    /// <summary>The USM privacy protocol; None for v1 and v2c.</summary>
    public SnmpPrivProtocol PrivProtocol => User?.PrivProtocol ?? SnmpPrivProtocol.None;

    /// <summary>A v1 or v2c credential.</summary>
    /// <exception cref="ArgumentException">The version is v3 or the community is empty.</exception>
    public static SnmpCredential FromCommunity(string community, SnmpVersion version = SnmpVersion.V2c)
    {
        if (version == SnmpVersion.V3)
        {
            throw new ArgumentException("A community is for SNMP v1 and v2c; v3 needs a user.", nameof(version));
        }

        if (string.IsNullOrEmpty(community))
        {
            throw new ArgumentException("The community must not be empty.", nameof(community));
        }

        return new SnmpCredential(version, community, null);
    }

    /// <summary>An SNMPv3 credential for a USM user.</summary>
    public static SnmpCredential FromUser(SnmpV3Credential user) =>
        new SnmpCredential(SnmpVersion.V3, string.Empty, user ?? throw new ArgumentNullException(nameof(user)));

    /// <summary>Sends a GetRequest.</summary>
    /// <exception cref="SnmpTimeoutException">No answer after all retries.</exception>
    /// <exception cref="SnmpUsmException">v3: the agent's security refused the request.</exception>
    public Task<SnmpResponse> GetAsync(
        SnmpClient client,
        IPEndPoint agent,
        IReadOnlyList<ObjectIdentifier> oids,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken) =>
        User is null
            ? client.GetAsync(agent, Version, _community, oids, options, cancellationToken)
            : client.GetAsync(agent, User, oids, options, cancellationToken);

    /// <summary>Sends a SetRequest.</summary>
    /// <exception cref="SnmpTimeoutException">No answer after all retries.</exception>
    /// <exception cref="SnmpUsmException">v3: the agent's security refused the request.</exception>
    public Task<SnmpResponse> SetAsync(
        SnmpClient client,
        IPEndPoint agent,
        IReadOnlyList<SnmpVariable> variables,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken) =>
        User is null
            ? client.SetAsync(agent, Version, _community, variables, options, cancellationToken)
            : client.SetAsync(agent, User, variables, options, cancellationToken);

    /// <summary>Reads the subtree below <paramref name="root"/> (GetNext on v1, GetBulk otherwise).</summary>
    /// <exception cref="SnmpTimeoutException">A request of the walk got no answer.</exception>
    /// <exception cref="SnmpUsmException">v3: the agent's security refused a request.</exception>
    public Task<SnmpWalkResult> WalkAsync(
        SnmpClient client,
        IPEndPoint agent,
        ObjectIdentifier root,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken) =>
        User is null
            ? client.WalkAsync(agent, Version, _community, root, options, cancellationToken)
            : client.WalkAsync(agent, User, root, options, cancellationToken);

    /// <summary>
    /// For an AES-192/256 user, finds the key-extension flavour the agent uses (one extra request)
    /// and returns a credential with it; every other credential is returned unchanged.
    /// </summary>
    public async Task<SnmpCredential> ResolveForAsync(
        SnmpClient client,
        IPEndPoint agent,
        SnmpRequestOptions? options,
        CancellationToken cancellationToken)
    {
        if (User is null || !IsExtendedAes(User.PrivProtocol))
        {
            return this;
        }

        var resolved = await client.ResolveAesKeyExtensionAsync(agent, User, options, cancellationToken)
            .ConfigureAwait(false);
        return ReferenceEquals(resolved, User) ? this : FromUser(resolved);
    }

    /// <summary>A summary for logs and the console: version and user, never a community or passphrase.</summary>
    public override string ToString() =>
        User is null
            ? string.Format(CultureInfo.InvariantCulture, "SNMP {0} community (hidden)", Version)
            : string.Format(CultureInfo.InvariantCulture, "SNMP V3 user {0}", User);

    private static bool IsExtendedAes(SnmpPrivProtocol protocol) =>
        protocol == SnmpPrivProtocol.Aes192 || protocol == SnmpPrivProtocol.Aes256
        || protocol == SnmpPrivProtocol.Aes192Reeder || protocol == SnmpPrivProtocol.Aes256Reeder;
}
