using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Net;
using IoTAdmin.Engine.Discovery;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Inventory.Store;
using IoTAdmin.Engine.Snmp;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Get-IoTDevice: reads the device inventory (the default), or with -Discover finds IoT devices over
/// mDNS, SSDP and an SNMP sweep, concurrently, and writes one merged IoTDevice per address.
/// </summary>
[ImplementsMeasures("SYS.4.4.M9")]
[Cmdlet(VerbsCommon.Get, "IoTDevice", DefaultParameterSetName = InventorySet)]
[OutputType(typeof(IoTDevice), ParameterSetName = new[] { DiscoverSet })]
[OutputType(typeof(InventoryDevice), ParameterSetName = new[] { InventorySet })]
public sealed class GetIoTDeviceCommand : IoTCmdletBase
{
    private const string DiscoverSet = "Discover";
    private const string InventorySet = "Inventory";
    private const string ProgressActivity = "Discovering IoT devices";

    /// <summary>Gets or sets the name patterns (wildcards) of inventory entries to return.</summary>
    [Parameter(Position = 0, ParameterSetName = InventorySet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the address patterns (wildcards) of inventory entries to return.</summary>
    [Parameter(ParameterSetName = InventorySet, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets tags; entries that carry any of them are returned.</summary>
    [Parameter(ParameterSetName = InventorySet)]
    [ValidateNotNullOrEmpty]
    public string[] Tag { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the requirement profiles of the entries to return.</summary>
    [Parameter(ParameterSetName = InventorySet)]
    [ValidateNotNull]
    public DeviceProfile[] Profile { get; set; } = Array.Empty<DeviceProfile>();

    /// <summary>Gets or sets the lifecycle states of the entries to return.</summary>
    [Parameter(ParameterSetName = InventorySet)]
    [ValidateNotNull]
    public LifecycleState[] State { get; set; } = Array.Empty<LifecycleState>();

    /// <summary>Gets or sets whether each entry carries its history.</summary>
    [Parameter(ParameterSetName = InventorySet)]
    public SwitchParameter IncludeHistory { get; set; }

    /// <summary>Gets or sets the inventory file; else $env:IOTADMIN_INVENTORY, else the user's data folder.</summary>
    [Parameter(ParameterSetName = InventorySet)]
    [ValidateNotNullOrEmpty]
    public string? InventoryPath { get; set; }

    /// <summary>Gets or sets whether to search the network instead of reading the inventory.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DiscoverSet)]
    public SwitchParameter Discover { get; set; }

    /// <summary>Gets or sets the IPv4 ranges, in CIDR notation, that the SNMP sweep covers.</summary>
    [Parameter(Position = 0, ParameterSetName = DiscoverSet)]
    [ValidateNotNullOrEmpty]
    public string[] Subnet { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the discovery protocols to use; all of them by default.</summary>
    [Parameter(ParameterSetName = DiscoverSet)]
    [ValidateNotNullOrEmpty]
    [ValidateSet("Mdns", "Ssdp", "Snmp", IgnoreCase = true)]
    public DiscoveryProtocol[] Protocol { get; set; } =
        { DiscoveryProtocol.Mdns, DiscoveryProtocol.Ssdp, DiscoveryProtocol.Snmp };

    /// <summary>Gets or sets how long discovery listens, in seconds.</summary>
    [Parameter(ParameterSetName = DiscoverSet)]
    [ValidateRange(1, 600)]
    public int Timeout { get; set; } = 5;

    /// <summary>Gets or sets the local IPv4 address that multicast queries are sent from.</summary>
    [Parameter(ParameterSetName = DiscoverSet)]
    public IPAddress? InterfaceAddress { get; set; }

    /// <summary>
    /// Gets or sets the SNMP communities the sweep tries; each credential's password is one
    /// community and its user name is ignored. 'public' and 'private' are tried by default.
    /// </summary>
    [Parameter(ParameterSetName = DiscoverSet)]
    [ValidateNotNull]
    public PSCredential[] Community { get; set; } = Array.Empty<PSCredential>();

    protected override void BeginProcessing()
    {
        if (ParameterSetName == InventorySet)
        {
            return;
        }

        ValidateSubnets();
        if (Protocol.Contains(DiscoveryProtocol.Snmp) && Subnet.Length == 0)
        {
            WriteVerbose("No -Subnet was given, so the SNMP sweep is skipped.");
            Protocol = Protocol.Where(p => p != DiscoveryProtocol.Snmp).ToArray();
        }
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InventorySet)
        {
            ReadInventory();
            return;
        }

        var options = BuildOptions();
        var discovery = DeviceDiscovery.Create(Protocol.Distinct());
        var clock = Stopwatch.StartNew();
        WriteVerbose($"Discovering over {string.Join(", ", Protocol)} for {Timeout} s.");

        var run = RunEngine(token => discovery.DiscoverAsync(options, Log, token), () => ReportProgress(clock));
        WriteProgress(new ProgressRecord(1, ProgressActivity, "Done")
        {
            RecordType = ProgressRecordType.Completed,
        });

        foreach (var failure in run.Failures)
        {
            var error = new InvalidOperationException($"{failure.Protocol} discovery failed: {failure.Message}");
            var category = ErrorCategory.ConnectionError;
            WriteError(new ErrorRecord(error, "DiscoveryProtocolFailed", category, failure.Protocol));
        }

        WriteVerbose($"Discovery found {run.Devices.Count} device(s) in {clock.Elapsed.TotalSeconds:F1} s.");
        WriteObject(InsideSubnets(run.Devices), enumerateCollection: true);
    }

    /// <summary>
    /// With -Subnet, only the devices inside it: mDNS and SSDP answers come from the whole link, and an
    /// audit piped from here must not touch hosts the admin did not name.
    /// </summary>
    private IEnumerable<IoTDevice> InsideSubnets(IReadOnlyList<IoTDevice> devices)
    {
        if (Subnet.Length == 0)
        {
            return devices;
        }

        var inside = new HashSet<string>(SnmpSubnets.Expand(Subnet).Select(a => a.ToString()), StringComparer.Ordinal);
        foreach (var outside in devices.Where(d => !inside.Contains(d.Address)))
        {
            WriteVerbose($"{outside.Address} answered {string.Join(", ", outside.DiscoveredBy)} from outside -Subnet;"
                + " left out.");
        }

        return devices.Where(d => inside.Contains(d.Address));
    }

    private void ReadInventory()
    {
        var query = new InventoryQuery { IncludeHistory = IncludeHistory };
        query.NamePatterns.AddRange(Name);
        query.AddressPatterns.AddRange(Address);
        query.Tags.AddRange(TagSet.Parse(Tag));
        query.Profiles.AddRange(Profile);
        query.States.AddRange(State);

        // Reading must not create a file: no inventory yet simply holds no devices.
        var path = InventoryCmdlets.ResolvePath(this, InventoryPath);
        if (!System.IO.File.Exists(path) && !System.IO.Directory.Exists(path))
        {
            WriteVerbose($"There is no inventory at {path} yet; Add-IoTDevice creates it.");
            return;
        }

        using var store = InventoryCmdlets.Open(this, InventoryPath);
        try
        {
            WriteObject(store.Find(query), enumerateCollection: true);
        }
        catch (InventoryException ex)
        {
            ThrowTerminatingError(InventoryCmdlets.ToErrorRecord(ex, store.Path));
        }
    }

    private void ValidateSubnets()
    {
        // A typo must stop the command before any protocol runs, not surface later as a failed sweep.
        try
        {
            var addresses = SnmpSubnets.Expand(Subnet);
            WriteVerbose($"-Subnet covers {addresses.Count} address(es).");
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidSubnet", ErrorCategory.InvalidArgument, Subnet));
        }
    }

    private DiscoveryOptions BuildOptions()
    {
        var options = new DiscoveryOptions
        {
            Timeout = TimeSpan.FromSeconds(Timeout),
            InterfaceAddress = InterfaceAddress,
        };
        options.Subnets.AddRange(Subnet);
        if (Community.Length > 0)
        {
            options.Communities.Clear();
            options.Communities.AddRange(Community.Select(c => c.GetNetworkCredential().Password));
        }
        else
        {
            options.Communities.Add("private");
        }

        return options;
    }

    private void ReportProgress(Stopwatch clock)
    {
        var percent = (int)Math.Min(99, clock.Elapsed.TotalSeconds * 100 / Timeout);
        var status = $"Listening for answers ({clock.Elapsed.TotalSeconds:F0} of {Timeout} s)";
        WriteProgress(new ProgressRecord(1, ProgressActivity, status) { PercentComplete = percent });
    }
}
