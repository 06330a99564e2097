using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Baseline.DataFiles;
using IoTAdmin.Engine.Configuration;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Commands;

/// <summary>
/// What Test-IoTConfiguration and Set-IoTConfiguration share: the document, the devices (from the
/// pipeline, by address, or the document's own Devices list), the login, and one device at a time
/// with progress, where a failing device is a non-terminating error and the fleet goes on.
/// </summary>
public abstract class ConfigurationCommandBase : ConfigurationSshBase
{
    private const string DeviceSet = "Device";
    private const string AddressSet = "Address";

    private readonly List<(IoTDevice Device, IReadOnlyList<string> Tags)> _devices =
        new List<(IoTDevice, IReadOnlyList<string>)>();

    /// <summary>Gets or sets the configuration document, a data-only .psd1 file.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Gets or sets devices to configure, usually from Get-IoTDevice.</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = DeviceSet)]
    [ValidateNotNull]
    public IoTDevice[] InputObject { get; set; } = Array.Empty<IoTDevice>();

    /// <summary>Gets or sets device addresses; without devices, the document's Devices entries are used.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = AddressSet)]
    [Alias("IPAddress", "ComputerName")]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the profile of devices given by address.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = AddressSet)]
    public DeviceProfile? Profile { get; set; }

    /// <summary>Gets or sets the tags of devices given by address; they select the document's Tags layers.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Tags")]
    public string[] Tag { get; set; } = Array.Empty<string>();

    // An object piped without tags binds $null to -Tag by property name: that means no tags.
    private string[] GivenTags => Tag ?? Array.Empty<string>();

    /// <summary>Gets or sets the settings to handle; all settings the document states by default.</summary>
    [Parameter]
    [ValidateSet("Accounts", "SshKeyOnly", "ServicesOff", "Snmp", "AllowedPorts", "Ntp", "Syslog", "Baseline")]
    public string[] Setting { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the time allowed for each device operation, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int Timeout { get; set; } = 15;

    internal ConfigurationDocument? Document { get; private set; }

    protected abstract string ProgressActivity { get; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        try
        {
            Document = ConfigurationDocument.Load(path);
            WriteVerbose($"Configuration '{Document.Name}' from {Document.Source}.");
        }
        catch (DataFileException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "ConfigurationInvalid", ErrorCategory.InvalidData, Path));
        }
    }

    protected override void ProcessRecord()
    {
        foreach (var device in InputObject.Where(d => d is not null))
        {
            _devices.Add((device, GivenTags));
        }

        foreach (var address in Address)
        {
            AddAddress(address);
        }
    }

    protected override void EndProcessing()
    {
        var targets = Targets();
        if (targets.Count == 0)
        {
            WriteWarning($"No device to configure: pipe devices in, give -Address, or list devices under Devices in {Path}.");
        }

        var done = 0;
        foreach (var target in targets)
        {
            var progress = new ProgressRecord(3, ProgressActivity, target.ToString())
            {
                PercentComplete = done * 100 / targets.Count,
            };
            WriteProgress(progress);
            ProcessTarget(target);
            done++;
        }

        WriteProgress(new ProgressRecord(3, ProgressActivity, "Done") { RecordType = ProgressRecordType.Completed });
        base.EndProcessing();
    }

    /// <summary>Tests or sets one device; implementations write results and per-device errors.</summary>
    protected abstract void ProcessTarget(ConfigurationTarget target);

    internal ConfigurationOptions BuildOptions() => new ConfigurationOptions
    {
        Timeout = TimeSpan.FromSeconds(Timeout),
        DocumentDirectory = Document!.Directory,
        Settings = Setting,
    };

    /// <summary>Writes one non-terminating error for a device whose settings could not all be read or set.</summary>
    protected void WriteDeviceErrors(ConfigurationTarget target, IReadOnlyList<ConfigurationResult> results,
        string errorId)
    {
        var bad = results.Where(r => r.Status is ConfigurationStatus.Error or ConfigurationStatus.Failed).ToList();
        if (bad.Count == 0)
        {
            return;
        }

        var message = $"{target}: {string.Join("; ", bad.Select(r => $"{r.Setting}: {r.Message}").Distinct())}";
        WriteError(new ErrorRecord(new ConfigurationException(message), errorId, ErrorCategory.InvalidResult,
            target.Address));
    }

    private List<ConfigurationTarget> Targets()
    {
        if (_devices.Count == 0)
        {
            _devices.AddRange(Document!.Nodes.Select(n =>
                (new IoTDevice(n.Address) { Profile = n.Profile, Name = n.Name }, n.Tags)));
        }

        return _devices.GroupBy(d => d.Device.Address).Select(g => g.First()).Select(d =>
            new ConfigurationTarget(d.Device.Address, d.Device.Name, Document!.Resolve(d.Device, d.Tags.ToList()))
            {
                Profile = d.Device.Profile,
                Tags = d.Tags,
            }).ToList();
    }

    private void AddAddress(string address)
    {
        // Only literal IPv4 addresses: resolving names would send DNS queries nobody asked for.
        var trimmed = address?.Trim() ?? string.Empty;
        if (IPAddress.TryParse(trimmed, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetwork)
        {
            var node = Document!.Nodes.FirstOrDefault(n => n.Address == parsed.ToString());
            var device = new IoTDevice(parsed.ToString())
            {
                Profile = Profile ?? node?.Profile ?? DeviceProfile.General,
                Name = node?.Name,
            };
            _devices.Add((device, GivenTags.Length > 0 ? GivenTags : node?.Tags ?? Array.Empty<string>()));
            return;
        }

        var error = new ArgumentException($"'{address}' is not an IPv4 address.");
        WriteError(new ErrorRecord(error, "InvalidAddress", ErrorCategory.InvalidArgument, address));
    }
}
