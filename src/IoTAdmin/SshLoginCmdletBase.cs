using System.Management.Automation;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Commands;

/// <summary>
/// The SSH parameters every device-login cmdlet shares, device commands and configuration runs
/// alike: the account (-Credential, -KeyFile) and the host-key policy (-AcceptNewHostKey,
/// -HostKeyFingerprint, -KnownHostsPath), so that one known-hosts file and one first-contact rule
/// hold for every SSH connection the module makes.
/// </summary>
public abstract class SshLoginCmdletBase : IoTCmdletBase
{
    private HostKeyPolicy? _policy;

    /// <summary>
    /// Gets or sets the SSH account. With -KeyFile only its user name counts for device commands and its
    /// password, if any, is the key's passphrase; configuration runs log in with the password.
    /// </summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Gets or sets a private key file (OpenSSH, PEM or PuTTY format) to log in with.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeyFile { get; set; }

    /// <summary>Gets or sets whether an unknown host key is pinned on first contact (trust on first use).</summary>
    [Parameter]
    public SwitchParameter AcceptNewHostKey { get; set; }

    /// <summary>Gets or sets the SHA256 fingerprint the device's unknown host key must have to be pinned.</summary>
    [Parameter]
    [ValidatePattern(@"^(SHA256:)?[A-Za-z0-9+/]{43}=?$")]
    public string? HostKeyFingerprint { get; set; }

    /// <summary>Gets or sets the known-hosts file; the default is KnownHostsStore.DefaultPath.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KnownHostsPath { get; set; }

    /// <summary>The host-key policy of this pipeline, built from the parameters on first use.</summary>
    protected HostKeyPolicy HostKeyPolicy => _policy ??= new HostKeyPolicy(
        new KnownHostsStore(KnownHostsPath is null ? KnownHostsStore.DefaultPath
            : GetUnresolvedProviderPathFromPSPath(KnownHostsPath)))
    {
        AcceptNew = AcceptNewHostKey.IsPresent,
        ExpectedFingerprint = HostKeyFingerprint,
        Log = Log,
    };

    /// <summary>The full path of -KeyFile, or null without it.</summary>
    protected string? KeyFilePath => KeyFile is null ? null : GetUnresolvedProviderPathFromPSPath(KeyFile);
}
