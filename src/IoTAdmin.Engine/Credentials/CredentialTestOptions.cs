using System;
using System.Collections.Generic;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Engine.Credentials;

/// <summary>
/// Settings of a credential test. The defaults are meant for production: few attempts, a pause
/// between them, and never more failed logins per account than a typical lockout policy allows.
/// </summary>
public sealed class CredentialTestOptions
{
    /// <summary>The protocols and ports to try; by default each protocol on its standard port.</summary>
    public List<CredentialTarget> Targets { get; } = new List<CredentialTarget>();

    /// <summary>Pairs to try in order; when empty, the built-in default list ordered for the device.</summary>
    public List<CredentialPair> Credentials { get; } = new List<CredentialPair>();

    /// <summary>Most attempts per device, protocol and port.</summary>
    public int MaxAttemptsPerProtocol { get; set; } = 5;

    /// <summary>Pause between two attempts on the same device and protocol.</summary>
    public TimeSpan DelayBetweenAttempts { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Most failed attempts per account (device, protocol, user) within <see cref="LockoutWindow"/>.
    /// 2 leaves a spare attempt below the strictest common lockout policy (3 failures, PAM faillock
    /// and many cameras), so the real admin can still log in after an audit.
    /// </summary>
    public int MaxFailuresPerAccount { get; set; } = 2;

    /// <summary>The window in which failed attempts per account are counted (in this process).</summary>
    public TimeSpan LockoutWindow { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The host-key policy for SSH attempts; null records keys without checking them.</summary>
    public HostKeyPolicy? HostKeyPolicy { get; set; }

    /// <summary>The URL path tried for HTTP logins.</summary>
    public string HttpPath { get; set; } = "/";

    /// <summary>The standard ports, one target per protocol.</summary>
    public static IEnumerable<CredentialTarget> StandardTargets()
    {
        yield return new CredentialTarget(CredentialProtocol.Ssh, 22);
        yield return new CredentialTarget(CredentialProtocol.Telnet, 23);
        yield return new CredentialTarget(CredentialProtocol.Http, 80);
        yield return new CredentialTarget(CredentialProtocol.Snmp, 161);
        yield return new CredentialTarget(CredentialProtocol.Mqtt, 1883);
    }
}

/// <summary>One protocol on one port.</summary>
public readonly struct CredentialTarget
{
    public CredentialTarget(CredentialProtocol protocol, int port)
    {
        Protocol = protocol;
        Port = port;
    }

    public CredentialProtocol Protocol { get; }

    public int Port { get; }

    public override string ToString() => $"{Protocol}/{Port}";
}
