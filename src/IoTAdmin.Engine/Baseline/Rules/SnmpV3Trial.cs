using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>How an SNMPv3 agent answered one user's GET.</summary>
internal enum SnmpV3TrialOutcome
{
    /// <summary>A Response without error: the user works at this level.</summary>
    Accepted,

    /// <summary>A Response with an error status: the user authenticated but its access was denied.</summary>
    Denied,

    /// <summary>A USM Report (unknown user, unsupported level, wrong digest, decryption error...).</summary>
    Refused,

    /// <summary>No answer within the probe timeout.</summary>
    NoAnswer,
}

/// <summary>One user's trial: the credential that was sent (AES flavour resolved) and the answer.</summary>
internal sealed class SnmpV3TrialResult
{
    public SnmpV3TrialResult(SnmpV3Credential credential, SnmpV3TrialOutcome outcome, string answer)
    {
        Credential = credential;
        Outcome = outcome;
        Answer = answer;
    }

    public SnmpV3Credential Credential { get; }

    public SnmpV3TrialOutcome Outcome { get; }

    /// <summary>What the agent answered, for evidence: never a passphrase.</summary>
    public string Answer { get; }

    public bool Works => Outcome == SnmpV3TrialOutcome.Accepted;

    /// <summary>User, level and protocols, e.g. "'ops' (authPriv, SHA-256/AES-128)".</summary>
    public string Describe() => SnmpV3Trial.Describe(Credential);
}

/// <summary>Shared SNMPv3 probing of the SNMPv3 baseline rules: engine discovery and one GET per user.</summary>
internal static class SnmpV3Trial
{
    private static readonly IReadOnlyList<ObjectIdentifier> s_sysUpTime =
        new[] { ObjectIdentifier.Parse("1.3.6.1.2.1.1.3.0") };

    /// <summary>Discovers the agent's engine and lets the client reuse it for the trials that follow.</summary>
    public static async Task<SnmpEngineInfo?> DiscoverAsync(
        SnmpClient client,
        IPEndPoint agent,
        SnmpRequestOptions options,
        CancellationToken cancellationToken)
    {
        var engine = await client.DiscoverEngineAsync(agent, options, cancellationToken).ConfigureAwait(false);
        if (engine is not null && engine.EngineId.Length > 0)
        {
            client.RememberEngine(agent, new SnmpEngineClock(engine.EngineId, engine.EngineBoots, engine.EngineTime));
        }

        return engine;
    }

    /// <summary>Sends one GET of sysUpTime.0 as the user and classifies the answer.</summary>
    public static async Task<SnmpV3TrialResult> TryAsync(
        SnmpClient client,
        IPEndPoint agent,
        SnmpV3Credential credential,
        SnmpRequestOptions options,
        CancellationToken cancellationToken)
    {
        var sent = credential;
        try
        {
            if (credential.SecurityLevel == SnmpSecurityLevel.AuthPriv)
            {
                sent = await client.ResolveAesKeyExtensionAsync(agent, credential, options, cancellationToken)
                    .ConfigureAwait(false);
            }

            var response = await client.GetAsync(agent, sent, s_sysUpTime, options, cancellationToken)
                .ConfigureAwait(false);
            return response.IsSuccess
                ? new SnmpV3TrialResult(sent, SnmpV3TrialOutcome.Accepted, "answered")
                : new SnmpV3TrialResult(sent, SnmpV3TrialOutcome.Denied, StatusName(response));
        }
        catch (SnmpUsmException ex)
        {
            return new SnmpV3TrialResult(sent, SnmpV3TrialOutcome.Refused, ReportName(ex.Error));
        }
        catch (SnmpTimeoutException)
        {
            return new SnmpV3TrialResult(sent, SnmpV3TrialOutcome.NoAnswer, "no answer");
        }
    }

    public static string Describe(SnmpV3Credential credential) =>
        $"'{credential.UserName}' ({LevelName(credential.SecurityLevel)}"
        + (credential.SecurityLevel == SnmpSecurityLevel.NoAuthNoPriv
            ? ")"
            : $", {AuthName(credential.AuthProtocol)}/{PrivName(credential.PrivProtocol)})");

    public static string LevelName(SnmpSecurityLevel level) =>
        level == SnmpSecurityLevel.AuthPriv ? "authPriv"
        : level == SnmpSecurityLevel.AuthNoPriv ? "authNoPriv"
        : "noAuthNoPriv";

    public static string AuthName(SnmpAuthProtocol protocol) =>
        protocol == SnmpAuthProtocol.Md5 ? "MD5"
        : protocol == SnmpAuthProtocol.Sha1 ? "SHA-1"
        : protocol == SnmpAuthProtocol.None ? "none"
        : "SHA-" + protocol.ToString().Substring(3);

    public static string PrivName(SnmpPrivProtocol protocol)
    {
        switch (protocol)
        {
            case SnmpPrivProtocol.None:
                return "no privacy";
            case SnmpPrivProtocol.Des:
                return "DES";
            case SnmpPrivProtocol.Aes128:
                return "AES-128";
            case SnmpPrivProtocol.Aes192:
                return "AES-192";
            case SnmpPrivProtocol.Aes256:
                return "AES-256";
            case SnmpPrivProtocol.Aes192Reeder:
                return "AES-192 (Reeder)";
            default:
                return "AES-256 (Reeder)";
        }
    }

    private static string StatusName(SnmpResponse response)
    {
        var name = response.ErrorStatus.ToString();
        return char.ToLowerInvariant(name[0]) + name.Substring(1);
    }

    private static string ReportName(SnmpUsmError error)
    {
        switch (error)
        {
            case SnmpUsmError.UnsupportedSecurityLevel:
                return "unsupportedSecLevel";
            case SnmpUsmError.NotInTimeWindow:
                return "notInTimeWindow";
            case SnmpUsmError.UnknownUserName:
                return "unknownUserName";
            case SnmpUsmError.UnknownEngineId:
                return "unknownEngineID";
            case SnmpUsmError.WrongDigest:
                return "wrongDigest (wrong authentication protocol or passphrase)";
            case SnmpUsmError.DecryptionError:
                return "decryptionError (wrong privacy protocol or passphrase)";
            default:
                return "another Report";
        }
    }
}
