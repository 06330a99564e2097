using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Snmp;

/// <summary>What the sweep learnt about one address; written by several probes at once.</summary>
internal sealed class SweepTarget
{
    private readonly object _gate = new object();
    private readonly List<SnmpCommunityAnswer> _answers = new List<SnmpCommunityAnswer>();
    private SnmpEngineInfo? _engine;

    public SweepTarget(IPEndPoint agent)
    {
        Agent = agent;
    }

    public IPEndPoint Agent { get; }

    public bool Answered
    {
        get
        {
            lock (_gate)
            {
                return _answers.Count > 0 || _engine is not null;
            }
        }
    }

    /// <summary>Whether some community worked over v1 or v2c.</summary>
    public bool AnsweredCommunity
    {
        get
        {
            lock (_gate)
            {
                return _answers.Count > 0;
            }
        }
    }

    public void Record(SnmpCommunityAnswer answer)
    {
        lock (_gate)
        {
            _answers.Add(answer);
        }
    }

    public void Record(SnmpEngineInfo? engine)
    {
        lock (_gate)
        {
            _engine ??= engine;
        }
    }

    public DiscoveryObservation ToObservation()
    {
        lock (_gate)
        {
            var observation = new DiscoveryObservation(Agent.Address.ToString(), DiscoveryProtocol.Snmp);
            var best = _answers.OrderByDescending(a => a.Version == SnmpVersion.V2c).FirstOrDefault();
            if (best is not null)
            {
                Describe(observation, SnmpDeviceIdentity.FromVariables(best.Response.Variables));
            }

            AddAttributes(observation);
            var versions = observation.Attributes["snmp.versions"];
            observation.Services.Add(
                new DeviceService("snmp", ServiceTransport.Udp, Agent.Port, DiscoveryProtocol.Snmp)
                {
                    Detail = "SNMP " + versions,
                });
            return observation;
        }
    }

    private static void Describe(DiscoveryObservation observation, SnmpDeviceIdentity identity)
    {
        observation.Name = identity.Name;
        observation.Vendor = identity.Vendor;
        observation.Model = identity.Model;
        observation.FirmwareVersion = identity.FirmwareVersion;
        observation.Description = identity.Description;
        if (identity.SysObjectId is not null)
        {
            observation.Attributes["snmp.sysObjectID"] = identity.SysObjectId.ToString();
        }

        if (identity.OperatingSystem is not null)
        {
            observation.Attributes["snmp.os"] = identity.OperatingSystem;
        }
    }

    private void AddAttributes(DiscoveryObservation observation)
    {
        var versions = _answers.Select(a => a.Version).ToList();
        if (_engine is not null)
        {
            versions.Add(SnmpVersion.V3);
        }

        observation.Attributes["snmp.versions"] =
            string.Join(",", versions.Distinct().OrderBy(v => v).Select(SnmpCommunityProbe.Label));
        observation.Attributes["snmp.community.accepted"] = _answers.Count > 0 ? "TRUE" : "FALSE";
        if (_engine is not null)
        {
            observation.Attributes["snmp.engineId"] = _engine.EngineIdHex;
            observation.Attributes["snmp.engineBoots"] = _engine.EngineBoots.ToString(CultureInfo.InvariantCulture);
        }
    }
}
