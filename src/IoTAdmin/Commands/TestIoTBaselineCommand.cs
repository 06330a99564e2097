using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.DataFiles;
using IoTAdmin.Engine.History;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Commands;

/// <summary>
/// Test-IoTBaseline: audits devices against the SYS.4.4 rules and writes one result per device
/// and rule. Devices are audited concurrently; one dead device never stops the run.
/// </summary>
[ImplementsMeasures("SYS.4.4.M23")]
[Cmdlet(VerbsDiagnostic.Test, "IoTBaseline", DefaultParameterSetName = DeviceSet)]
[OutputType(typeof(RuleResult))]
[OutputType(typeof(bool))]
public sealed class TestIoTBaselineCommand : IoTCmdletBase
{
    private const string DeviceSet = "Device";
    private const string AddressSet = "Address";
    private const string ProgressActivity = "Auditing IoT devices against SYS.4.4";

    private readonly List<IoTDevice> _devices = new List<IoTDevice>();
    private readonly Dictionary<string, string[]> _tags = new Dictionary<string, string[]>(StringComparer.Ordinal);
    private readonly List<RuleResult> _allResults = new List<RuleResult>();
    private int _unreachableDevices;
    private BaselineAuditor? _auditor;
    private List<DeviceService> _givenServices = new List<DeviceService>();

    /// <summary>Gets or sets the devices to audit, usually from Get-IoTDevice.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = DeviceSet)]
    public IoTDevice[] InputObject { get; set; } = Array.Empty<IoTDevice>();

    /// <summary>Gets or sets the addresses of devices to audit without discovering them first.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = AddressSet)]
    [Alias("IPAddress", "ComputerName")]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the name of a device given by address (inventory entries bind theirs).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = AddressSet)]
    public string? Name { get; set; }

    /// <summary>Gets or sets the requirement profile of devices given by address.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = AddressSet)]
    public DeviceProfile Profile { get; set; } = DeviceProfile.General;

    /// <summary>Gets or sets tags of devices given by address, which waivers may select.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = AddressSet)]
    [Alias("Tags")]
    public string[] Tag { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Gets or sets the baseline: a built-in name (SYS.4.4-Basic, SYS.4.4-Standard, SYS.4.4-High) or
    /// the path of a .psd1 baseline file; without it every rule runs with its defaults.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Baseline { get; set; }

    /// <summary>Gets or sets a JSON file the run is saved to, for Compare-IoTAudit.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SavePath { get; set; }

    /// <summary>
    /// Gets or sets the severity at or above which a failure makes the run fail: a non-terminating
    /// error BaselineFailed at the end (with -Quiet, the returned $false).
    /// </summary>
    [Parameter]
    public Severity? FailOn { get; set; }

    /// <summary>
    /// Gets or sets whether only one answer is written: $true when every device answered and no rule at or
    /// above -FailOn failed or ended in an Error, else $false (an unchecked device is not a clean one).
    /// </summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Gets or sets the ids of the rules to check (wildcards allowed); all rules by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Rule { get; set; } = { "*" };

    /// <summary>
    /// Gets or sets the administrator's own logins, for the checks that must log in to read (accounts over
    /// SSH, a firmware settings page); they are never judged as default credentials.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public PSCredential[] AdminCredential { get; set; } = Array.Empty<PSCredential>();

    /// <summary>Gets or sets credentials to try instead of the built-in list of defaults.</summary>
    [Parameter]
    [ValidateNotNull]
    public PSCredential[] Credential { get; set; } = Array.Empty<PSCredential>();

    /// <summary>Gets or sets SNMP communities to try instead of the built-in ones; each password is one.</summary>
    [Parameter]
    [ValidateNotNull]
    public PSCredential[] Community { get; set; } = Array.Empty<PSCredential>();

    /// <summary>
    /// Gets or sets SNMPv3 users (from New-IoTSnmpCredential) whose security level and algorithms the
    /// SNMPv3 rules check on every device.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public SnmpCredential[] SnmpCredential { get; set; } = Array.Empty<SnmpCredential>();

    /// <summary>Gets or sets the time allowed for each network operation, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 120)]
    public int Timeout { get; set; } = 5;

    /// <summary>
    /// Gets or sets the longest one device's audit may take, in seconds; rules not started by then are
    /// reported as Error. 0 (the default) means 20 times -Timeout.
    /// </summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int DeviceTimeout { get; set; }

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

    /// <summary>
    /// Gets or sets services on ports discovery cannot know, by name, for every device of the run:
    /// @{ ssh = 48022; https = 8443, 9443 }.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? ServicePort { get; set; }

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

        // A bad baseline, -ServicePort or a -Rule that matches nothing stops the command before any device
        // is touched.
        _givenServices = ReadServicePorts();
        _auditor = CreateAuditor(LoadBaseline());
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == AddressSet)
        {
            foreach (var address in Address)
            {
                AddAddress(address, Tag);
            }

            return;
        }

        _devices.AddRange(InputObject.Where(d => d is not null));
    }

    protected override void EndProcessing()
    {
        var devices = _devices.GroupBy(d => d.Address).Select(g => g.First()).ToList();
        devices.ForEach(device => GivenServices.AddTo(device, _givenServices));
        WriteChecklist();

        // A -Rule that selects only checklist items needs no device to be touched.
        if (devices.Count > 0 && _auditor!.Rules.Count > 0)
        {
            var context = new AuditContext(BuildOptions(), Log);
            var auditor = _auditor!;
            WriteVerbose($"Auditing {devices.Count} device(s) with {ThrottleLimit} at a time.");
            RunThrottled(devices, ThrottleLimit, 2, ProgressActivity, (device, token) => AuditAsync(auditor, device,
                context, token), WriteOutcome);
            WriteProgress(new ProgressRecord(2, ProgressActivity, "Done")
            {
                RecordType = ProgressRecordType.Completed,
            });
        }

        base.EndProcessing();
        SaveRun(devices);
        ReportVerdict();
    }

    private List<DeviceService> ReadServicePorts()
    {
        var services = new List<DeviceService>();
        foreach (DictionaryEntry entry in ServicePort ?? new Hashtable())
        {
            try
            {
                var ports = LanguagePrimitives.ConvertTo<int[]>(entry.Value);
                services.AddRange(GivenServices.Create(entry.Key?.ToString() ?? string.Empty, ports));
            }
            catch (Exception ex) when (ex is ArgumentException || ex is PSInvalidCastException)
            {
                var error = new ArgumentException($"-ServicePort: {ex.Message}", ex);
                ThrowTerminatingError(new ErrorRecord(error, "ServicePortInvalid", ErrorCategory.InvalidArgument,
                    entry.Key));
            }
        }

        return services;
    }

    private void AddAddress(string address, string[] tags)
    {
        // Only literal IPv4 addresses: resolving names would send DNS queries the admin did not ask for.
        var trimmed = address?.Trim() ?? string.Empty;
        if (IPAddress.TryParse(trimmed, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetwork)
        {
            _devices.Add(new IoTDevice(parsed.ToString()) { Profile = Profile, Name = Name });
            _tags[parsed.ToString()] = tags ?? Array.Empty<string>();
            return;
        }

        var error = new ArgumentException($"'{address}' is not an IPv4 address.");
        WriteError(new ErrorRecord(error, "InvalidAddress", ErrorCategory.InvalidArgument, address));
    }

    private ResolvedBaseline? LoadBaseline()
    {
        if (Baseline is null)
        {
            return null;
        }

        var nameOrPath = BaselineLibrary.LooksLikePath(Baseline)
            ? GetUnresolvedProviderPathFromPSPath(Baseline)
            : Baseline;
        try
        {
            var baseline = new BaselineLibrary().Load(nameOrPath);
            WriteVerbose($"Baseline {baseline.Name} ({baseline.Source}): measures "
                + $"{string.Join(", ", baseline.Measures)}; {baseline.Waivers.Count} waiver(s).");
            return baseline;
        }
        catch (DataFileException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "BaselineInvalid", ErrorCategory.InvalidData, Baseline));
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "BaselineNotFound", ErrorCategory.ObjectNotFound, Baseline));
        }

        return null;
    }

    private BaselineAuditor CreateAuditor(ResolvedBaseline? baseline)
    {
        var patterns = Rule.Select(r => new WildcardPattern(r, WildcardOptions.IgnoreCase)).ToList();
        var candidates = baseline is null ? new BaselineAuditor().Rules : new BaselineAuditor(baseline, null).Rules;
        var selected = candidates.Select(r => r.Id).Where(id => patterns.Any(p => p.IsMatch(id)));
        var ids = selected.ToList();
        var checklist = baseline?.Checklist.Select(c => c.Item.Id) ?? Enumerable.Empty<string>();
        if (ids.Count == 0 && !checklist.Any(id => patterns.Any(p => p.IsMatch(id))))
        {
            var error = new ArgumentException($"No baseline rule matches -Rule '{string.Join("', '", Rule)}'.");
            ThrowTerminatingError(new ErrorRecord(error, "RuleNotFound", ErrorCategory.ObjectNotFound, Rule));
        }

        WriteVerbose($"Checking {ids.Count} rule(s): {string.Join(", ", ids)}.");
        return baseline is null ? new BaselineAuditor(ids) : new BaselineAuditor(baseline, ids);
    }

    private AuditOptions BuildOptions()
    {
        var options = new AuditOptions
        {
            ProbeTimeout = TimeSpan.FromSeconds(Timeout),
            DeviceBudget = DeviceTimeout > 0 ? TimeSpan.FromSeconds(DeviceTimeout) : (TimeSpan?)null,
            MaxAttemptsPerProtocol = MaxAttempts,
        };
        options.EffectiveSshHostKeyPolicy.Log = Log;
        foreach (var credential in Credential)
        {
            var network = credential.GetNetworkCredential();
            options.Credentials.Add(new CredentialPair(network.UserName, network.Password));
        }

        foreach (var credential in AdminCredential)
        {
            var network = credential.GetNetworkCredential();
            options.AdminLogins.Add(new CredentialPair(network.UserName, network.Password));
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

    private async Task<DeviceAuditOutcome> AuditAsync(
        BaselineAuditor auditor, IoTDevice device, AuditContext context, CancellationToken cancellationToken)
    {
        var tags = _tags.TryGetValue(device.Address, out var known) ? known : Array.Empty<string>();
        var result = await auditor.AuditDeviceAsync(device, tags, context, cancellationToken).ConfigureAwait(false);
        return new DeviceAuditOutcome(device, result);
    }

    private void WriteOutcome(DeviceAuditOutcome outcome)
    {
        foreach (var result in outcome.Audit.Results)
        {
            result.Device = outcome.Device;
            Emit(result);
        }

        if (outcome.Audit.Unreachable)
        {
            WriteUnreachable(outcome);
        }
    }

    /// <summary>Keeps the result for -SavePath and -FailOn and writes it unless -Quiet.</summary>
    private void Emit(RuleResult result)
    {
        _allResults.Add(result);
        WarnIfUrgent(result);
        if (!Quiet)
        {
            WriteObject(result);
        }
    }

    /// <summary>The baseline's organisational checklist, answered or not, as results of their own.</summary>
    private void WriteChecklist()
    {
        var baseline = _auditor?.Baseline;
        if (baseline is null)
        {
            return;
        }

        var patterns = Rule.Select(r => new WildcardPattern(r, WildcardOptions.IgnoreCase)).ToList();
        foreach (var result in ChecklistEvaluator.Evaluate(baseline).Where(r => patterns.Any(p => p.IsMatch(r.RuleId))))
        {
            Emit(result);
        }
    }

    private void SaveRun(IReadOnlyList<IoTDevice> devices)
    {
        if (SavePath is null)
        {
            return;
        }

        var path = GetUnresolvedProviderPathFromPSPath(SavePath);
        try
        {
            var run = new AuditRun(DateTimeOffset.UtcNow, _auditor?.Baseline?.Name, devices, _allResults);
            AuditRunStore.Save(run, path);
            WriteVerbose($"Saved {_allResults.Count} result(s) of this run to '{path}'.");
        }
        catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
        {
            var error = new System.IO.IOException($"Cannot save the run to '{path}': {ex.Message}", ex);
            WriteError(new ErrorRecord(error, "AuditRunSaveFailed", ErrorCategory.WriteError, SavePath));
        }
    }

    /// <summary>-Quiet's single answer, and -FailOn's error when a failure reaches its severity.</summary>
    private void ReportVerdict()
    {
        var threshold = FailOn ?? Severity.Info;
        var failing = _allResults.Where(r => r.Outcome == RuleOutcome.Fail && r.Severity >= threshold).ToList();
        if (Quiet)
        {
            var unknown = _unreachableDevices > 0
                || _allResults.Any(r => r.Outcome == RuleOutcome.Error && r.Severity >= threshold);
            WriteObject(failing.Count == 0 && !unknown);
            return;
        }

        if (FailOn is not null && failing.Count > 0)
        {
            var rules = string.Join(", ", failing.Select(r => r.RuleId).Distinct().Take(10));
            var error = new InvalidOperationException(
                $"{failing.Count} failure(s) at or above {threshold}: {rules}.");
            WriteError(new ErrorRecord(error, "BaselineFailed", ErrorCategory.InvalidResult, threshold));
        }
    }

    private void WarnIfUrgent(RuleResult result)
    {
        // Findings that need a person now; the rest are for the report.
        if (result.Outcome == RuleOutcome.Fail && result.Severity >= Severity.High)
        {
            // Titles state the requirement; the warning says it is not met and why.
            var name = result.DeviceName is null ? string.Empty : $" ({result.DeviceName})";
            WriteWarning($"'{result.DeviceAddress}'{name} does not meet {result.RuleId} "
                + $"\"{result.Title}\" [{result.Severity}]: {result.Evidence}");
        }
    }

    private void WriteUnreachable(DeviceAuditOutcome outcome)
    {
        _unreachableDevices++;
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
