using System;
using System.Collections.Generic;
using IoTAdmin.Engine.Baseline.DataFiles;

namespace IoTAdmin.Engine.Configuration;

/// <summary>One device account the configuration manages.</summary>
public sealed class AccountSetting
{
    public AccountSetting(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>Most days since the last password change; null when age is not checked.</summary>
    public int? MaxPasswordAgeDays { get; set; }

    /// <summary>True when a well-known default password is drift (the default).</summary>
    public bool NoDefaultPassword { get; set; } = true;
}

/// <summary>The SNMP agent's wanted state: v1/v2c off and exactly these SNMPv3 users.</summary>
public sealed class SnmpSetting
{
    public bool V3Only { get; set; }

    /// <summary>SNMPv3 user names the agent must accept; their keys come from the run's SNMP credentials.</summary>
    public IReadOnlyList<string> Users { get; set; } = Array.Empty<string>();
}

/// <summary>
/// What one device should look like: the merge of the document's Defaults, its profile, its tags
/// and its own entry. A null setting is not managed (neither tested nor changed).
/// </summary>
public sealed class DesiredConfiguration
{
    public IReadOnlyList<AccountSetting>? Accounts { get; set; }

    public bool? SshKeyOnly { get; set; }

    /// <summary>Public keys (OpenSSH one-line form) to install before password login is turned off.</summary>
    public IReadOnlyList<string> AuthorizedKeys { get; set; } = Array.Empty<string>();

    public IReadOnlyList<string>? ServicesOff { get; set; }

    public SnmpSetting? Snmp { get; set; }

    public IReadOnlyList<int>? AllowedPorts { get; set; }

    public IReadOnlyList<string>? Ntp { get; set; }

    public IReadOnlyList<string>? Syslog { get; set; }

    /// <summary>A built-in baseline name or a baseline file path (resolved against the document's folder).</summary>
    public string? Baseline { get; set; }

    /// <summary>Waivers in issue-7 baseline notation, collected from every layer that applies.</summary>
    public IReadOnlyList<DataTable> Waivers { get; set; } = Array.Empty<DataTable>();

    /// <summary>SSH port of the device; 22 unless the document says otherwise.</summary>
    public int SshPort { get; set; } = 22;

    /// <summary>Names of the layers merged, most general first, for messages and reports.</summary>
    public IReadOnlyList<string> Layers { get; set; } = Array.Empty<string>();
}
