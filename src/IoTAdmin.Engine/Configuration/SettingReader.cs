using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using IoTAdmin.Engine.Baseline.DataFiles;

namespace IoTAdmin.Engine.Configuration;

/// <summary>Turns one layer's settings table into typed values, with errors naming where they are.</summary>
internal static class SettingReader
{
    private static readonly string[] s_accountKeys = { "Name", "MaxPasswordAgeDays", "NoDefaultPassword" };
    private static readonly string[] s_snmpKeys = { "V3Only", "Users" };

    /// <summary>Copies every setting the layer states into <paramref name="desired"/>, replacing earlier ones.</summary>
    public static void Apply(DesiredConfiguration desired, DataTable table, string where)
    {
        if (table.ContainsKey("Accounts"))
        {
            desired.Accounts = Accounts(table["Accounts"], $"{where}.Accounts");
        }

        desired.SshKeyOnly = Bool(table, "SshKeyOnly", where) ?? desired.SshKeyOnly;
        desired.AuthorizedKeys = Strings(table, "AuthorizedKeys", where) ?? desired.AuthorizedKeys;
        desired.ServicesOff = Checked(Strings(table, "ServicesOff", where), ConfigurationDocument.IsServiceName,
            $"{where}.ServicesOff", "a service name (letters, digits, _ . @ -)") ?? desired.ServicesOff;
        if (table.ContainsKey("Snmp"))
        {
            desired.Snmp = Snmp(table["Snmp"], $"{where}.Snmp");
        }

        desired.AllowedPorts = Ports(table, where) ?? desired.AllowedPorts;
        desired.Ntp = Checked(Strings(table, "Ntp", where), ConfigurationDocument.IsHostPort, $"{where}.Ntp",
            "a host name or address") ?? desired.Ntp;
        desired.Syslog = Checked(Strings(table, "Syslog", where), ConfigurationDocument.IsHostPort,
            $"{where}.Syslog", "host or host:port") ?? desired.Syslog;
        if (table.TryGetValue("Baseline", out var baseline) && baseline is not null)
        {
            desired.Baseline = baseline as string
                ?? throw new DataFileException($"{where}.Baseline: expected a baseline name or file path.");
        }

        var port = Integer(table, "SshPort", where);
        if (port is not null)
        {
            desired.SshPort = port.Value is >= 1 and <= 65535
                ? port.Value
                : throw new DataFileException($"{where}.SshPort: {port} is not a TCP port.");
        }
    }

    /// <summary>The layer's waivers as issue-7 waiver tables; their keys are checked when the baseline loads.</summary>
    public static IReadOnlyList<DataTable> Waivers(DataTable table, string where)
    {
        if (!table.TryGetValue("Waivers", out var value) || value is null)
        {
            return Array.Empty<DataTable>();
        }

        return Items(value).Select((item, index) => item as DataTable
            ?? throw new DataFileException($"{where}.Waivers[{index + 1}]: expected @{{ Rule = ...; Reason = ... }}."))
            .ToList();
    }

    public static IReadOnlyList<string>? Strings(DataTable table, string key, string where)
    {
        if (!table.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }

        return Items(value).Select(item => item as string
            ?? throw new DataFileException($"{where}.{key}: expected text, found '{item}'.")).ToList();
    }

    private static IReadOnlyList<string>? Checked(
        IReadOnlyList<string>? values, Func<string, bool> valid, string where, string expected)
    {
        var bad = values?.FirstOrDefault(v => !valid(v));
        if (bad is not null)
        {
            throw new DataFileException($"{where}: '{bad}' is not {expected}.");
        }

        return values;
    }

    private static IReadOnlyList<AccountSetting> Accounts(object? value, string where)
    {
        var accounts = new List<AccountSetting>();
        foreach (var item in Items(value))
        {
            var at = $"{where}[{accounts.Count + 1}]";
            var table = item as DataTable ?? throw new DataFileException($"{at}: expected @{{ Name = 'root'; ... }}.");
            ConfigurationDocument.CheckKeys(table, s_accountKeys, at);
            var name = table.TryGetValue("Name", out var n) ? n as string : null;
            if (string.IsNullOrWhiteSpace(name) || !ConfigurationDocument.IsServiceName(name!))
            {
                throw new DataFileException($"{at}.Name: expected an account name.");
            }

            var age = Integer(table, "MaxPasswordAgeDays", at);
            if (age is < 1 or > 36500)
            {
                throw new DataFileException($"{at}.MaxPasswordAgeDays: {age} is outside 1..36500.");
            }

            accounts.Add(new AccountSetting(name!)
            {
                MaxPasswordAgeDays = age,
                NoDefaultPassword = Bool(table, "NoDefaultPassword", at) ?? true,
            });
        }

        return accounts;
    }

    private static SnmpSetting Snmp(object? value, string where)
    {
        var table = value as DataTable ?? throw new DataFileException($"{where}: expected @{{ V3Only = $true; ... }}.");
        ConfigurationDocument.CheckKeys(table, s_snmpKeys, where);
        var users = Checked(Strings(table, "Users", where), ConfigurationDocument.IsServiceName, $"{where}.Users",
            "an SNMPv3 user name") ?? Array.Empty<string>();
        return new SnmpSetting { V3Only = Bool(table, "V3Only", where) ?? false, Users = users };
    }

    private static IReadOnlyList<int>? Ports(DataTable table, string where)
    {
        if (!table.TryGetValue("AllowedPorts", out var value) || value is null)
        {
            return null;
        }

        return Items(value).Select(item => ToInt(item) is int port and >= 1 and <= 65535
                ? port
                : throw new DataFileException($"{where}.AllowedPorts: '{item}' is not a TCP port."))
            .Distinct().OrderBy(p => p).ToList();
    }

    private static bool? Bool(DataTable table, string key, string where)
    {
        if (!table.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }

        return value as bool? ?? throw new DataFileException($"{where}.{key}: expected $true or $false.");
    }

    private static int? Integer(DataTable table, string key, string where)
    {
        if (!table.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }

        return ToInt(value) ?? throw new DataFileException($"{where}.{key}: expected a whole number.");
    }

    private static int? ToInt(object? value) => value switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        string s when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static IEnumerable<object?> Items(object? value) =>
        value is List<object?> list ? list : new[] { value };
}
