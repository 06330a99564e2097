using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>One USM user of the test agent, with net-snmp's protocol names and ours.</summary>
public sealed record UsmUser(
    string Name, string NetSnmpAuth, string NetSnmpPriv, SnmpAuthProtocol Auth, SnmpPrivProtocol Priv)
{
    public const string AuthPassphrase = "usm-auth-2026";
    public const string PrivPassphrase = "usm-priv-2026";

    public SnmpSecurityLevel Level => Credential().SecurityLevel;

    public SnmpV3Credential Credential(string? authPassphrase = null, string? privPassphrase = null) =>
        new(Name, Auth, Auth == SnmpAuthProtocol.None ? null : authPassphrase ?? AuthPassphrase,
            Priv, Priv == SnmpPrivProtocol.None ? null : privPassphrase ?? PrivPassphrase);

    /// <summary>The -l/-u/-a/-A/-x/-X arguments of the net-snmp tools for this user.</summary>
    public string[] ToolArguments()
    {
        var arguments = new List<string> { "-v3", "-u", Name, "-l", NetSnmpLevel };
        if (Auth != SnmpAuthProtocol.None)
        {
            arguments.AddRange(new[] { "-a", NetSnmpAuth, "-A", AuthPassphrase });
        }

        if (Priv != SnmpPrivProtocol.None)
        {
            arguments.AddRange(new[] { "-x", NetSnmpPriv, "-X", PrivPassphrase });
        }

        return arguments.ToArray();
    }

    public override string ToString() => Name;

    private string NetSnmpLevel => Level switch
    {
        SnmpSecurityLevel.AuthPriv => "authPriv",
        SnmpSecurityLevel.AuthNoPriv => "authNoPriv",
        _ => "noAuthNoPriv",
    };
}

/// <summary>
/// A net-snmp agent with one USM user for every authentication × privacy combination net-snmp 5.9
/// supports, AES-192/256 in both key-extension flavours (BR-18), plus a noAuthNoPriv user.
/// </summary>
public sealed class SnmpdUsmAgent : IDisposable
{
    public const string AuthOnlyUser = "u_sha_none";

    private static readonly (string NetSnmp, SnmpAuthProtocol Ours)[] s_auth =
    {
        ("MD5", SnmpAuthProtocol.Md5), ("SHA", SnmpAuthProtocol.Sha1), ("SHA-224", SnmpAuthProtocol.Sha224),
        ("SHA-256", SnmpAuthProtocol.Sha256), ("SHA-384", SnmpAuthProtocol.Sha384),
        ("SHA-512", SnmpAuthProtocol.Sha512),
    };

    private static readonly (string NetSnmp, SnmpPrivProtocol Ours)[] s_priv =
    {
        ("none", SnmpPrivProtocol.None), ("DES", SnmpPrivProtocol.Des), ("AES", SnmpPrivProtocol.Aes128),
        ("AES-192", SnmpPrivProtocol.Aes192), ("AES-256", SnmpPrivProtocol.Aes256),
        ("AES-192-C", SnmpPrivProtocol.Aes192Reeder), ("AES-256-C", SnmpPrivProtocol.Aes256Reeder),
    };

    public SnmpdUsmAgent()
    {
        Agent = new SnmpdAgent(withCommunity: false, Users.SelectMany(ConfigLines).ToList());
    }

    public static IReadOnlyList<UsmUser> Users { get; } = BuildUsers();

    public SnmpdAgent Agent { get; }

    public static UsmUser User(string name) => Users.Single(u => u.Name == name);

    public void Dispose() => Agent.Dispose();

    private static List<UsmUser> BuildUsers()
    {
        var users = new List<UsmUser> { new("u_noauth", "", "", SnmpAuthProtocol.None, SnmpPrivProtocol.None) };
        foreach (var (netAuth, auth) in s_auth)
        {
            foreach (var (netPriv, priv) in s_priv)
            {
                var name = $"u_{netAuth}_{netPriv}".Replace("-", string.Empty).ToLowerInvariant();
                users.Add(new UsmUser(name, netAuth, netPriv, auth, priv));
            }
        }

        return users;
    }

    private static IEnumerable<string> ConfigLines(UsmUser user)
    {
        switch (user.Level)
        {
            case SnmpSecurityLevel.NoAuthNoPriv:
                yield return $"createUser {user.Name}";
                yield return $"rouser -s usm {user.Name} noauth";
                break;
            case SnmpSecurityLevel.AuthNoPriv:
                yield return $"createUser {user.Name} {user.NetSnmpAuth} \"{UsmUser.AuthPassphrase}\"";
                yield return $"rouser -s usm {user.Name} auth";
                break;
            default:
                yield return $"createUser {user.Name} {user.NetSnmpAuth} \"{UsmUser.AuthPassphrase}\" "
                    + $"{user.NetSnmpPriv} \"{UsmUser.PrivPassphrase}\"";
                yield return $"rouser -s usm {user.Name} priv";
                break;
        }
    }
}
