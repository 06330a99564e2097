using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Commands;

/// <summary>
/// Test-IoTBaseline: audits devices against the SYS.4.4 rules and writes one result per device
/// and rule. Devices are audited concurrently; one dead device never stops the run.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "IoTBaseline", DefaultParameterSetName = DeviceSet)]
[OutputType(typeof(RuleResult))]
public sealed class TestIoTBaselineCommand : IoTCmdletBase
{
    private const string DeviceSet = "Device";
    private const string AddressSet = "Address";
    private const string ProgressActivity = "Auditing IoT devices against SYS.4.4";

    private readonly List<IoTDevice> _devices = new List<IoTDevice>();
    private readonly ConcurrentQueue<DeviceAuditOutcome> _finished = new ConcurrentQueue<DeviceAuditOutcome>();
    private int _written;
    private BaselineAuditor? _auditor;

    /// <summary>Gets or sets the devices to audit, usually from Get-IoTDevice.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = DeviceSet)]
    public IoTDevice[] InputObject { get; set; } = Array.Empty<IoTDevice>();

    /// <summary>Gets or sets the addresses of devices to audit without discovering them first.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = AddressSet)]
    [Alias("IPAddress", "ComputerName")]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the requirement profile of devices given by address.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = AddressSet)]
    public DeviceProfile Profile { get; set; } = DeviceProfile.General;

    /// <summary>Gets or sets the ids of the rules to check (wildcards allowed); all rules by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Rule { get; set; } = { "*" };

    /// <summary>Gets or sets credentials to try instead of the built-in list of defaults.</summary>
    [Parameter]
    public PSCredential[] Credential { get; set; } = Array.Empty<PSCredential>();

    /// <summary>Gets or sets SNMP communities to try instead of the built-in ones; each password is one.</summary>
    [Parameter]
    public PSCredential[] Community { get; set; } = Array.Empty<PSCredential>();

    /// <summary>
    /// Gets or sets SNMPv3 users (from New-IoTSnmpCredential) whose security level and algorithms the
    /// SNMPv3 rules check on every device.
    /// </summary>
    [Parameter]
    public SnmpCredential[] SnmpCredential { get; set; } = Array.Empty<SnmpCredential>();

    /// <summary>Gets or sets the time allowed for each network operation, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 120)]
    public int Timeout { get; set; } = 5;

    /// <summary>Gets or sets the most login attempts per device and protocol.</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Gets or sets the firmware catalogue file for the IOT-FW-* rules.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FirmwareCatalog { get; set; }

    /// <summary>Gets or sets KEV catalogue and CVE record files or folders for the IOT-FW-KEV rule.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] VulnerabilityData { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets how many devices are audited at once.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 8;

    protected override void BeginProcessing()
    {
        var community = SnmpCredential.FirstOrDefault(c => c.User is null);
        if (community is not null)
        {
            var error = new ArgumentException(
                "-SnmpCredential takes SNMPv3 users; give v1/v2c communities with -Community instead.");
            ThrowTerminatingError(new ErrorRecord(error, "SnmpCommunityNotAllowed", ErrorCategory.InvalidArgument,
                community));
        }

        // A -Rule that matches nothing stops the command before any device is touched.
        _auditor = CreateAuditor();
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == AddressSet)
        {
            foreach (var address in Address)
            {
                AddAddress(address);
            }

            return;
        }

        _devices.AddRange(InputObject.Where(d => d is not null));
    }

    protected override void EndProcessing()
    {
        var devices = _devices.GroupBy(d => d.Address).Select(g => g.First()).ToList();
        if (devices.Count > 0)
        {
            var context = new AuditContext(BuildOptions(), Log);
            var auditor = _auditor!;
            WriteVerbose($"Auditing {devices.Count} device(s) with {ThrottleLimit} at a time.");
            RunEngine(token => AuditAllAsync(auditor, devices, context, token), () => WriteFinished(devices.Count));
            WriteProgress(new ProgressRecord(2, ProgressActivity, "Done")
            {
                RecordType = ProgressRecordType.Completed,
            });
        }

        base.EndProcessing();
    }

    private void AddAddress(string address)
    {
        // Only literal IPv4 addresses: resolving names would send DNS queries the admin did not ask for.
        var trimmed = address?.Trim() ?? string.Empty;
        if (IPAddress.TryParse(trimmed, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetwork)
        {
            _devices.Add(new IoTDevice(parsed.ToString()) { Profile = Profile });
            return;
        }

        var error = new ArgumentException($"'{address}' is not an IPv4 address.");
        WriteError(new ErrorRecord(error, "InvalidAddress", ErrorCategory.InvalidArgument, address));
    }

    private BaselineAuditor CreateAuditor()
    {
        var patterns = Rule.Select(r => new WildcardPattern(r, WildcardOptions.IgnoreCase)).ToList();
        var selected = new BaselineAuditor().Rules.Select(r => r.Id).Where(id => patterns.Any(p => p.IsMatch(id)));
        var ids = selected.ToList();
        if (ids.Count == 0)
        {
            var error = new ArgumentException($"No baseline rule matches -Rule '{string.Join("', '", Rule)}'.");
            ThrowTerminatingError(new ErrorRecord(error, "RuleNotFound", ErrorCategory.ObjectNotFound, Rule));
        }

        WriteVerbose($"Checking {ids.Count} rule(s): {string.Join(", ", ids)}.");
        return new BaselineAuditor(ids);
    }

    private AuditOptions BuildOptions()
    {
        var options = new AuditOptions
        {
            ProbeTimeout = TimeSpan.FromSeconds(Timeout),
            MaxAttemptsPerProtocol = MaxAttempts,
        };
        foreach (var credential in Credential)
        {
            var network = credential.GetNetworkCredential();
            options.Credentials.Add(new CredentialPair(network.UserName, network.Password));
        }

        options.Communities.AddRange(Community.Select(c => c.GetNetworkCredential().Password));
        options.SnmpV3Credentials.AddRange(SnmpCredential.Select(c => c.User!));
        AddFirmwareData(options);
        return options;
    }

    private void AddFirmwareData(AuditOptions options)
    {
        if (FirmwareCatalog is not null)
        {
            options.FirmwareCatalogPath = GetUnresolvedProviderPathFromPSPath(FirmwareCatalog);
        }

        options.VulnerabilityDataPaths.AddRange(VulnerabilityData.Select(GetUnresolvedProviderPathFromPSPath));
    }

    private async Task<bool> AuditAllAsync(
        BaselineAuditor auditor,
        IReadOnlyList<IoTDevice> devices,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        using var throttle = new SemaphoreSlim(ThrottleLimit);
        var audits = devices.Select(async device =>
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await auditor.AuditDeviceAsync(device, context, cancellationToken).ConfigureAwait(false);
                _finished.Enqueue(new DeviceAuditOutcome(device, result));
            }
            finally
            {
                throttle.Release();
            }
        });
        await Task.WhenAll(audits).ConfigureAwait(false);
        return true;
    }

    private void WriteFinished(int total)
    {
        while (_finished.TryDequeue(out var outcome))
        {
            _written++;
            foreach (var result in outcome.Audit.Results)
            {
                result.Device = outcome.Device;
                WarnIfUrgent(result);
                WriteObject(result);
            }

            if (outcome.Audit.Unreachable)
            {
                WriteUnreachable(outcome);
            }

            var status = $"{_written} of {total}: {outcome.Device}";
            var progress = new ProgressRecord(2, ProgressActivity, status) { PercentComplete = _written * 100 / total };
            WriteProgress(progress);
        }
    }

    private void WarnIfUrgent(RuleResult result)
    {
        // Findings that need a person now; the rest are for the report.
        if (result.Outcome == RuleOutcome.Fail && result.Severity >= Severity.High)
        {
            // Titles state the requirement; the warning says it is not met and why.
            WriteWarning($"'{result.DeviceAddress}' ({result.DeviceName ?? "unnamed"}) does not meet {result.RuleId} "
                + $"\"{result.Title}\" [{result.Severity}]: {result.Evidence}");
        }
    }

    private void WriteUnreachable(DeviceAuditOutcome outcome)
    {
        var message = $"Device '{outcome.Device.Address}' did not answer: {outcome.Audit.Reason}";
        var error = new TimeoutException(message);
        WriteError(new ErrorRecord(error, "DeviceUnreachable", ErrorCategory.ConnectionError, outcome.Device));
    }

    private sealed class DeviceAuditOutcome
    {
        public DeviceAuditOutcome(IoTDevice device, DeviceAuditResult audit)
        {
            Device = device;
            Audit = audit;
        }

        public IoTDevice Device { get; }

        public DeviceAuditResult Audit { get; }
    }
}
