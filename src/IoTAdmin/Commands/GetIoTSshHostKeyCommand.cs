using System.Linq;
using System.Management.Automation;
using IoTAdmin.Engine.Ssh;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>Get-IoTSshHostKey: lists the SSH host keys IoTAdmin has pinned.</summary>
[ImplementsMeasures("SYS.4.4.M2")]
[Cmdlet(VerbsCommon.Get, "IoTSshHostKey")]
[OutputType(typeof(KnownHostEntry))]
public sealed class GetIoTSshHostKeyCommand : PSCmdlet
{
    /// <summary>Gets or sets the hosts to show (wildcards allowed); all by default.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress", "ComputerName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = { "*" };

    /// <summary>Gets or sets the known-hosts file; the default is the module's own.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KnownHostsPath { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var store = new KnownHostsStore(KnownHostsPath is null ? KnownHostsStore.DefaultPath
            : GetUnresolvedProviderPathFromPSPath(KnownHostsPath));
        try
        {
            var patterns = Address.Select(a => new WildcardPattern(a, WildcardOptions.IgnoreCase)).ToList();
            foreach (var entry in store.List().Where(e => patterns.Any(p => p.IsMatch(e.Host))))
            {
                WriteObject(entry);
            }
        }
        catch (KnownHostsFormatException ex)
        {
            WriteError(new ErrorRecord(ex, "KnownHostsInvalid", ErrorCategory.InvalidData, store.Path));
        }
    }
}
