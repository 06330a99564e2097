using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>
/// Fails when a supplied SNMPv3 user that works on the device authenticates with MD5 or SHA-1 or
/// encrypts with DES (SYS.4.4.M11 secure protocols). Needs credentials: without a working one it is
/// not applicable.
/// </summary>
public sealed class SnmpV3WeakAlgorithmRule : SnmpRule
{
    public SnmpV3WeakAlgorithmRule()
        : base(SnmpSweepDiscovery.DefaultPort)
    {
    }

    /// <summary>Probes another port than 161, for tests against a loopback agent.</summary>
    internal SnmpV3WeakAlgorithmRule(int port)
        : base(port)
    {
    }

    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-SNMP-V3-WEAKALG",
        "SNMPv3 users authenticate with SHA-2 and encrypt with AES",
        Severity.Medium,
        "Re-create the SNMPv3 users with SHA-256 (or SHA-224/384/512) authentication and AES privacy; MD5 "
            + "and SHA-1 are broken or deprecated as hash functions and DES is brute-forced in hours. Update "
            + "the firmware if the device offers nothing better, and change the passphrases with the algorithms.",
        "SYS.4.4.M11");

    public override async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var credentials = context.Options.SnmpV3Credentials;
        if (!IPAddress.TryParse(device.Address, out var address))
        {
            return Result(device, RuleOutcome.Error, $"'{device.Address}' is not an IP address.");
        }

        var agent = new IPEndPoint(address, Port);
        var options = new SnmpRequestOptions { Timeout = context.Options.ProbeTimeout, Retries = 0 };
        context.Log.Verbose(
            $"Checking the algorithms of {credentials.Count} SNMPv3 user(s) on '{device.Address}' port {Port}.");
        try
        {
            using var client = new SnmpClient(context.Log);
            if (await SnmpV3Trial.DiscoverAsync(client, agent, options, cancellationToken).ConfigureAwait(false)
                is null)
            {
                return Result(device, RuleOutcome.NotApplicable,
                    $"No SNMPv3 engine answered a discovery request on udp/{Port}.");
            }

            // The agent speaks v3, but which algorithms its users have only a login can show.
            if (credentials.Count == 0)
            {
                return Result(device, RuleOutcome.NotChecked, "The SNMPv3 engine answered, but no SNMPv3 credential "
                    + "was supplied (-SnmpCredential), so the algorithms of its users cannot be checked.");
            }

            var trials = new List<SnmpV3TrialResult>();
            foreach (var credential in credentials)
            {
                trials.Add(await SnmpV3Trial.TryAsync(client, agent, credential, options, cancellationToken)
                    .ConfigureAwait(false));
            }

            return Judge(device, trials);
        }
        catch (Exception ex) when (ex is SnmpException || ex is SocketException)
        {
            return SendFailed(device, ex);
        }
    }

    private RuleResult Judge(IoTDevice device, IReadOnlyList<SnmpV3TrialResult> trials)
    {
        var working = trials.Where(t => t.Works).ToList();
        if (working.Count == 0)
        {
            // The admin asked for this check with these users; a typo must not look like a clean result.
            return Result(device, RuleOutcome.Error, $"None of {trials.Count} supplied SNMPv3 user(s) works "
                + $"on udp/{Port}, so their algorithms could not be checked: "
                + string.Join("; ", trials.Select(t => $"{t.Describe()}: {t.Answer}")) + ".");
        }

        var weak = working.Select(t => (Trial: t, Weakness: Weakness(t.Credential)))
            .Where(w => w.Weakness.Length > 0)
            .Select(w => $"user {w.Trial.Describe()} uses {w.Weakness}")
            .ToList();
        if (weak.Count > 0)
        {
            return Result(device, RuleOutcome.Fail, $"udp/{Port}: " + string.Join("; ", weak) + ".");
        }

        var unencrypted = working.Any(t => t.Credential.PrivProtocol == SnmpPrivProtocol.None)
            ? " (a user without privacy is judged by IOT-SNMP-V3-SECLEVEL)"
            : string.Empty;
        return Result(device, RuleOutcome.Pass, $"All {working.Count} working SNMPv3 user(s) on udp/{Port} use "
            + "SHA-2 authentication and AES privacy where they encrypt: "
            + string.Join("; ", working.Select(t => t.Describe())) + unencrypted + ".");
    }

    /// <summary>The weak algorithms of a credential, e.g. "MD5 authentication and DES privacy", or "".</summary>
    private static string Weakness(SnmpV3Credential credential)
    {
        var weak = new List<string>();
        if (credential.AuthProtocol == SnmpAuthProtocol.Md5 || credential.AuthProtocol == SnmpAuthProtocol.Sha1)
        {
            weak.Add($"{SnmpV3Trial.AuthName(credential.AuthProtocol)} authentication");
        }

        if (credential.PrivProtocol == SnmpPrivProtocol.Des)
        {
            weak.Add("DES privacy");
        }

        return string.Join(" and ", weak);
    }
}
