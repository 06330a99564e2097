using System;
using System.Diagnostics;

namespace IoTAdmin.Engine.Snmp;

/// <summary>
/// What the manager knows of one authoritative engine at one address: its ID, boots and the time it
/// reported, with the local moment of that report so the current engineTime can be estimated.
/// </summary>
internal sealed class SnmpEngineClock
{
    private readonly long _syncTimestamp;

    public SnmpEngineClock(byte[] engineId, int engineBoots, int engineTime)
    {
        EngineId = engineId;
        EngineBoots = engineBoots;
        EngineTimeAtSync = engineTime;
        _syncTimestamp = Stopwatch.GetTimestamp();
    }

    public byte[] EngineId { get; }

    public int EngineBoots { get; }

    public int EngineTimeAtSync { get; }

    /// <summary>The engine's time now: the reported time plus the seconds elapsed here since.</summary>
    public int CurrentEngineTime
    {
        get
        {
            var elapsed = (Stopwatch.GetTimestamp() - _syncTimestamp) / Stopwatch.Frequency;
            return (int)Math.Min(int.MaxValue, EngineTimeAtSync + elapsed);
        }
    }

    /// <summary>Whether an authenticated message's time is newer than this clock (RFC 3414 §3.2 7b).</summary>
    public bool IsOlderThan(int engineBoots, int engineTime) =>
        engineBoots > EngineBoots || (engineBoots == EngineBoots && engineTime > CurrentEngineTime);

    public bool HasEngineId(byte[] engineId) => UsmCrypto.FixedTimeEquals(EngineId, engineId);
}
