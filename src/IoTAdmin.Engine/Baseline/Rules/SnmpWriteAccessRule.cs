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
/// Fails when a default or listed SNMP v1/v2c community grants write access (SYS.4.4.M2
/// authentication, SYS.4.4.M13 unneeded functions, SYS.4.4.M15 restrictive rights). The test never
/// changes the device: it reads sysLocation.0, sysContact.0 or sysName.0 and writes the very value it
/// read back with the same community.
/// </summary>
public sealed class SnmpWriteAccessRule : SnmpRule
{
    public SnmpWriteAccessRule()
        : base(SnmpSweepDiscovery.DefaultPort)
    {
    }

    /// <summary>Probes another port than 161, for tests against a loopback agent.</summary>
    internal SnmpWriteAccessRule(int port)
        : base(port)
    {
    }

    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-SNMP-WRITE",
        "No SNMP community with write access",
        Severity.Critical,
        "Remove every read-write community (rwcommunity, 'private', 'write' and the like): whoever guesses "
            + "or sniffs it can reconfigure the device without a password (M2). Monitoring needs read access "
            + "only, so SNMP SET is an unneeded function (M13) and read-only rights are the restrictive "
            + "assignment (M15). If remote configuration is really needed, use an SNMPv3 user with authPriv "
            + "and a write view limited to the objects required.",
        "SYS.4.4.M2",
        "SYS.4.4.M13",
        "SYS.4.4.M15");

    public override async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(device.Address, out var address))
        {
            return Result(device, RuleOutcome.Error, $"'{device.Address}' is not an IP address.");
        }

        var communities = context.Options.Communities.Count > 0
            ? context.Options.Communities.Distinct().ToList()
            : SnmpCommunityProbe.DefaultCommunities.ToList();
        var options = new SnmpRequestOptions { Timeout = context.Options.ProbeTimeout, Retries = 0 };
        context.Log.Verbose(
            $"Testing {communities.Count} SNMP communities on '{device.Address}' port {Port} for write access "
            + "by writing back values just read.");
        try
        {
            using var client = new SnmpClient(context.Log);
            var trial = new SnmpWriteTrial(client, new IPEndPoint(address, Port), options, context.Log);
            var answers = await SnmpCommunityProbe.TryCommunitiesAsync(
                    client, trial.Agent, communities, SnmpWriteTrial.Objects, options, cancellationToken)
                .ConfigureAwait(false);
            return await JudgeAsync(device, trial, answers, communities.Count, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SnmpException || ex is SocketException)
        {
            return SendFailed(device, ex);
        }
    }

    private async Task<RuleResult> JudgeAsync(
        IoTDevice device,
        SnmpWriteTrial trial,
        IReadOnlyList<SnmpCommunityAnswer> answers,
        int communityCount,
        CancellationToken cancellationToken)
    {
        if (answers.Count == 0)
        {
            return Result(device, RuleOutcome.NotApplicable, $"No community among {communityCount} was accepted "
                + $"over SNMP v2c or v1 on udp/{Port}, so no write access could be tested.");
        }

        var findings = new List<SnmpWriteFinding>();
        foreach (var answer in PreferV2c(answers))
        {
            var finding = await trial.TestAsync(answer, cancellationToken).ConfigureAwait(false);
            if (finding.CanWrite)
            {
                return Result(device, RuleOutcome.Fail, $"udp/{Port}: {finding.Text}");
            }

            findings.Add(finding);
        }

        var text = $"udp/{Port}: " + string.Join(" ", findings.Select(f => f.Text));
        return findings.Any(f => f.Tested)
            ? Result(device, RuleOutcome.Pass, text + " No accepted community could write.")
            : Result(device, RuleOutcome.NotApplicable, text);
    }

    /// <summary>
    /// One answer per community, v2c where the agent speaks it: v2c tells notWritable (write community,
    /// read-only object) from noAccess, where v1 answers noSuchName to both.
    /// </summary>
    private static IEnumerable<SnmpCommunityAnswer> PreferV2c(IReadOnlyList<SnmpCommunityAnswer> answers) =>
        answers.GroupBy(a => a.Community, StringComparer.Ordinal)
            .Select(g => g.FirstOrDefault(a => a.Version == SnmpVersion.V2c) ?? g.First());
}
