using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using IoTAdmin.Engine.ActionLog;
using IoTAdmin.Engine.Inventory.Lifecycle;
using IoTAdmin.Engine.Inventory.Store;

namespace IoTAdmin.Engine.Firewall;

/// <summary>What removing a device from the exported rulesets did, and what it left for a human.</summary>
public sealed class RulesetCleanup
{
    public List<string> RewrittenFiles { get; } = new List<string>();

    public List<string> Warnings { get; } = new List<string>();

    public string Summary
    {
        get
        {
            var done = RewrittenFiles.Count == 0
                ? "no exported ruleset needed a change"
                : $"removed from {RewrittenFiles.Count} exported ruleset(s) ({string.Join(", ", RewrittenFiles)}); "
                    + "load them on the firewall again";
            return Warnings.Count == 0 ? done : done + "; " + string.Join("; ", Warnings);
        }
    }
}

/// <summary>
/// The ruleset files Export-IoTFirewallRule wrote, kept in the inventory with the policy each was made
/// from, so that a decommissioned device's rules leave every one of them (SYS.4.4 M20). A file changed
/// by hand since it was written is never rewritten: the change would be lost, so a human is asked.
/// </summary>
public static class ExportedRulesets
{
    /// <summary>
    /// Writes beside the file and renames over it, so a reader never sees half a ruleset; the file keeps its
    /// Unix mode. A symbolic link (such as /etc/iptables/rules.v4 pointing elsewhere) is written through
    /// in place instead, so the link stays a link.
    /// </summary>
    public static void Save(string path, string content)
    {
        if (File.Exists(path) && (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0)
        {
            File.WriteAllText(path, content, new UTF8Encoding(false));
            return;
        }

        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, content, new UTF8Encoding(false));
        try
        {
            PrivateFiles.CopyMode(path, temporary);
            if (File.Exists(path))
            {
                File.Replace(temporary, path, null);
            }
            else
            {
                File.Move(temporary, path);
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Records a written ruleset with the policy it was made from and the hash of its text.</summary>
    public static void Record(string path, string content, FirewallPolicy policy, FirewallFormat format,
        InventoryStore store) =>
        store.RecordFirewallExport(path, format.ToString(), FirewallPolicyJson.Write(policy), Sha256(content));

    /// <summary>Writes every recorded ruleset naming <paramref name="address"/> again without it.</summary>
    public static RulesetCleanup RemoveDevice(InventoryStore store, string address, DateTimeOffset now)
    {
        var cleanup = new RulesetCleanup();
        if (!IPAddress.TryParse(address, out var ip))
        {
            cleanup.Warnings.Add($"'{address}' is no IPv4 address; no ruleset was searched");
            return cleanup;
        }

        foreach (var record in store.FirewallExports())
        {
            RemoveFrom(store, record, ip, now, cleanup);
        }

        return cleanup;
    }

    private static void RemoveFrom(InventoryStore store, FirewallExportRecord record, IPAddress address,
        DateTimeOffset now, RulesetCleanup cleanup)
    {
        FirewallPolicy policy;
        try
        {
            policy = FirewallPolicyJson.Read(record.Policy);
        }
        catch (FormatException ex)
        {
            cleanup.Warnings.Add($"{record.Path}: {ex.Message}; check the file by hand");
            return;
        }

        foreach (var block in policy.Devices.Where(d => d.Address.Prefix < 32 && d.Address.Contains(address)))
        {
            cleanup.Warnings.Add($"{record.Path} allows the block {block.Address}, which holds {address}; "
                + "narrow it by hand");
        }

        var removed = policy.Devices.RemoveAll(d => d.Address.Prefix == 32 && d.Address.Address.Equals(address));
        if (removed > 0)
        {
            Rewrite(store, record, policy, now, cleanup);
        }
    }

    private static void Rewrite(InventoryStore store, FirewallExportRecord record, FirewallPolicy policy,
        DateTimeOffset now, RulesetCleanup cleanup)
    {
        try
        {
            if (!File.Exists(record.Path))
            {
                cleanup.Warnings.Add($"{record.Path} no longer exists; its record was dropped");
                ForgetQuietly(store, record.Path, cleanup);
                return;
            }

            if (Sha256(File.ReadAllText(record.Path)) != record.ContentSha256)
            {
                cleanup.Warnings.Add($"{record.Path} was changed since IoTAdmin wrote it and is left as it is; "
                    + "remove the device's rules from it by hand");
                return;
            }

            var format = (FirewallFormat)Enum.Parse(typeof(FirewallFormat), record.Format);
            var content = policy.Devices.Count == 0
                ? FirewallRulesetWriter.WriteWithoutDevices(format, now)
                : FirewallRulesetWriter.Write(policy, format, now);
            Save(record.Path, content);
            cleanup.RewrittenFiles.Add(record.Path);
            RecordQuietly(store, record.Path, content, policy, format, cleanup);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException)
        {
            cleanup.Warnings.Add($"{record.Path} could not be rewritten ({ex.Message}); remove the device's rules "
                + "from it by hand");
        }
    }

    // The file is already right; a busy or broken inventory only costs the next clean-up its record.
    private static void RecordQuietly(InventoryStore store, string path, string content, FirewallPolicy policy,
        FirewallFormat format, RulesetCleanup cleanup)
    {
        try
        {
            Record(path, content, policy, format, store);
        }
        catch (Exception ex) when (ex is InventoryException || ex is System.Data.Common.DbException)
        {
            cleanup.Warnings.Add($"{path} was rewritten, but its record could not be updated ({ex.Message}); a "
                + "later decommission will take it for a file changed by hand");
        }
    }

    private static void ForgetQuietly(InventoryStore store, string path, RulesetCleanup cleanup)
    {
        try
        {
            store.ForgetFirewallExport(path);
        }
        catch (Exception ex) when (ex is InventoryException || ex is System.Data.Common.DbException)
        {
            cleanup.Warnings.Add($"the record of {path} could not be dropped ({ex.Message})");
        }
    }

    private static string Sha256(string content) => TarArchive.Hex(new UTF8Encoding(false).GetBytes(content));
}
