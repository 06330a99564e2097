using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using IoTAdmin.Engine.Firewall;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Inventory.Store;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Export-IoTFirewallRule: writes an allow-list ruleset (nftables or iptables-restore) for the IoT
/// segment from the devices piped in, the management hosts and the update servers (SYS.4.4.M5, M12).
/// </summary>
[ImplementsMeasures("SYS.4.4.M5", "SYS.4.4.M12")]
[Cmdlet(VerbsData.Export, "IoTFirewallRule", SupportsShouldProcess = true, DefaultParameterSetName = DeviceSet)]
[OutputType(typeof(string), typeof(FileInfo))]
public sealed class ExportIoTFirewallRuleCommand : IoTCmdletBase
{
    private const string DeviceSet = "Device";
    private const string AddressSet = "Address";

    private readonly FirewallPolicy _policy = new FirewallPolicy();
    private readonly HashSet<string> _seen = new HashSet<string>();

    /// <summary>
    /// Gets or sets the devices, usually from Get-IoTDevice; their known services become the allowed ports.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = DeviceSet)]
    public IoTDevice[] InputObject { get; set; } = Array.Empty<IoTDevice>();

    /// <summary>Gets or sets device addresses (or CIDR blocks) without inventory.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = AddressSet)]
    [Alias("IPAddress")]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the management hosts or networks that may administer the devices.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string[] ManagementHost { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Gets or sets update servers the devices may reach, as address[/prefix][:port][/udp] (TCP 443 by default).
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] UpdateServer { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the TCP ports management hosts may always use, besides the discovered services.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int[] ManagementPort { get; set; } = FirewallPolicy.DefaultManagementPorts.ToArray();

    /// <summary>Gets or sets the ruleset format.</summary>
    [Parameter]
    public FirewallFormat Format { get; set; } = FirewallFormat.Nftables;

    /// <summary>Gets or sets the file to write; without it the ruleset is written to the pipeline as text.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Gets or sets whether an existing file is overwritten.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// Gets or sets the inventory that records the written file, so Invoke-IoTDecommission can take a retired
    /// device out of it; else $env:IOTADMIN_INVENTORY, else the user's data folder.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InventoryPath { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            _policy.ManagementHosts.AddRange(ManagementHost.Select(Ipv4Network.Parse));
            _policy.UpdateServers.AddRange(UpdateServer.Select(AllowedDestination.Parse));
        }
        catch (FormatException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidFirewallAddress", ErrorCategory.InvalidArgument, null));
        }
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == AddressSet)
        {
            foreach (var address in Address)
            {
                Add(address, () => new FirewallDevice(Ipv4Network.Parse(address), null,
                    ManagementPort.Where(p => p != 23).Distinct().ToList(), Array.Empty<int>()));
            }

            return;
        }

        foreach (var device in InputObject.Where(d => d is not null))
        {
            Add(device.Address, () => FirewallPolicy.FromInventory(device, ManagementPort));
        }
    }

    protected override void EndProcessing()
    {
        if (_policy.Devices.Count == 0)
        {
            var error = new InvalidOperationException("No valid device was given; no ruleset written.");
            WriteError(new ErrorRecord(error, "NoDevice", ErrorCategory.InvalidData, null));
            return;
        }

        var ruleset = FirewallRulesetWriter.Write(_policy, Format, DateTimeOffset.UtcNow);
        if (Path is null)
        {
            WriteObject(ruleset);
        }
        else
        {
            WriteFile(ruleset, GetUnresolvedProviderPathFromPSPath(Path));
        }

        base.EndProcessing();
    }

    private void Add(string address, Func<FirewallDevice> create)
    {
        try
        {
            var device = create();
            if (_seen.Add(device.Address.ToString()))
            {
                _policy.Devices.Add(device);
            }
        }
        catch (FormatException ex)
        {
            WriteError(new ErrorRecord(ex, "InvalidAddress", ErrorCategory.InvalidArgument, address));
        }
    }

    private void WriteFile(string ruleset, string path)
    {
        if (File.Exists(path) && !Force)
        {
            var error = new IOException($"'{path}' exists; use -Force to overwrite it.");
            WriteError(new ErrorRecord(error, "FileExists", ErrorCategory.ResourceExists, path));
            return;
        }

        if (!ShouldProcess(path, $"Write {Format} ruleset for {_policy.Devices.Count} device(s)"))
        {
            return;
        }

        ExportedRulesets.Save(path, ruleset);
        Record(path, ruleset);
        WriteObject(InvokeProvider.Item.Get(path), enumerateCollection: true);
    }

    /// <summary>
    /// Records the file in the inventory, when one exists or -InventoryPath names one: an export alone
    /// creates no inventory. The ruleset stands without the record, so a failure is a warning; only the
    /// later clean-up at decommissioning depends on it.
    /// </summary>
    private void Record(string path, string ruleset)
    {
        var inventory = InventoryCmdlets.ResolvePath(this, InventoryPath);
        if (InventoryPath is null && !File.Exists(inventory))
        {
            WriteVerbose($"No inventory at {inventory}: {path} is not recorded for later decommissioning.");
            return;
        }

        try
        {
            using var store = InventoryStore.Open(inventory);
            ExportedRulesets.Record(path, ruleset, _policy, Format, store);
            WriteVerbose($"Recorded {path} in the inventory {inventory}.");
        }
        catch (Exception ex) when (ex is InventoryException || ex is IOException || ex is UnauthorizedAccessException
            || ex is System.Data.Common.DbException)
        {
            WriteWarning($"{path} was written but not recorded in the inventory {inventory} ({ex.Message}); "
                + "Invoke-IoTDecommission will not take retired devices out of it.");
        }
    }
}
