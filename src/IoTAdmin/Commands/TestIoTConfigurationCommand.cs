using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Configuration;

namespace IoTAdmin.Commands;

/// <summary>
/// Test-IoTConfiguration: reads each device's actual state for every setting its configuration
/// document states and writes one result per device and setting, desired against actual, with the
/// operations a Set would run. It never changes a device.
/// </summary>
[ImplementsMeasures("SYS.4.4.M10", "SYS.4.4.M23")]
[Cmdlet(VerbsDiagnostic.Test, "IoTConfiguration", DefaultParameterSetName = "Address")]
[OutputType(typeof(ConfigurationResult))]
[OutputType(typeof(RuleResult))]
[OutputType(typeof(bool))]
public sealed class TestIoTConfigurationCommand : ConfigurationCommandBase
{
    private bool _allInDesiredState = true;

    /// <summary>Gets or sets whether only $true (every device in its desired state) or $false is written.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>
    /// Gets or sets whether results are written as audit results (rule CONFIG-&lt;Setting&gt;) for
    /// Export-IoTReport and its formats.
    /// </summary>
    [Parameter]
    public SwitchParameter AsRuleResult { get; set; }

    protected override string ProgressActivity => "Testing IoT device configuration";

    protected override void ProcessTarget(ConfigurationTarget target)
    {
        var engine = new ConfigurationEngine();
        var access = CreateAccess(System.TimeSpan.FromSeconds(Timeout));
        using var context = new SettingContext(target, access, new ConfigurationSecrets(), BuildOptions(), Log);
        var results = RunEngine(token => engine.TestAsync(context, token));
        _allInDesiredState &= results.All(r => r.InDesiredState);
        if (!Quiet)
        {
            foreach (var result in results)
            {
                WriteObject(AsRuleResult ? ConfigurationRuleResults.ToRuleResult(result) : (object)result);
            }
        }

        WriteDeviceErrors(target, results, "ConfigurationTestFailed");
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        if (Quiet)
        {
            WriteObject(_allInDesiredState);
        }
    }
}
