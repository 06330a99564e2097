using System;

namespace IoTAdmin.Engine.Snmp;

/// <summary>How one SNMP request (or one walk) is sent: its timeout, retries and walk limits.</summary>
public sealed class SnmpRequestOptions
{
    public static SnmpRequestOptions Default => new SnmpRequestOptions();

    /// <summary>Time to wait for an answer to each attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Extra attempts after the first one times out.</summary>
    public int Retries { get; set; } = 1;

    /// <summary>max-repetitions of the GetBulk requests a walk sends.</summary>
    public int MaxRepetitions { get; set; } = 10;

    /// <summary>Most requests one walk may send, so a broken agent cannot keep it going (BR-13).</summary>
    public int MaxWalkRequests { get; set; } = 1000;

    internal void Validate()
    {
        if (Timeout <= TimeSpan.Zero || Retries < 0 || MaxRepetitions < 1 || MaxWalkRequests < 1)
        {
            throw new ArgumentException(
                "SNMP request options need a positive timeout, retries >= 0, max-repetitions >= 1 "
                + "and a walk budget >= 1.");
        }
    }
}
