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
/// Fails when the device's SNMPv3 agent answers a user without authentication or without privacy:
/// a supplied user that works at noAuthNoPriv or authNoPriv, an authPriv user that the agent also
/// answers at a lower level, or a common default user name at noAuthNoPriv (SYS.4.4.M2
/// authentication, SYS.4.4.M11 secure protocols).
/// </summary>
public sealed class SnmpV3SecurityLevelRule : SnmpRule
{
    /// <summary>User names that devices and guides ship as SNMPv3 defaults, tried at noAuthNoPriv.</summary>
    internal static readonly IReadOnlyList<string> DefaultUserNames =
        new[] { "initial", "public", "private", "admin", "user", "snmp", "guest" };

    public SnmpV3SecurityLevelRule()
        : base(SnmpSweepDiscovery.DefaultPort)
    {
    }

    /// <summary>Probes another port than 161, for tests against a loopback agent.</summary>
    internal SnmpV3SecurityLevelRule(int port)
        : base(port)
    {
    }

    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-SNMP-V3-SECLEVEL",
        "SNMPv3 only with authentication and privacy (authPriv)",
        Severity.High,
        "Configure every SNMPv3 user for authPriv and make the agent require it (net-snmp: rouser/rwuser "
            + "... priv); delete default or template users such as 'initial'. Without authentication anyone "
            + "can query the device, without privacy the answers cross the network in clear text.",
        "SYS.4.4.M2",
        "SYS.4.4.M11");

    public override async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(device.Address, out var address))
        {
            return Result(device, RuleOutcome.Error, $"'{device.Address}' is not an IP address.");
        }

        var agent = new IPEndPoint(address, Port);
        var options = new SnmpRequestOptions { Timeout = context.Options.ProbeTimeout, Retries = 0 };
        var credentials = context.Options.SnmpV3Credentials;
        context.Log.Verbose($"Checking SNMPv3 security levels on '{device.Address}' port {Port}: "
            + $"{credentials.Count} supplied user(s), {DefaultUserNames.Count} default user names at noAuthNoPriv.");
        try
        {
            using var client = new SnmpClient(context.Log);
            var engine = await SnmpV3Trial.DiscoverAsync(client, agent, options, cancellationToken)
                .ConfigureAwait(false);
            if (engine is null)
            {
                return Result(device, RuleOutcome.NotApplicable,
                    $"No SNMPv3 engine answered a discovery request on udp/{Port}.");
            }

            var supplied = await CheckSuppliedAsync(client, agent, credentials, options, cancellationToken)
                .ConfigureAwait(false);
            var defaults = await CheckDefaultUsersAsync(client, agent, options, cancellationToken)
                .ConfigureAwait(false);
            return Judge(device, engine, supplied, defaults, credentials.Count);
        }
        catch (Exception ex) when (ex is SnmpException || ex is SocketException)
        {
            return SendFailed(device, ex);
        }
    }

    private static async Task<Findings> CheckSuppliedAsync(
        SnmpClient client,
        IPEndPoint agent,
        IReadOnlyList<SnmpV3Credential> credentials,
        SnmpRequestOptions options,
        CancellationToken cancellationToken)
    {
        var findings = new Findings();
        foreach (var credential in credentials)
        {
            var trial = await SnmpV3Trial.TryAsync(client, agent, credential, options, cancellationToken)
                .ConfigureAwait(false);
            if (!trial.Works)
            {
                findings.Notes.Add($"user {trial.Describe()}: {trial.Answer}");
                continue;
            }

            if (credential.SecurityLevel != SnmpSecurityLevel.AuthPriv)
            {
                findings.Weak.Add($"user {trial.Describe()} works without "
                    + (credential.SecurityLevel == SnmpSecurityLevel.NoAuthNoPriv ? "authentication" : "privacy"));
            }

            await CheckDowngradesAsync(client, agent, trial.Credential, options, findings, cancellationToken)
                .ConfigureAwait(false);
        }

        return findings;
    }

    /// <summary>Asks for the same user at the levels below its own: the agent must refuse them.</summary>
    private static async Task CheckDowngradesAsync(
        SnmpClient client,
        IPEndPoint agent,
        SnmpV3Credential credential,
        SnmpRequestOptions options,
        Findings findings,
        CancellationToken cancellationToken)
    {
        var lower = new List<SnmpV3Credential>();
        if (credential.SecurityLevel == SnmpSecurityLevel.AuthPriv)
        {
            lower.Add(credential.WithoutPrivacy());
        }

        if (credential.SecurityLevel != SnmpSecurityLevel.NoAuthNoPriv)
        {
            lower.Add(new SnmpV3Credential(credential.UserName) { ContextName = credential.ContextName });
        }

        foreach (var weaker in lower)
        {
            var trial = await SnmpV3Trial.TryAsync(client, agent, weaker, options, cancellationToken)
                .ConfigureAwait(false);
            if (trial.Works)
            {
                findings.Weak.Add($"user '{credential.UserName}' is also answered at "
                    + SnmpV3Trial.LevelName(weaker.SecurityLevel));
            }
        }
    }

    private static async Task<Findings> CheckDefaultUsersAsync(
        SnmpClient client,
        IPEndPoint agent,
        SnmpRequestOptions options,
        CancellationToken cancellationToken)
    {
        var trials = await Task.WhenAll(DefaultUserNames.Select(name => SnmpV3Trial.TryAsync(
                client, agent, new SnmpV3Credential(name), options, cancellationToken)))
            .ConfigureAwait(false);
        var findings = new Findings();
        foreach (var trial in trials)
        {
            if (trial.Works)
            {
                findings.Weak.Add($"default user '{trial.Credential.UserName}' is answered at noAuthNoPriv");
            }
        }

        var answers = trials.GroupBy(t => t.Answer)
            .Select(g => $"{g.Key} for {string.Join(", ", g.Select(t => t.Credential.UserName))}");
        findings.Notes.Add($"default user names at noAuthNoPriv: {string.Join("; ", answers)}");
        return findings;
    }

    private RuleResult Judge(
        IoTDevice device,
        SnmpEngineInfo engine,
        Findings supplied,
        Findings defaults,
        int suppliedCount)
    {
        var weak = supplied.Weak.Concat(defaults.Weak).ToList();
        var notes = supplied.Notes.Concat(defaults.Notes).ToList();
        var prefix = $"SNMPv3 engine {engine.EngineIdHex} on udp/{Port}: ";
        if (weak.Count > 0)
        {
            return Result(device, RuleOutcome.Fail, prefix + string.Join("; ", weak) + ". Also tried: "
                + string.Join("; ", notes) + ".");
        }

        var suppliedText = suppliedCount == 0
            ? "no SNMPv3 user was supplied, so only default user names were tried"
            : $"none of {suppliedCount} supplied user(s) is answered below authPriv";
        return Result(device, RuleOutcome.Pass, prefix + suppliedText + "; " + string.Join("; ", notes) + ".");
    }

    /// <summary>Weak levels found, and what else the agent answered.</summary>
    private sealed class Findings
    {
        public List<string> Weak { get; } = new List<string>();

        public List<string> Notes { get; } = new List<string>();
    }
}
