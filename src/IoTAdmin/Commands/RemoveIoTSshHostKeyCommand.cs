using System.Collections;
using System.Management.Automation;
using IoTAdmin.Engine.Ssh;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Remove-IoTSshHostKey: forgets the pinned host key of a device, the documented way to re-trust a
/// device whose key changed on purpose (factory reset, re-flash). The next connection must pin again
/// with -HostKeyFingerprint or -AcceptNewHostKey.
/// </summary>
[ImplementsMeasures("SYS.4.4.M2")]
[Cmdlet(VerbsCommon.Remove, "IoTSshHostKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveIoTSshHostKeyCommand : IoTCmdletBase
{
    /// <summary>Gets or sets the devices whose pinned key is forgotten.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress", "ComputerName", "Host")]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = System.Array.Empty<string>();

    /// <summary>Gets or sets the SSH port the key was pinned for.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 22;

    /// <summary>Gets or sets the known-hosts file; the default is the module's own.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KnownHostsPath { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var store = new KnownHostsStore(KnownHostsPath is null ? KnownHostsStore.DefaultPath
            : GetUnresolvedProviderPathFromPSPath(KnownHostsPath));
        foreach (var address in Address)
        {
            var target = $"{address}:{Port}";
            try
            {
                var pinned = store.Find(address, Port);
                if (pinned is null)
                {
                    var missing = new ItemNotFoundException(
                        $"No SSH host key is pinned for {target} in {store.Path}.");
                    WriteError(new ErrorRecord(missing, "HostKeyNotPinned", ErrorCategory.ObjectNotFound, address));
                    continue;
                }

                if (ShouldProcess(target, $"Forget the pinned SSH host key {pinned.Fingerprint}"))
                {
                    RecordChange(address, () =>
                    {
                        store.Remove(address, Port);
                        WriteVerbose($"Forgot the host key {pinned.Algorithm} {pinned.Fingerprint} of {target}.");
                    }, new Hashtable { ["Fingerprint"] = pinned.Fingerprint });
                }
            }
            catch (KnownHostsFormatException ex)
            {
                WriteError(new ErrorRecord(ex, "KnownHostsInvalid", ErrorCategory.InvalidData, store.Path));
            }
        }
    }
}
