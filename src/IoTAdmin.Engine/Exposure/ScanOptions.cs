using System;

namespace IoTAdmin.Engine.Exposure;

/// <summary>Bounds of a port scan: sockets at once, time per port and for the whole scan.</summary>
public sealed class ScanOptions
{
    /// <summary>Time a TCP connect may take before the port counts as filtered (Timeout).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Time identification of one open port may take, all its probes together.</summary>
    public TimeSpan IdentifyTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>How long a silent service is given to greet before probes are sent.</summary>
    public TimeSpan BannerWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Time the whole scan may take; ports not reached by then are reported as not scanned.</summary>
    public TimeSpan OverallTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Most sockets open at once (connects and identification probes together).</summary>
    public int MaxSockets { get; set; } = 128;

    /// <summary>Identify the service on each open port (banners and light probes).</summary>
    public bool IdentifyServices { get; set; } = true;

    /// <summary>Also ask UDP/161 whether an SNMP agent answers.</summary>
    public bool ProbeSnmp { get; set; }

    internal void Validate()
    {
        if (ConnectTimeout <= TimeSpan.Zero || IdentifyTimeout <= TimeSpan.Zero || BannerWait < TimeSpan.Zero
            || OverallTimeout <= TimeSpan.Zero || MaxSockets < 1)
        {
            throw new ArgumentException("Scan options need positive timeouts and at least one socket.");
        }
    }
}
