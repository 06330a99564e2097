using System;
using System.Globalization;
using System.Linq;
using System.Net;

namespace IoTAdmin.Engine.Snmp;

/// <summary>What an SNMPv3 agent revealed in its discovery Report: its engine ID, boots and time.</summary>
public sealed class SnmpEngineInfo
{
    public SnmpEngineInfo(
        IPEndPoint agent,
        byte[] engineId,
        int engineBoots,
        int engineTime,
        ObjectIdentifier? reportOid)
    {
        Agent = agent;
        EngineId = engineId ?? throw new ArgumentNullException(nameof(engineId));
        EngineBoots = engineBoots;
        EngineTime = engineTime;
        ReportOid = reportOid;
    }

    public IPEndPoint Agent { get; }

    /// <summary>msgAuthoritativeEngineID.</summary>
    public byte[] EngineId { get; }

    /// <summary>The engine ID as upper-case hex without separators.</summary>
    public string EngineIdHex => string.Concat(EngineId.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    public int EngineBoots { get; }

    /// <summary>Seconds since the engine last booted.</summary>
    public int EngineTime { get; }

    /// <summary>The counter the Report carried, normally usmStatsUnknownEngineIDs.0.</summary>
    public ObjectIdentifier? ReportOid { get; }

    public override string ToString() => $"{Agent} engine {EngineIdHex} boots {EngineBoots} time {EngineTime}";
}
