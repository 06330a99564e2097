using System;
using System.Management.Automation;
using System.Net;
using IoTAdmin.Engine.Snmp;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Set-IoTSnmpValue: writes one SNMP variable on devices with an explicit credential, after
/// ShouldProcess; -PassThru reads the value back.
/// </summary>
[ImplementsMeasures("SYS.4.4.M10")]
[Cmdlet(VerbsCommon.Set, "IoTSnmpValue", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SnmpValueResult))]
public sealed class SetIoTSnmpValueCommand : SnmpCommandBase
{
    /// <summary>Gets or sets the MIB name or numeric OID of the one variable to write, with its instance.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Oid { get; set; } = string.Empty;

    /// <summary>Gets or sets the value to write.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public object Value { get; set; } = string.Empty;

    /// <summary>Gets or sets the SMI type to write; inferred from the value when not given.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Integer", "OctetString", "ObjectIdentifier", "IpAddress", "Counter32", "Gauge32", "TimeTicks")]
    public SnmpType? Type { get; set; }

    /// <summary>Gets or sets the credential that may write; there is deliberately no default.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    public SnmpCredential Credential { get; set; } = null!;

    /// <summary>Gets or sets whether the value read back after the SET is written to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (!TryBuildVariable(out var variable))
        {
            return;
        }

        var name = MibNames.ToName(variable.Oid);
        var action = $"Set {name} to '{SnmpValueConverter.Describe(variable.Value)}'";
        foreach (var address in Address)
        {
            if (TryGetAgent(address, out var agent) && ShouldProcess(address, action))
            {
                WriteDevice(address, agent, variable);
            }
        }
    }

    private bool TryBuildVariable(out SnmpVariable variable)
    {
        variable = null!;
        try
        {
            var oid = MibNames.Resolve(Oid);
            variable = new SnmpVariable(oid, SnmpValueConverter.FromPowerShell(Value, Type));
            return true;
        }
        catch (ArgumentException ex)
        {
            var id = MibNames.TryResolve(Oid, out _) ? "InvalidSnmpValue" : "UnknownOidName";
            WriteError(new ErrorRecord(ex, id, ErrorCategory.InvalidArgument, Oid));
            return false;
        }
    }

    private void WriteDevice(string address, IPEndPoint agent, SnmpVariable variable)
    {
        var name = MibNames.ToName(variable.Oid);
        WriteVerbose($"Setting {name} ({variable.Value.Type}) on '{address}' as {Credential}.");
        if (!TryResolveCredential(address, agent, Credential, out var credential))
        {
            RecordAction(address, "Failed", "The credential could not be used with the agent.");
            return;
        }

        var variables = new[] { variable };
        if (!TryRun(address, token => credential.SetAsync(Client, agent, variables, Options, token), out var answer))
        {
            RecordAction(address, "Failed", "The SET got no usable answer.");
            return;
        }

        if (!answer.IsSuccess)
        {
            var error = SnmpErrors.FromResponse(answer, address, isSet: true);
            RecordAction(address, "Failed", error.Exception.Message);
            WriteError(error);
            return;
        }

        WriteVerbose($"'{address}' accepted the new value of {name}.");
        RecordAction(address, "Success");
        if (PassThru)
        {
            ReadBack(address, agent, credential, variable.Oid);
        }
    }

    private void ReadBack(string address, IPEndPoint agent, SnmpCredential credential, ObjectIdentifier oid)
    {
        var oids = new[] { oid };
        if (!TryRun(address, token => credential.GetAsync(Client, agent, oids, Options, token), out var response))
        {
            return;
        }

        if (!response.IsSuccess)
        {
            WriteError(SnmpErrors.FromResponse(response, address, isSet: false));
            return;
        }

        foreach (var read in response.Variables)
        {
            if (read.Value.IsException)
            {
                WriteError(SnmpErrors.FromExceptionValue(read, address));
            }
            else
            {
                WriteObject(new SnmpValueResult(address, read));
            }
        }
    }
}
