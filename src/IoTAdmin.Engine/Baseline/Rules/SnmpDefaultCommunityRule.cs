using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>
/// Fails when the device's SNMP agent accepts a default or guessable v1/v2c community
/// (SYS.4.4.M1 default passwords, SYS.4.4.M2 authentication).
/// </summary>
public sealed class SnmpDefaultCommunityRule : SnmpRule
{
    public SnmpDefaultCommunityRule()
        : base(SnmpSweepDiscovery.DefaultPort)
    {
    }

    /// <summary>Probes another port than 161, for tests against a loopback agent.</summary>
    internal SnmpDefaultCommunityRule(int port)
        : base(port)
    {
    }

    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-SNMP-COMMUNITY",
        "No default or guessable SNMP community accepted",
        Severity.High,
        "Replace every default community with a long random one limited to the management hosts, "
            + "or switch SNMP v1/v2c off and use SNMPv3 with authentication and privacy.",
        "SYS.4.4.M1",
        "SYS.4.4.M2");

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
        var communities = context.Options.Communities.Count > 0
            ? context.Options.Communities.Distinct().ToList()
            : SnmpCommunityProbe.DefaultCommunities.ToList();
        var options = new SnmpRequestOptions { Timeout = context.Options.ProbeTimeout, Retries = 0 };
        context.Log.Verbose(
            $"Trying {communities.Count} SNMP communities over v2c and v1 on '{device.Address}' port {Port}.");

        IReadOnlyList<SnmpCommunityAnswer> answers;
        var agentExists = device.FindService("snmp") is not null;
        try
        {
            using var client = new SnmpClient(context.Log);
            answers = await SnmpCommunityProbe.TryCommunitiesAsync(
                    client, agent, communities, new[] { SnmpCommunityProbe.SysDescr }, options, cancellationToken)
                .ConfigureAwait(false);

            // Agents drop wrong communities silently; a v3 engine discovery tells an agent from no agent.
            if (answers.Count == 0 && !agentExists)
            {
                agentExists = await client.DiscoverEngineAsync(agent, options, cancellationToken)
                    .ConfigureAwait(false) is not null;
            }
        }
        catch (Exception ex) when (ex is SnmpException || ex is SocketException)
        {
            return SendFailed(device, ex);
        }

        var first = answers.FirstOrDefault();
        if (first is not null)
        {
            context.Log.Verbose($"'{device.Address}' accepted {answers.Count} community/version pair(s).");
            return Result(device, RuleOutcome.Fail, DescribeAccepted(first, answers.Count));
        }

        context.Log.Verbose($"'{device.Address}' answered none of {communities.Count} SNMP communities.");
        if (!agentExists)
        {
            var none = $"No SNMP agent answered on udp/{Port}: no reply to {communities.Count} communities over "
                + "v2c and v1, nor to an SNMPv3 engine discovery.";
            return Result(device, RuleOutcome.NotApplicable, none);
        }

        return Result(device, RuleOutcome.Pass, DescribeSilence(device, communities.Count, options.Timeout));
    }

    private string DescribeAccepted(SnmpCommunityAnswer first, int acceptedCount)
    {
        var sysDescr = first.Response.Variables.FirstOrDefault()?.Value;
        var detail = sysDescr is null || sysDescr.IsException ? string.Empty : $" and returned sysDescr '{sysDescr}'";
        return string.Format(
            CultureInfo.InvariantCulture,
            "SNMP {0} on udp/{1} accepted the community '{2}'{3}; {4} community/version pair(s) were accepted in all.",
            SnmpCommunityProbe.Label(first.Version),
            Port,
            first.MaskedCommunity,
            detail,
            acceptedCount);
    }

    private string DescribeSilence(IoTDevice device, int communityCount, TimeSpan timeout)
    {
        var evidence = string.Format(
            CultureInfo.InvariantCulture,
            "No answer on udp/{0} to {1} communities over v2c and v1 within {2:0.###} s.",
            Port,
            communityCount,
            timeout.TotalSeconds);
        return evidence + " An SNMP agent is present, so it accepts none of the communities tried.";
    }
}
