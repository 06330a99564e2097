using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using IoTAdmin.Engine.Snmp;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// New-IoTSnmpCredential: builds the SnmpCredential the SNMP cmdlets take, from a community (v1/v2c)
/// or an SNMPv3 user. Secrets come only as PSCredential or SecureString, never as plain strings.
/// </summary>
[ImplementsMeasures("SYS.4.4.M11")]
[Cmdlet(VerbsCommon.New, "IoTSnmpCredential", DefaultParameterSetName = CommunitySet)]
[OutputType(typeof(SnmpCredential))]
public sealed class NewIoTSnmpCredentialCommand : IoTCmdletBase
{
    private const string CommunitySet = "Community";
    private const string UserSet = "User";

    /// <summary>Gets or sets the community, held in the credential's password; its user name is ignored.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = CommunitySet)]
    [ValidateNotNull]
    public PSCredential Community { get; set; } = null!;

    /// <summary>Gets or sets the SNMP version of a community credential.</summary>
    [Parameter(ParameterSetName = CommunitySet)]
    [ValidateSet("V1", "V2c")]
    public SnmpVersion Version { get; set; } = SnmpVersion.V2c;

    /// <summary>Gets or sets the SNMPv3 user name and, as its password, the authentication passphrase.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = UserSet)]
    [ValidateNotNull]
    public PSCredential Credential { get; set; } = null!;

    /// <summary>Gets or sets the authentication protocol; None makes a noAuthNoPriv user.</summary>
    [Parameter(ParameterSetName = UserSet)]
    public SnmpAuthProtocol AuthProtocol { get; set; } = SnmpAuthProtocol.Sha1;

    /// <summary>Gets or sets the privacy protocol; Aes128 when only -PrivPassphrase is given.</summary>
    [Parameter(ParameterSetName = UserSet)]
    public SnmpPrivProtocol PrivProtocol { get; set; } = SnmpPrivProtocol.None;

    /// <summary>Gets or sets the privacy passphrase.</summary>
    [Parameter(ParameterSetName = UserSet)]
    public SecureString? PrivPassphrase { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        try
        {
            var credential = ParameterSetName == UserSet ? BuildUser() : BuildCommunity();
            WriteVerbose($"Created the credential {credential}.");
            WriteObject(credential);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidSnmpCredential", ErrorCategory.InvalidArgument, null));
        }
    }

    private SnmpCredential BuildCommunity() =>
        SnmpCredential.FromCommunity(Community.GetNetworkCredential().Password, Version);

    private SnmpCredential BuildUser()
    {
        var network = Credential.GetNetworkCredential();
        var privProtocol = PrivProtocol;
        if (privProtocol == SnmpPrivProtocol.None && PrivPassphrase is not null
            && !MyInvocation.BoundParameters.ContainsKey(nameof(PrivProtocol)))
        {
            privProtocol = SnmpPrivProtocol.Aes128;
        }

        var privPassphrase = privProtocol == SnmpPrivProtocol.None ? null : Plain(PrivPassphrase);
        var authPassphrase = AuthProtocol == SnmpAuthProtocol.None ? null : network.Password;
        if (AuthProtocol != SnmpAuthProtocol.None && string.IsNullOrEmpty(authPassphrase))
        {
            throw new ArgumentException("-Credential needs the authentication passphrase as its password.");
        }

        var user = new SnmpV3Credential(network.UserName, AuthProtocol, authPassphrase, privProtocol, privPassphrase);
        return SnmpCredential.FromUser(user);
    }

    private static string? Plain(SecureString? secure)
    {
        var text = secure is null ? null : new NetworkCredential(string.Empty, secure).Password;
        if (string.IsNullOrEmpty(text))
        {
            throw new ArgumentException("A privacy protocol needs -PrivPassphrase.");
        }

        return text;
    }
}
