using System;
using System.Linq;
using System.Management.Automation;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.DataFiles;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Inventory.Lifecycle;
using IoTAdmin.Engine.Inventory.Store;

namespace IoTAdmin.Commands;

/// <summary>
/// Approve-IoTDevice: the documented deployment clearance of SYS.4.4 M14. Audits a Planned device
/// against the baseline and, when nothing blocks, records who cleared it, when, on which baseline result
/// and with which note. A refused clearance is recorded in the device's history too.
/// </summary>
[ImplementsMeasures("SYS.4.4.M14")]
[Cmdlet(VerbsLifecycle.Approve, "IoTDevice", SupportsShouldProcess = true)]
[OutputType(typeof(InventoryDevice))]
public sealed class ApproveIoTDeviceCommand : IoTCmdletBase, IDisposable
{
    private InventoryStore? _store;

    /// <summary>Gets or sets the address of the inventory entry to clear.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress")]
    [ValidateNotNullOrEmpty]
    public string Address { get; set; } = string.Empty;

    /// <summary>Gets or sets the clearance note: the change ticket, the reason, the conditions.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Note { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the baseline the device must meet: a built-in name (SYS.4.4-Basic, ...) or a .psd1 file;
    /// its waivers, which may select the device by address, profile or one of its inventory tags, accept
    /// failures. Without it every rule runs with its defaults and no failure is waived.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Baseline { get; set; }

    /// <summary>
    /// Gets or sets the administrator's own logins, with which the account rules read the device's accounts;
    /// without them those rules are NotChecked.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public PSCredential[] AdminCredential { get; set; } = Array.Empty<PSCredential>();

    /// <summary>Gets or sets the firmware catalogue of the IOT-FW-* rules; without it they are NotChecked.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FirmwareCatalog { get; set; }

    /// <summary>Gets or sets the time allowed for each network operation of the audit, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 120)]
    public int Timeout { get; set; } = 5;

    /// <summary>Gets or sets the inventory file; else $env:IOTADMIN_INVENTORY, else the user's data folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InventoryPath { get; set; }

    private BaselineAuditor? _auditor;

    protected override void BeginProcessing()
    {
        _auditor = new BaselineAuditor();
        if (Baseline is not null)
        {
            _auditor = new BaselineAuditor(LoadBaseline(Baseline), null);
        }

        _store = InventoryCmdlets.Open(this, InventoryPath);
    }

    protected override void ProcessRecord()
    {
        var address = InventoryCmdlets.NormalizeAddress(Address);
        if (address is null)
        {
            WriteError(InventoryCmdlets.InvalidAddress(Address));
            return;
        }

        try
        {
            Approve(address);
        }
        catch (InventoryException ex) when (!InventoryCmdlets.IsFatal(ex))
        {
            WriteError(InventoryCmdlets.ToErrorRecord(ex, address));
        }
        catch (InventoryException ex)
        {
            ThrowTerminatingError(InventoryCmdlets.ToErrorRecord(ex, _store!.Path));
        }
    }

    public void Dispose() => _store?.Dispose();

    private void Approve(string address)
    {
        var known = _store!.FindActive(address) ?? throw new DeviceNotFoundException(address, _store.Path);
        if (known.State != LifecycleState.Planned)
        {
            throw new LifecycleTransitionException(
                $"Cannot approve device '{address}': it is {known.State}; only a Planned device can be approved.");
        }

        if (ShouldProcess($"{known} in {_store.Path}", "Audit the baseline and record the deployment clearance"))
        {
            // A refusal is written as an error, so it is recorded as Failed with its reason.
            RecordChange(address, () => ApproveConfirmed(address, known));
        }
    }

    private void ApproveConfirmed(string address, InventoryDevice known)
    {
        var verdict = Audit(known);
        if (verdict.Cleared)
        {
            if (verdict.NotChecked.Count > 0)
            {
                // Cleared on what was checked; the record names the rest, and so does this warning.
                WriteWarning($"{known} is cleared, but {verdict.NotChecked.Count} rule(s) were not checked: "
                    + $"{string.Join(", ", verdict.NotChecked.Select(r => r.RuleId))}. Give -AdminCredential or "
                    + "-FirmwareCatalog to check them.");
            }

            WriteObject(_store!.RecordApproval(address, verdict.Summary, Note));
            return;
        }

        Refuse(known, verdict);
    }

    private BaselineVerdict Audit(InventoryDevice known)
    {
        var device = new IoTDevice(known.Address) { Name = known.Name, Profile = known.Profile };
        var options = new AuditOptions { ProbeTimeout = TimeSpan.FromSeconds(Timeout) };
        foreach (var login in AdminCredential.Where(c => c is not null).Select(c => c.GetNetworkCredential()))
        {
            options.AdminLogins.Add(new CredentialPair(login.UserName, login.Password));
        }

        if (FirmwareCatalog is not null)
        {
            options.FirmwareCatalogPath = GetUnresolvedProviderPathFromPSPath(FirmwareCatalog);
        }

        var context = new AuditContext(options, Log);
        var auditor = _auditor!;
        WriteVerbose($"Auditing {known} against {auditor.Rules.Count} rule(s) before clearance.");
        var tags = known.Tags.ToList();
        var audit = RunEngine(token => auditor.AuditDeviceAsync(device, tags, context, token));
        var verdict = BaselineVerdict.From(audit);
        WriteVerbose($"Baseline of {known}: {verdict.Summary}.");
        return verdict;
    }

    private ResolvedBaseline LoadBaseline(string nameOrPath)
    {
        var resolved = BaselineLibrary.LooksLikePath(nameOrPath)
            ? GetUnresolvedProviderPathFromPSPath(nameOrPath)
            : nameOrPath;
        try
        {
            return new BaselineLibrary().Load(resolved);
        }
        catch (DataFileException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "BaselineInvalid", ErrorCategory.InvalidData, nameOrPath));
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "BaselineNotFound", ErrorCategory.ObjectNotFound, nameOrPath));
        }

        return null!;
    }

    private void Refuse(InventoryDevice known, BaselineVerdict verdict)
    {
        var reason = verdict.UnreachableReason is not null
            ? $"the device did not answer the audit: {verdict.UnreachableReason}"
            : $"its baseline has {verdict.Blocking.Count} failure(s) without a waiver: {verdict.DescribeBlocking()}";
        _store!.AppendHistory(known.Id, "ApprovalRefused", $"Baseline: {verdict.Summary}; {reason}");
        var error = new InvalidOperationException($"Device '{known}' was not approved: {reason}");
        var id = verdict.UnreachableReason is null ? "ApprovalRefused" : "DeviceUnreachable";
        var category = verdict.UnreachableReason is null ? ErrorCategory.SecurityError : ErrorCategory.ConnectionError;
        WriteError(new ErrorRecord(error, id, category, known));
    }
}
