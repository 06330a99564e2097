using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Configuration;

namespace IoTAdmin.Commands;

/// <summary>
/// Set-IoTConfiguration: tests each device, plans the exact operations that fix its drift, asks
/// ShouldProcess for each (so -WhatIf lists them and touches nothing), runs the approved ones
/// through the engines that own them, reads the device back and writes the re-tested results.
/// A device already in its desired state gets no operation, so a second run changes nothing.
/// </summary>
[ImplementsMeasures("SYS.4.4.M10", "SYS.4.4.M13")]
[Cmdlet(VerbsCommon.Set, "IoTConfiguration", DefaultParameterSetName = "Address", SupportsShouldProcess = true,
    ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ConfigurationResult))]
public sealed class SetIoTConfigurationCommand : ConfigurationCommandBase
{
    private bool _refusedConfirm;

    /// <summary>
    /// Gets or sets new passwords for device accounts whose password drifts (default or too old):
    /// the user name names the account.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public PSCredential[] NewCredential { get; set; } = Array.Empty<PSCredential>();

    /// <summary>
    /// Gets or sets SNMPv3 users to create: the user name and the authentication passphrase (SHA-256).
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public PSCredential[] SnmpUser { get; set; } = Array.Empty<PSCredential>();

    /// <summary>Gets or sets the privacy passphrases (AES-128) of the -SnmpUser users, matched by user name.</summary>
    [Parameter]
    [ValidateNotNull]
    public PSCredential[] SnmpPrivacy { get; set; } = Array.Empty<PSCredential>();

    protected override string ProgressActivity => "Setting IoT device configuration";

    private ConfigurationSecrets Secrets { get; set; } = new ConfigurationSecrets();

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        Secrets = BuildSecrets();
    }

    protected override void ProcessTarget(ConfigurationTarget target)
    {
        var engine = new ConfigurationEngine();
        var access = CreateAccess(System.TimeSpan.FromSeconds(Timeout));
        using var context = new SettingContext(target, access, Secrets, BuildOptions(), Log);
        var tested = RunEngine(token => engine.TestAsync(context, token));
        var planned = tested.SelectMany(r => r.Operations).ToList();
        var approved = planned.Where(operation => Approve(target, operation)).ToList();
        IReadOnlyList<ConfigurationResult> results = tested;
        if (approved.Count > 0)
        {
            results = RunEngine(token => engine.ApplyAsync(context, tested, approved, token));
            RecordRun(target, approved.Count, results);
        }
        else if (planned.Count > 0 && IsWhatIf())
        {
            foreach (var result in tested.Where(r => r.Operations.Count > 0))
            {
                result.Status = ConfigurationStatus.WouldChange;
            }
        }

        foreach (var result in results)
        {
            WriteObject(result);
        }

        WriteDeviceErrors(target, results, "ConfigurationSetFailed");
    }

    private bool Approve(ConfigurationTarget target, PlannedOperation operation)
    {
        if (IsConfirmRequested() && SessionInfo.IsNonInteractive())
        {
            // Nobody can answer: refuse the change rather than hang or guess.
            if (!_refusedConfirm)
            {
                _refusedConfirm = true;
                var error = new InvalidOperationException(
                    "-Confirm needs an interactive session; in scheduled or non-interactive runs omit -Confirm "
                    + "(and use -WhatIf to review the plan first). Nothing was changed.");
                WriteError(new ErrorRecord(error, "ConfirmationNotPossible", ErrorCategory.InvalidOperation,
                    target.Address));
            }

            return false;
        }

        return ShouldProcess(target.ToString(), $"{operation.Description}: {operation.Command}");
    }

    /// <summary>One action log entry per device: how many operations ran, what changed, what failed.</summary>
    private void RecordRun(ConfigurationTarget target, int operations, IReadOnlyList<ConfigurationResult> results)
    {
        var changed = results.Where(r => r.Status == ConfigurationStatus.Changed).Select(r => r.Setting).ToList();
        var failed = results.Where(r => r.Status is ConfigurationStatus.Error or ConfigurationStatus.Failed)
            .Select(r => r.Setting).ToList();
        var message = $"{operations} operation(s); changed: {(changed.Count > 0 ? string.Join(", ", changed) : "none")}"
            + (failed.Count > 0 ? $"; failed: {string.Join(", ", failed)}" : string.Empty);
        RecordAction(target.Address, failed.Count > 0 ? "Failed" : "Success", message);
    }

    private bool IsConfirmRequested() =>
        MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm)
        && confirm is SwitchParameter { IsPresent: true };

    private bool IsWhatIf()
    {
        if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) && whatIf is SwitchParameter s)
        {
            return s.IsPresent;
        }

        return LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
    }

    private ConfigurationSecrets BuildSecrets()
    {
        var secrets = new ConfigurationSecrets();
        foreach (var credential in NewCredential.Where(c => c is not null))
        {
            var network = credential.GetNetworkCredential();
            secrets.NewPasswords[network.UserName] = network.Password;
        }

        foreach (var user in SnmpUser.Where(c => c is not null))
        {
            var auth = user.GetNetworkCredential();
            var privacy = SnmpPrivacy.FirstOrDefault(p => p?.UserName == auth.UserName)?.GetNetworkCredential();
            try
            {
                secrets.SnmpUsers.Add(new SnmpUserKeys(auth.UserName, auth.Password,
                    privacy?.Password ?? throw new ArgumentException(
                        $"SNMPv3 user {auth.UserName} has no privacy passphrase: give it with -SnmpPrivacy.")));
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "SnmpUserInvalid", ErrorCategory.InvalidArgument,
                    auth.UserName));
            }
        }

        return secrets;
    }
}
