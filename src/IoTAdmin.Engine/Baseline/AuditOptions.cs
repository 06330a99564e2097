using System;
using System.Collections.Generic;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Baseline;

/// <summary>A user name and password pair to try; the password is never logged or reported.</summary>
public sealed class CredentialPair
{
    public CredentialPair(string userName, string password, bool isPublicDefault = false)
    {
        UserName = userName;
        Password = password;
        IsPublicDefault = isPublicDefault;
    }

    public string UserName { get; }

    public string Password { get; }

    /// <summary>Whether the pair is from the shipped list of published defaults: then its password is public.</summary>
    public bool IsPublicDefault { get; }

    /// <summary>
    /// The password for reports: a published default keeps a hint of which one it is, anything an administrator
    /// supplied is hidden completely (<see cref="SecretMask"/>).
    /// </summary>
    public string MaskedPassword => IsPublicDefault ? SecretMask.PublicDefaultHint(Password) : SecretMask.Hidden;

    public override string ToString() => $"{UserName}/{MaskedPassword}";
}

/// <summary>Settings of an audit run.</summary>
public sealed class AuditOptions
{
    /// <summary>Time allowed for each network operation of a probe (connect, one login attempt, one request).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest one device's audit may run (as nmap's --host-timeout): rules not started by then are
    /// reported as Error. Null means <see cref="DefaultBudgetFactor"/> times <see cref="ProbeTimeout"/>,
    /// ample for a device that answers (a lab camera takes 8 probe timeouts) yet bounded for one that
    /// accepts connections and never answers.
    /// </summary>
    public TimeSpan? DeviceBudget { get; set; }

    /// <summary>How many probe timeouts a device's audit may take when no budget is set.</summary>
    public const int DefaultBudgetFactor = 20;

    /// <summary>The budget in force.</summary>
    public TimeSpan EffectiveDeviceBudget =>
        DeviceBudget ?? TimeSpan.FromTicks(ProbeTimeout.Ticks * DefaultBudgetFactor);

    /// <summary>SNMP v1/v2c communities that count as default or guessable.</summary>
    public List<string> Communities { get; } = new List<string>();

    /// <summary>
    /// The administrator's own logins, used to read what needs a login (accounts over SSH, a firmware
    /// settings page). Kept apart from <see cref="Credentials"/>, whose success is a finding.
    /// </summary>
    public List<CredentialPair> AdminLogins { get; } = new List<CredentialPair>();

    /// <summary>Default credentials tried on SSH, Telnet, HTTP and MQTT, in order.</summary>
    public List<CredentialPair> Credentials { get; } = new List<CredentialPair>();

    /// <summary>
    /// SNMPv3 users the administrator knows, whose security level and algorithms the SNMPv3 rules
    /// check on every device; their passphrases are never logged or reported.
    /// </summary>
    public List<SnmpV3Credential> SnmpV3Credentials { get; } = new List<SnmpV3Credential>();

    /// <summary>Most login attempts per device and protocol, so no account is locked out.</summary>
    public int MaxAttemptsPerProtocol { get; set; } = 5;

    /// <summary>Pause between two login attempts on the same device and protocol.</summary>
    public TimeSpan DelayBetweenAttempts { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How SSH host keys are trusted during the audit; null means the module's default known-hosts
    /// file with trust on first use: an unknown key is recorded, a changed key stops the SSH checks.
    /// </summary>
    public IoTAdmin.Engine.Ssh.HostKeyPolicy? SshHostKeyPolicy { get; set; }

    /// <summary>The policy in force: <see cref="SshHostKeyPolicy"/> or the recording default.</summary>
    public IoTAdmin.Engine.Ssh.HostKeyPolicy EffectiveSshHostKeyPolicy =>
        SshHostKeyPolicy ??= new IoTAdmin.Engine.Ssh.HostKeyPolicy(
            new IoTAdmin.Engine.Ssh.KnownHostsStore(IoTAdmin.Engine.Ssh.KnownHostsStore.DefaultPath))
        {
            AcceptNew = true,
        };
    /// <summary>The firmware catalogue file of the IOT-FW-* rules; without it they are NotChecked.</summary>
    public string? FirmwareCatalogPath { get; set; }

    /// <summary>KEV catalogue and CVE record files or folders for the IOT-FW-KEV rule.</summary>
    public List<string> VulnerabilityDataPaths { get; } = new List<string>();
}
