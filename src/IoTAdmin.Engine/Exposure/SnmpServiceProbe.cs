using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Exposure;

/// <summary>
/// Tells whether UDP/161 has an SNMP agent: first the unauthenticated SNMPv3 discovery every v3
/// agent must answer, then, for v1/v2c-only agents, a v2c GET of sysDescr with "public" as
/// scanners ask. No answer is Timeout: UDP cannot tell a filtered port from a silent agent.
/// </summary>
internal static class SnmpServiceProbe
{
    public static async Task<NetworkService> ProbeAsync(
        SnmpClient client,
        IPAddress host,
        SnmpRequestOptions options,
        CancellationToken token)
    {
        var agent = new IPEndPoint(host, 161);
        var engine = await client.DiscoverEngineAsync(agent, options, token).ConfigureAwait(false);
        if (engine is not null)
        {
            return new NetworkService(host.ToString(), 161, ServiceTransport.Udp, PortState.Open)
            {
                Name = "snmp",
                Detail = $"SNMPv3 engine {engine.EngineIdHex} answered discovery",
            };
        }

        var answer = await SnmpCommunityProbe.TryGetAsync(
            client, agent, SnmpVersion.V2c, "public", new[] { SnmpCommunityProbe.SysDescr }, options, token)
            .ConfigureAwait(false);
        if (answer is null)
        {
            return new NetworkService(host.ToString(), 161, ServiceTransport.Udp, PortState.Timeout)
            {
                Detail = "no SNMP answer (v3 discovery, v2c GET): open|filtered",
            };
        }

        var description = answer.Response.Variables.FirstOrDefault()?.Value?.ToString();
        return new NetworkService(host.ToString(), 161, ServiceTransport.Udp, PortState.Open)
        {
            Name = "snmp",
            Banner = description is null ? null : ServiceClassifier.Printable(
                System.Text.Encoding.UTF8.GetBytes(description)),
            Detail = "SNMP v2c agent answered a GET of sysDescr",
        };
    }
}
