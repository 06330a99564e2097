using System;
using System.Collections.Generic;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Monitoring;

/// <summary>A reading taken with SNMP GET and judged against limits, e.g. a temperature in tenths.</summary>
public sealed class ReadingThreshold
{
    public ReadingThreshold(string name, ObjectIdentifier oid)
    {
        Name = name;
        Oid = oid;
    }

    public string Name { get; }

    public ObjectIdentifier Oid { get; }

    public double? Minimum { get; set; }

    public double? Maximum { get; set; }

    /// <summary>Gets or sets the divisor that turns the raw value into the limits' unit (10 for tenths).</summary>
    public double Divisor { get; set; } = 1;

    public string Describe() =>
        (Minimum is { } min ? $">= {min}" : string.Empty) + (Minimum.HasValue && Maximum.HasValue ? " and " : "")
        + (Maximum is { } max ? $"<= {max}" : string.Empty);
}

/// <summary>One device to watch.</summary>
public sealed class WatchTarget
{
    public WatchTarget(string address, string name = "")
    {
        Address = address;
        Name = name ?? string.Empty;
    }

    public string Address { get; }

    public string Name { get; }
}

/// <summary>How Watch-IoTDevice polls.</summary>
public sealed class WatchOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the number of polling rounds; 0 runs until cancelled.</summary>
    public int Count { get; set; }

    /// <summary>Gets or sets the SNMP credential for sysUpTime and readings; null watches reachability only.</summary>
    public SnmpCredential? Snmp { get; set; }

    public int SnmpPort { get; set; } = 161;

    public SnmpRequestOptions SnmpRequest { get; set; } = new SnmpRequestOptions();

    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(1);

    public List<ReadingThreshold> Thresholds { get; } = new List<ReadingThreshold>();

    /// <summary>Gets or sets how many devices are polled at once.</summary>
    public int Parallelism { get; set; } = 32;
}
