using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Discovery.Ssdp;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>IOT-UPNP-IGD: the device offers a UPnP Internet Gateway Device (port mappings on request).</summary>
public sealed class UpnpIgdRule : IBaselineRule
{
    private static readonly string[] s_gatewayMarkers =
    {
        "InternetGatewayDevice", "WANIPConnection", "WANPPPConnection",
    };

    public BaselineRuleInfo Info { get; } = new BaselineRuleInfo(
        "IOT-UPNP-IGD",
        "No UPnP Internet Gateway Device",
        Severity.High,
        "Disable UPnP IGD (and NAT-PMP) on the device so clients on the LAN cannot open ports to the internet.",
        "SYS.4.4.M5");

    public async Task<RuleResult> EvaluateAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var ssdp = device.Observations.Where(o => o.Protocol == DiscoveryProtocol.Ssdp).ToList();
        if (ssdp.Count == 0)
        {
            // Audited by address, or multicast did not reach it: ask the device itself.
            return await SearchDirectlyAsync(device, context, cancellationToken).ConfigureAwait(false);
        }

        return Judge(device, ssdp);
    }

    private async Task<RuleResult> SearchDirectlyAsync(
        IoTDevice device,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(device.Address, out var address))
        {
            return Result(device, RuleOutcome.Error, $"'{device.Address}' is not an IP address");
        }

        context.Log.Verbose($"Sending a unicast SSDP search to '{device.Address}'.");
        var answers = await SsdpUnicastSearch.SearchAsync(address, context.Options.ProbeTimeout, cancellationToken)
            .ConfigureAwait(false);
        if (answers.Count == 0)
        {
            var silent = $"the device did not answer SSDP/UPnP discovery (multicast or unicast to udp/1900)";
            return Result(device, RuleOutcome.NotApplicable, silent);
        }

        var targets = answers.Select(a => a.SearchTarget).Where(t => t is not null).Distinct().ToList();
        var gateway = targets.FirstOrDefault(t => s_gatewayMarkers.Any(
            m => t!.IndexOf(m, StringComparison.OrdinalIgnoreCase) >= 0));
        if (gateway is null)
        {
            var offered = string.Join(", ", targets);
            return Result(device, RuleOutcome.Pass, $"UPnP answers, but offers no gateway: {offered}");
        }

        var location = answers.Select(a => a.Location).FirstOrDefault(l => l is not null) ?? "?";
        var evidence = $"UPnP IGD answers a unicast search: {gateway}, location {location}";
        return Result(device, RuleOutcome.Fail, evidence);
    }

    private RuleResult Judge(IoTDevice device, IReadOnlyList<DiscoveryObservation> ssdp)
    {
        var gateway = ssdp.FirstOrDefault(IsGateway);
        if (gateway is null)
        {
            var types = string.Join(", ", ssdp.Select(o => Get(o, "upnp.deviceType") ?? Get(o, "ssdp.st") ?? "?"));
            var plain = $"UPnP answers, but no gateway device or WAN service: {types}";
            return Result(device, RuleOutcome.Pass, plain);
        }

        var evidence = $"UPnP IGD found: deviceType {Get(gateway, "upnp.deviceType") ?? "?"}, "
            + $"services {Get(gateway, "upnp.services") ?? "?"}, location {Get(gateway, "ssdp.location") ?? "?"}";
        return Result(device, RuleOutcome.Fail, evidence);
    }

    private static bool IsGateway(DiscoveryObservation observation) =>
        new[] { "upnp.deviceType", "upnp.deviceTypes", "upnp.services", "ssdp.st" }
            .Select(key => Get(observation, key))
            .Any(value => value is not null
                && s_gatewayMarkers.Any(m => value.IndexOf(m, StringComparison.OrdinalIgnoreCase) >= 0));

    private static string? Get(DiscoveryObservation observation, string key) =>
        observation.Attributes.TryGetValue(key, out var value) ? value : null;

    private RuleResult Result(IoTDevice device, RuleOutcome outcome, string evidence) =>
        new RuleResult(device.Address, device.Name, Info, outcome, evidence);
}
