using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Configuration.Settings;

/// <summary>
/// Snmp: with V3Only no community (v1/v2c) access in net-snmp's snmpd.conf, and each named SNMPv3
/// user configured with authentication and privacy. The fix rewrites snmpd.conf (communities
/// commented out, users added with createUser/rouser), restarts the agent, and proves each new
/// user answers an authPriv GET from outside with our own SNMP stack. createUser lines hold the
/// passphrases, so the file (and its backup) is written readable by root only.
/// </summary>
/// <remarks>
/// Only net-snmp's configuration file format is understood; agents configured another way (a
/// vendor web UI, snmpd.conf under another path) read as "no SNMP configuration found".
/// </remarks>
internal sealed class SnmpAgentSetting : IConfigurationSetting
{
    internal const string ConfigPath = "/etc/snmp/snmpd.conf";
    private const string DisabledMark = "# disabled by IoTAdmin: ";
    private static readonly string[] s_communityWords =
        { "rocommunity", "rwcommunity", "rocommunity6", "rwcommunity6", "com2sec", "com2sec6" };

    private static readonly ObjectIdentifier s_sysName = ObjectIdentifier.Parse("1.3.6.1.2.1.1.5.0");

    public string Name => "Snmp";

    public bool IsManaged(DesiredConfiguration desired) => desired.Snmp is not null;

    public async Task<SettingObservation> ObserveAsync(SettingContext context, CancellationToken cancellationToken)
    {
        var desired = context.Desired.Snmp!;
        var text = await context.RunCheckedAsync(ShellText.ReadFile(ConfigPath), $"reading {ConfigPath}",
            cancellationToken).ConfigureAwait(false);
        var lines = ShellText.Lines(text);
        var communities = lines.Where(IsCommunityLine).ToList();
        var users = ConfiguredUsers(lines);
        var missing = desired.Users.Where(u => !users.Contains(u, StringComparer.Ordinal)).ToList();
        var v1v2c = desired.V3Only && communities.Count > 0;

        var wanted = (desired.V3Only ? "v3 only" : "any version")
            + $"; users: {ShellText.List(desired.Users)}";
        var actual = text.Length == 0
            ? $"no {ConfigPath}"
            : $"{communities.Count} community line(s) (v1/v2c {(communities.Count > 0 ? "on" : "off")}); "
              + $"users: {ShellText.List(users)}";
        var seen = new SettingObservation(wanted, actual, !v1v2c && missing.Count == 0);
        if (seen.InDesiredState)
        {
            return seen;
        }

        var keys = missing.Select(u => context.Secrets.SnmpUsers.FirstOrDefault(k => k.UserName == u)).ToList();
        var unknown = missing.Where((u, i) => keys[i] is null).ToList();
        if (unknown.Count > 0)
        {
            seen.NotRemediable = $"No keys for SNMPv3 user(s) {string.Join(", ", unknown)}: pass them with "
                + "-SnmpUser so the agent can be configured.";
            return seen;
        }

        AddPlan(seen, lines, desired.V3Only, keys.Select(k => k!).ToList());
        return seen;
    }

    private void AddPlan(SettingObservation seen, IReadOnlyList<string> lines, bool v3Only, List<SnmpUserKeys> add)
    {
        var (content, shown) = Rewrite(lines, v3Only, add);
        seen.Plan.Add(new PlannedOperation(
            Name,
            $"Rewrite {ConfigPath}" + (v3Only ? ", community access off" : string.Empty)
                + (add.Count > 0 ? $", add SNMPv3 user(s) {string.Join(", ", add.Select(k => k.UserName))}" : ""),
            $"write {ConfigPath} with mode 0600 (backup {ConfigPath}.iotadmin-bak): {shown}",
            (c, ct) => c.RunCheckedAsync(ShellText.ReplaceSecretFile(ConfigPath), $"writing {ConfigPath}", ct,
                content)));
        seen.Plan.Add(new PlannedOperation(
            Name,
            "Restart snmpd and prove the SNMPv3 users answer",
            ShellText.RestartService("snmpd") + "; then an authPriv GET sysName.0 per new user",
            (c, ct) => RestartAndVerifyAsync(c, add, ct)));
    }

    /// <summary>The new file, and a masked summary of the change for -WhatIf.</summary>
    internal static (string Content, string Shown) Rewrite(
        IReadOnlyList<string> lines, bool v3Only, IReadOnlyList<SnmpUserKeys> add)
    {
        var names = new HashSet<string>(add.Select(k => k.UserName), StringComparer.Ordinal);
        var output = new List<string>();
        var shown = new List<string>();
        foreach (var line in lines)
        {
            var words = ShellText.Words(line);
            if (v3Only && IsCommunityLine(line))
            {
                output.Add(DisabledMark + line.Trim());
                shown.Add($"comment out '{line.Trim()}'");
            }
            else if (words.Length >= 2 && NamesUser(words, names))
            {
                // A half-configured user is replaced as a whole, never merged with old keys.
                shown.Add($"replace '{words[0]} {UserOf(words)} ...'");
            }
            else
            {
                output.Add(line);
            }
        }

        foreach (var user in add)
        {
            output.Add($"createUser {user.UserName} SHA-256 \"{user.AuthPassphrase}\" AES \"{user.PrivPassphrase}\"");
            output.Add($"rouser -s usm {user.UserName} priv");
            shown.Add($"add 'createUser {user.UserName} SHA-256 \"********\" AES \"********\"' and "
                + $"'rouser -s usm {user.UserName} priv'");
        }

        return (ShellText.JoinLines(output), string.Join("; ", shown));
    }

    internal static bool IsCommunityLine(string line)
    {
        var words = ShellText.Words(line);
        return words.Length > 0 && s_communityWords.Contains(words[0], StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Users with both keys (createUser) and access (rouser/rwuser) in the file.</summary>
    internal static IReadOnlyList<string> ConfiguredUsers(IReadOnlyList<string> lines)
    {
        var created = new HashSet<string>(StringComparer.Ordinal);
        var allowed = new List<string>();
        foreach (var words in lines.Select(ShellText.Words).Where(w => w.Length >= 2))
        {
            if (words[0].Equals("createUser", StringComparison.OrdinalIgnoreCase))
            {
                created.Add(UserOf(words));
            }
            else if (words[0].Equals("rouser", StringComparison.OrdinalIgnoreCase)
                || words[0].Equals("rwuser", StringComparison.OrdinalIgnoreCase))
            {
                allowed.Add(UserOf(words));
            }
        }

        return allowed.Where(created.Contains).Distinct().ToList();
    }

    private static bool NamesUser(string[] words, ISet<string> names) =>
        (words[0].Equals("createUser", StringComparison.OrdinalIgnoreCase)
            || words[0].Equals("rouser", StringComparison.OrdinalIgnoreCase)
            || words[0].Equals("rwuser", StringComparison.OrdinalIgnoreCase))
        && names.Contains(UserOf(words));

    /// <summary>The user name of a createUser/rouser line, skipping rouser's "-s usm" style options.</summary>
    private static string UserOf(string[] words)
    {
        var i = 1;
        while (i < words.Length - 1 && words[i].StartsWith("-", StringComparison.Ordinal))
        {
            i += 2;
        }

        return words[Math.Min(i, words.Length - 1)];
    }

    private static async Task RestartAndVerifyAsync(
        SettingContext context, IReadOnlyList<SnmpUserKeys> users, CancellationToken cancellationToken)
    {
        await context.RunCheckedAsync(ShellText.RestartService("snmpd"), "restarting snmpd", cancellationToken)
            .ConfigureAwait(false);
        var agent = new IPEndPoint(IPAddress.Parse(context.Target.Address), 161);
        using var client = new SnmpClient(context.Log);
        foreach (var user in users)
        {
            await ProveUserAsync(client, agent, user, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ProveUserAsync(
        SnmpClient client, IPEndPoint agent, SnmpUserKeys user, CancellationToken cancellationToken)
    {
        // The agent needs a moment after the restart; a bounded number of tries, then a clear failure.
        var options = new SnmpRequestOptions { Timeout = TimeSpan.FromSeconds(1), Retries = 0 };
        Exception? last = null;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            try
            {
                var answer = await client.GetAsync(agent, user.ToCredential(), new[] { s_sysName }, options,
                    cancellationToken).ConfigureAwait(false);
                if (answer.IsSuccess)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SnmpException or TimeoutException)
            {
                last = ex;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }

        throw new ConfigurationException(
            $"SNMPv3 user {user.UserName} does not answer after the restart ({last?.Message ?? "no answer"}).");
    }
}
