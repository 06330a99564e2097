using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using IoTAdmin.Engine.Snmp;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Get-IoTSnmpValue: reads SNMP variables (Get) or whole subtrees (-Walk) from devices with a v1/v2c
/// community or an SNMPv3 user, and writes one object per variable.
/// </summary>
[ImplementsMeasures("SYS.4.4.M22")]
[Cmdlet(VerbsCommon.Get, "IoTSnmpValue")]
[OutputType(typeof(SnmpValueResult))]
public sealed class GetIoTSnmpValueCommand : SnmpCommandBase
{
    private const string ProgressActivity = "Reading SNMP values";
    private const int ProgressId = 4;

    private IReadOnlyList<ObjectIdentifier> _oids = Array.Empty<ObjectIdentifier>();
    private int _devices;

    /// <summary>Gets or sets the MIB names or numeric OIDs to read, or the subtree roots with -Walk.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Oid { get; set; } = { "sysDescr.0", "sysObjectID.0", "sysUpTime.0", "sysName.0" };

    /// <summary>Gets or sets whether each OID is walked as a subtree.</summary>
    [Parameter]
    public SwitchParameter Walk { get; set; }

    /// <summary>Gets or sets the credential from New-IoTSnmpCredential; v2c 'public' by default.</summary>
    [Parameter]
    [ValidateNotNull]
    public SnmpCredential Credential { get; set; } = SnmpCredential.FromCommunity("public");

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        try
        {
            _oids = Oid.Select(MibNames.Resolve).ToList();
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "UnknownOidName", ErrorCategory.InvalidArgument, Oid));
        }
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var address in Address)
        {
            _devices++;
            ReadDevice(address);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, "Done")
        {
            RecordType = ProgressRecordType.Completed,
        });
        base.EndProcessing();
    }

    private void ReadDevice(string address)
    {
        if (!TryGetAgent(address, out var agent))
        {
            return;
        }

        WriteVerbose($"Reading {_oids.Count} OID(s) from '{address}' as {Credential}.");
        if (!TryResolveCredential(address, agent, Credential, out var credential))
        {
            return;
        }

        if (Walk)
        {
            WalkDevice(address, agent, credential);
        }
        else
        {
            GetDevice(address, agent, credential);
        }
    }

    private void GetDevice(string address, IPEndPoint agent, SnmpCredential credential)
    {
        ShowProgress($"{address}: reading {string.Join(", ", _oids.Select(MibNames.ToName))}");
        if (!TryRun(address, token => credential.GetAsync(Client, agent, _oids, Options, token), out var response))
        {
            return;
        }

        if (!response.IsSuccess)
        {
            WriteError(SnmpErrors.FromResponse(response, address, isSet: false));
            return;
        }

        WriteVerbose($"'{address}' answered the GET with {response.Variables.Count} variable(s).");
        WriteVariables(address, response.Variables);
    }

    private void WalkDevice(string address, IPEndPoint agent, SnmpCredential credential)
    {
        foreach (var root in _oids)
        {
            var name = MibNames.ToName(root);
            ShowProgress($"{address}: walking {name}");
            if (!TryRun(address, token => credential.WalkAsync(Client, agent, root, Options, token), out var walk))
            {
                return;
            }

            WriteVerbose($"The walk of {name} on '{address}' reads {walk.Variables.Count} variable(s) in "
                + $"{walk.Requests} request(s) and ends with {walk.StopReason}.");
            WriteVariables(address, walk.Variables);
            if (!walk.IsComplete)
            {
                WriteWarning($"The walk of {name} on '{address}' stopped early: {walk.Problem}");
            }
        }
    }

    private void WriteVariables(string address, IEnumerable<SnmpVariable> variables)
    {
        foreach (var variable in variables)
        {
            if (variable.Value.IsException)
            {
                WriteError(SnmpErrors.FromExceptionValue(variable, address));
                continue;
            }

            WriteObject(new SnmpValueResult(address, variable));
        }
    }

    private void ShowProgress(string status)
    {
        var total = MyInvocation.ExpectingInput ? 0 : Address.Length;
        var record = new ProgressRecord(ProgressId, ProgressActivity, status);
        if (total > 1)
        {
            record.PercentComplete = Math.Min(99, (_devices - 1) * 100 / total);
        }

        WriteProgress(record);
    }
}
