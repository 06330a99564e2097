using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Tests.Snmp;

public sealed class SnmpV3CredentialTests
{
    [Fact]
    public void ToString_ShouldNameUserAndProtocolsButNoPassphrase()
    {
        var credential = new SnmpV3Credential(
            "ops", SnmpAuthProtocol.Sha256, "secret-auth-1", SnmpPrivProtocol.Aes256Reeder, "secret-priv-1");

        var text = credential.ToString();

        Assert.Contains("ops", text);
        Assert.Contains("Aes256Reeder", text);
        Assert.DoesNotContain("secret", text);
    }

    [Theory]
    [InlineData(SnmpAuthProtocol.None, SnmpPrivProtocol.None, SnmpSecurityLevel.NoAuthNoPriv)]
    [InlineData(SnmpAuthProtocol.Md5, SnmpPrivProtocol.None, SnmpSecurityLevel.AuthNoPriv)]
    [InlineData(SnmpAuthProtocol.Sha512, SnmpPrivProtocol.Des, SnmpSecurityLevel.AuthPriv)]
    public void SecurityLevel_ShouldFollowTheProtocols(
        SnmpAuthProtocol auth, SnmpPrivProtocol priv, SnmpSecurityLevel level)
    {
        var credential = new SnmpV3Credential("u", auth, "authpass123", priv, "privpass123");

        Assert.Equal(level, credential.SecurityLevel);
    }

    [Fact]
    public void Constructor_PrivacyWithoutAuthentication_ShouldThrow()
    {
        Assert.Throws<ArgumentException>(
            () => new SnmpV3Credential("u", SnmpAuthProtocol.None, null, SnmpPrivProtocol.Aes128, "privpass123"));
    }

    [Fact]
    public void Constructor_ProtocolWithoutPassphrase_ShouldThrow()
    {
        Assert.Throws<ArgumentException>(() => new SnmpV3Credential("u", SnmpAuthProtocol.Sha1, ""));
    }
}
