using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Credentials;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Commands;

/// <summary>
/// Test-IoTCredential: tries default or admin-supplied credentials on a device's SSH, Telnet, HTTP
/// (Basic and Digest), SNMP and MQTT logins, production-safe, and writes one finding per protocol.
/// SSH host keys follow the audit policy: an unknown key is pinned on first contact, a changed one
/// stops the SSH test of that device (its finding is an Error naming both fingerprints).
/// </summary>
[ImplementsMeasures("SYS.4.4.M1", "SYS.4.4.M2")]
[Cmdlet(VerbsDiagnostic.Test, "IoTCredential")]
[OutputType(typeof(CredentialFinding))]
public sealed class TestIoTCredentialCommand : IoTCmdletBase
{
    private const string Activity = "Testing IoT device credentials";
    private CredentialTestOptions? _options;
    private int _devices;

    /// <summary>Gets or sets the device addresses; IoTDevice objects bind by Address.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress", "ComputerName")]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the device's vendor, which orders the built-in list.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Vendor { get; set; }

    /// <summary>Gets or sets the device's profile, which orders the built-in list.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public DeviceProfile Profile { get; set; } = DeviceProfile.General;

    /// <summary>
    /// Gets or sets the services discovery found on the device (bound from Get-IoTDevice -Discover output):
    /// their ports are tried besides the standard ones, so SSH moved to 48022 is not missed.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    [ValidateNotNull]
    public DeviceService[]? Services { get; set; }

    /// <summary>Gets or sets the protocols to test.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public CredentialProtocol[] Protocol { get; set; } =
        { CredentialProtocol.Ssh, CredentialProtocol.Telnet, CredentialProtocol.Http, CredentialProtocol.Snmp,
          CredentialProtocol.Mqtt };

    /// <summary>Gets or sets the SSH ports.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int[] SshPort { get; set; } = { 22 };

    /// <summary>Gets or sets the Telnet ports.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int[] TelnetPort { get; set; } = { 23 };

    /// <summary>Gets or sets the HTTP ports (plain HTTP).</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int[] HttpPort { get; set; } = { 80 };

    /// <summary>Gets or sets the SNMP ports.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int[] SnmpPort { get; set; } = { 161 };

    /// <summary>Gets or sets the MQTT ports.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int[] MqttPort { get; set; } = { 1883 };

    /// <summary>Gets or sets credentials to try, in order, instead of the built-in list.</summary>
    [Parameter]
    [ValidateNotNull]
    public PSCredential[] Credential { get; set; } = Array.Empty<PSCredential>();

    /// <summary>Gets or sets a CSV file of user,password lines to try instead of the built-in list.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CredentialFile { get; set; }

    /// <summary>Gets or sets the most attempts per device, protocol and port.</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Gets or sets the pause between attempts, in milliseconds.</summary>
    [Parameter]
    [ValidateRange(0, 60000)]
    public int DelayMilliseconds { get; set; } = 1000;

    /// <summary>Gets or sets the most failed logins per account within the lockout window.</summary>
    [Parameter]
    [ValidateRange(1, 20)]
    public int MaxFailuresPerAccount { get; set; } = 2;

    /// <summary>Gets or sets the window, in minutes, in which failures per account are counted.</summary>
    [Parameter]
    [ValidateRange(1, 1440)]
    public int LockoutWindowMinutes { get; set; } = 15;

    /// <summary>Gets or sets the time allowed for each attempt, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 60)]
    public int Timeout { get; set; } = 5;

    /// <summary>Gets or sets the known-hosts file SSH host keys are checked against and pinned in.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KnownHostsPath { get; set; }

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        try
        {
            _options = BuildOptions();
        }
        catch (Exception ex) when (ex is IOException || ex is InvalidDataException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidCredentialFile", ErrorCategory.InvalidData,
                CredentialFile));
        }
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var address in Address)
        {
            _devices++;
            WriteProgress(new ProgressRecord(1, Activity, $"{address} ({_devices})"));
            var device = new IoTDevice(address.Trim()) { Vendor = Vendor, Profile = Profile };
            var options = WithTargets(_options!);
            var tester = new CredentialTester(options, Log);
            var findings = RunEngine(token => tester.TestAsync(device, token));
            foreach (var finding in findings)
            {
                WriteObject(finding);
                if (finding.Status == CredentialStatus.Error)
                {
                    var error = new InvalidOperationException(finding.Detail);
                    WriteError(new ErrorRecord(error, "CredentialTestIncomplete", ErrorCategory.OperationStopped,
                        address));
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        base.EndProcessing();
        WriteProgress(new ProgressRecord(1, Activity, "done") { RecordType = ProgressRecordType.Completed });
    }

    private CredentialTestOptions BuildOptions()
    {
        var options = new CredentialTestOptions
        {
            MaxAttemptsPerProtocol = MaxAttempts,
            DelayBetweenAttempts = TimeSpan.FromMilliseconds(DelayMilliseconds),
            MaxFailuresPerAccount = MaxFailuresPerAccount,
            LockoutWindow = TimeSpan.FromMinutes(LockoutWindowMinutes),
            Timeout = TimeSpan.FromSeconds(Timeout),
            HostKeyPolicy = new HostKeyPolicy(new KnownHostsStore(KnownHostsPath is null
                ? KnownHostsStore.DefaultPath
                : GetUnresolvedProviderPathFromPSPath(KnownHostsPath))) { AcceptNew = true, Log = Log },
        };
        foreach (var credential in Credential)
        {
            var plain = credential.GetNetworkCredential();
            options.Credentials.Add(new CredentialPair(plain.UserName, plain.Password));
        }

        if (CredentialFile is not null)
        {
            options.Credentials.AddRange(CredentialListFile.Read(GetUnresolvedProviderPathFromPSPath(CredentialFile)));
        }

        return options;
    }

    private CredentialTestOptions WithTargets(CredentialTestOptions options)
    {
        options.Targets.Clear();
        var ports = new Dictionary<CredentialProtocol, int[]>
        {
            [CredentialProtocol.Ssh] = SshPort,
            [CredentialProtocol.Telnet] = TelnetPort,
            [CredentialProtocol.Http] = HttpPort,
            [CredentialProtocol.Snmp] = SnmpPort,
            [CredentialProtocol.Mqtt] = MqttPort,
        };
        foreach (var protocol in Protocol.Distinct())
        {
            options.Targets.AddRange(ports[protocol].Concat(DiscoveredPorts(protocol)).Distinct()
                .Select(port => new CredentialTarget(protocol, port)));
        }

        return options;
    }

    private IEnumerable<int> DiscoveredPorts(CredentialProtocol protocol)
    {
        var transport = protocol == CredentialProtocol.Snmp ? ServiceTransport.Udp : ServiceTransport.Tcp;
        var name = protocol.ToString();
        return (Services ?? Array.Empty<DeviceService>())
            .Where(s => s is not null && s.Transport == transport
                && string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            .Select(s => s.Port);
    }
}
