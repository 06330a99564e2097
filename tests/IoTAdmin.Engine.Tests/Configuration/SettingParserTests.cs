using IoTAdmin.Engine.Configuration;
using IoTAdmin.Engine.Configuration.Settings;
using IoTAdmin.Engine.Credentials;

namespace IoTAdmin.Engine.Tests.Configuration;

public sealed class SettingParserTests
{
    private const string CameraSnmpd = "agentAddress udp:161\nrocommunity public default\nsysName cam1\n";

    [Fact]
    public void Rewrite_ShouldCommentOutCommunitiesAndAddUsersWithMaskedSummary()
    {
        var keys = new SnmpUserKeys("iotmon", "auth-secret-1", "priv-secret-2");

        var (content, shown) = SnmpAgentSetting.Rewrite(ShellText.Lines(CameraSnmpd), true, new[] { keys });

        var lines = ShellText.Lines(content);
        Assert.Contains("# disabled by IoTAdmin: rocommunity public default", lines);
        Assert.Contains("createUser iotmon SHA-256 \"auth-secret-1\" AES \"priv-secret-2\"", lines);
        Assert.Contains("rouser -s usm iotmon priv", lines);
        Assert.Contains("sysName cam1", lines);
        Assert.Empty(lines.Where(SnmpAgentSetting.IsCommunityLine));
        Assert.Equal(new[] { "iotmon" }, SnmpAgentSetting.ConfiguredUsers(lines));
        Assert.DoesNotContain("secret", shown);
    }

    [Fact]
    public void Rewrite_ShouldReplaceAHalfConfiguredUserInsteadOfMergingKeys()
    {
        var text = "createUser iotmon MD5 \"old-pass-1\"\nrocommunity private\n";
        var keys = new SnmpUserKeys("iotmon", "auth-secret-1", "priv-secret-2");

        var (content, _) = SnmpAgentSetting.Rewrite(ShellText.Lines(text), false, new[] { keys });

        Assert.DoesNotContain("old-pass-1", content);
        Assert.Contains("rocommunity private", content);
    }

    [Fact]
    public void SnmpUserKeys_ShouldRefuseShortPassphrases()
    {
        Assert.Throws<ArgumentException>(() => new SnmpUserKeys("u", "short", "long-enough"));
    }

    [Theory]
    [InlineData("dropbear: svc_start dropbear dropbear -F -E -p 22 -r /etc/dropbear/k", true, false)]
    [InlineData("dropbear: svc_start dropbear dropbear -F -E -s -p 22", true, true)]
    [InlineData("dropbear: svc_start dropbear dropbear -F -g -p 22", true, true)]
    [InlineData("dropbear: svc_start dropbear dropbear -F -g -p 22", false, false)]
    [InlineData("sshd: present\nsshd: PasswordAuthentication no", true, true)]
    [InlineData("sshd: present", true, false)]
    public void PasswordLoginOff_ShouldReadDropbearOptionsAndSshdConfig(string text, bool root, bool off)
    {
        Assert.Equal(off, SshKeyOnlySetting.PasswordLoginOff(ShellText.Lines(text), root));
    }

    [Fact]
    public void PasswordLoginOff_ShouldBeUnknownWithoutAnySshServer()
    {
        Assert.Null(SshKeyOnlySetting.PasswordLoginOff(ShellText.Lines("key: ssh-ed25519 AAAA x"), true));
    }

    [Fact]
    public void ParseShadow_ShouldKeepOnlyNamesAndLastChangeDays()
    {
        var shadow = AccountsSetting.ParseShadow("root:$6$salt$hash:20000:0:99999:7:::\ndaemon:*::0:99999:7:::\n");

        Assert.Equal(20000, shadow["root"]);
        Assert.Null(shadow["daemon"]);
    }

    [Fact]
    public void OpenSshKeyBody_ShouldIgnoreOptionsAndComments()
    {
        Assert.Equal("ssh-ed25519 AAAAC3", OpenSshPublicKey.Body("no-pty,from=\"10.0.0.1\" ssh-ed25519 AAAAC3 me@x"));
    }

    [Fact]
    public void ReplaceFile_ShouldTakeTheContentFromStandardInputAndRenameAtomically()
    {
        var command = ShellText.ReplaceFile("/etc/snmp/snmpd.conf");

        Assert.Contains("cat > '/etc/snmp/snmpd.conf'.iotadmin-new", command);
        Assert.Contains("mv -f '/etc/snmp/snmpd.conf'.iotadmin-new '/etc/snmp/snmpd.conf'", command);
        Assert.Contains("cp -p '/etc/snmp/snmpd.conf' '/etc/snmp/snmpd.conf'.iotadmin-bak", command);
    }

    [Fact]
    public void ReplaceSecretFile_ShouldLeaveTheFileAndItsBackupReadableByTheOwnerOnly()
    {
        // Run the command as a device's shell would, on a file in a folder of this test.
        var folder = Directory.CreateTempSubdirectory("iotadmin-secret-").FullName;
        var path = Path.Combine(folder, "snmpd.conf");
        File.WriteAllText(path, "rocommunity public\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead
            | UnixFileMode.OtherRead);
        var shell = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", ShellText.ReplaceSecretFile(path) },
            RedirectStandardInput = true,
        })!;
        shell.StandardInput.Write("createUser iotmon SHA-256 \"secret\" AES \"secret\"\n");
        shell.StandardInput.Close();
        Assert.True(shell.WaitForExit(10_000));

        Assert.Equal(0, shell.ExitCode);
        Assert.Contains("createUser", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path + ".iotadmin-bak"));
        Directory.Delete(folder, recursive: true);
    }
}
