using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
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

    public Task<RuleResult> EvaluateAsync(IoTDevice device, AuditContext context, CancellationToken cancellationToken)
    {
        var ssdp = device.Observations.Where(o => o.Protocol == DiscoveryProtocol.Ssdp).ToList();
        if (ssdp.Count == 0)
        {
            var silent = "the device did not answer SSDP/UPnP discovery";
            return Task.FromResult(Result(device, RuleOutcome.NotApplicable, silent));
        }

        var gateway = ssdp.FirstOrDefault(IsGateway);
        if (gateway is null)
        {
            var types = string.Join(", ", ssdp.Select(o => Get(o, "upnp.deviceType") ?? Get(o, "ssdp.st") ?? "?"));
            var plain = $"UPnP answers, but no gateway device or WAN service: {types}";
            return Task.FromResult(Result(device, RuleOutcome.Pass, plain));
        }

        var evidence = $"UPnP IGD found: deviceType {Get(gateway, "upnp.deviceType") ?? "?"}, "
            + $"services {Get(gateway, "upnp.services") ?? "?"}, location {Get(gateway, "ssdp.location") ?? "?"}";
        return Task.FromResult(Result(device, RuleOutcome.Fail, evidence));
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
