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
/// Fails when the device still speaks SNMP v1 or v2c, whose communities travel in clear text
/// (SYS.4.4.M11 secure protocols, SYS.4.4.M13 unneeded services).
/// </summary>
public sealed class SnmpLegacyVersionRule : SnmpRule
{
    private const string VersionsAttribute = "snmp.versions";

    public SnmpLegacyVersionRule()
        : base(SnmpSweepDiscovery.DefaultPort)
    {
    }

    /// <summary>Probes another port than 161, for tests against a loopback agent.</summary>
    internal SnmpLegacyVersionRule(int port)
        : base(port)
    {
    }

    public override BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-SNMP-V1V2C",
        "SNMP only as v3 (v1 and v2c disabled)",
        Severity.Medium,
        "Switch SNMP v1 and v2c off and use SNMPv3 with authentication and privacy (authPriv).",
        "SYS.4.4.M11",
        "SYS.4.4.M13");

    public override async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var seen = device.Observations
            .Where(o => o.Protocol == DiscoveryProtocol.Snmp && o.Attributes.ContainsKey(VersionsAttribute))
            .Select(o => o.Attributes[VersionsAttribute])
            .FirstOrDefault();
        if (seen is not null)
        {
            context.Log.Verbose($"Using the SNMP versions discovery saw on '{device.Address}': {seen}.");
            return FromDiscovery(device, seen);
        }

        if (!IPAddress.TryParse(device.Address, out var address))
        {
            return Result(device, RuleOutcome.Error, $"'{device.Address}' is not an IP address.");
        }

        var agent = new IPEndPoint(address, Port);
        try
        {
            return await ProbeAsync(device, agent, context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SnmpException || ex is SocketException)
        {
            return SendFailed(device, ex);
        }
    }

    private RuleResult FromDiscovery(IoTDevice device, string versions)
    {
        var list = versions.Split(',').Select(v => v.Trim()).ToList();
        if (list.Contains("v1") || list.Contains("v2c"))
        {
            return Result(device, RuleOutcome.Fail, $"Discovery saw the agent on udp/{Port} answer SNMP {versions}.");
        }

        return list.Contains("v3")
            ? Result(device, RuleOutcome.Pass, $"Discovery saw the agent on udp/{Port} answer only SNMPv3.")
            : Result(device, RuleOutcome.NotApplicable, "Discovery recorded no SNMP version for the device.");
    }

    private async Task<RuleResult> ProbeAsync(
        IoTDevice device,
        IPEndPoint agent,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var communities = context.Options.Communities.Count > 0
            ? context.Options.Communities.Distinct().ToList()
            : SnmpCommunityProbe.DefaultCommunities.ToList();
        var options = new SnmpRequestOptions { Timeout = context.Options.ProbeTimeout, Retries = 0 };
        context.Log.Verbose(
            $"Probing '{device.Address}' port {Port} with {communities.Count} communities over v2c and v1 "
            + "and with a v3 engine discovery.");

        using var client = new SnmpClient(context.Log);
        var legacy = SnmpCommunityProbe.TryCommunitiesAsync(
            client, agent, communities, new[] { SnmpCommunityProbe.SysDescr }, options, cancellationToken);
        var engine = client.DiscoverEngineAsync(agent, options, cancellationToken);
        await Task.WhenAll(legacy, engine).ConfigureAwait(false);

        return Judge(device, legacy.Result, engine.Result, communities.Count);
    }

    private RuleResult Judge(
        IoTDevice device,
        IReadOnlyList<SnmpCommunityAnswer> answers,
        SnmpEngineInfo? engine,
        int communityCount)
    {
        if (answers.Count > 0)
        {
            var versions = string.Join(" and ", answers.Select(a => a.Version).Distinct().OrderBy(v => v)
                .Select(SnmpCommunityProbe.Label));
            return Result(device, RuleOutcome.Fail, $"The agent on udp/{Port} answers SNMP {versions} "
                + $"(community '{answers[0].MaskedCommunity}'){EngineText(engine)}.");
        }

        if (engine is not null)
        {
            return Result(device, RuleOutcome.Pass, $"The agent on udp/{Port} answers only "
                + $"SNMPv3{EngineText(engine)}; none of {communityCount} communities got an answer over v1 or v2c.");
        }

        return Result(device, RuleOutcome.NotApplicable, $"No SNMP agent answered on udp/{Port} "
            + $"(v1/v2c with {communityCount} communities, v3 engine discovery).");
    }

    private static string EngineText(SnmpEngineInfo? engine) =>
        engine is null ? string.Empty : $", SNMPv3 engine {engine.EngineIdHex}";
}
