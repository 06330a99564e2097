using IoTAdmin.Engine.Credentials;

namespace IoTAdmin.Engine.Tests.Credentials;

public sealed class CredentialParsingTests
{
    [Fact]
    public void CredentialList_ShouldSkipHeaderAndCommentsAndKeepQuotedCommas()
    {
        var text = "user,password\n# vendor defaults\nroot,xc3511\n\"admin\",\"a,b\"\"c\"\nguest,\n";

        var pairs = CredentialListFile.Parse(new StringReader(text), "list.csv");

        Assert.Equal(3, pairs.Count);
        Assert.Equal("a,b\"c", pairs[1].Password);
        Assert.Equal(string.Empty, pairs[2].Password);
    }

    [Fact]
    public void CredentialList_WithBadLine_ShouldNameTheLineButNotItsContent()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            CredentialListFile.Parse(new StringReader("root,pw\nsecret-only-line\n"), "list.csv"));

        Assert.Contains("line 2", error.Message);
        Assert.DoesNotContain("secret-only-line", error.Message);
    }

    [Fact]
    public void Accounts_ShouldFlagExtraUid0EmptyPasswordAndDefaultAccounts()
    {
        const string Passwd = "root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n"
            + "support:x:1001:1001::/home/support:/bin/sh\nguest:x:1002:1002::/:/sbin/nologin\n"
            + "daemon:x:1:1::/:/usr/sbin/nologin\nbroken line\n";
        const string Shadow = "root:$6$salt$hash:1::::::\ntoor:::::::\nsupport:$6$s$h:1::::::\nguest:!:1::::::\n";

        var accounts = AccountAuditor.Parse("10.0.0.1", Passwd, Shadow);

        Assert.Equal(5, accounts.Count);
        var toor = accounts.Single(a => a.UserName == "toor");
        Assert.True(toor.IsExtraUid0);
        Assert.Equal(PasswordState.Empty, toor.PasswordState);
        Assert.Equal(2, toor.Issues.Count);
        Assert.True(accounts.Single(a => a.UserName == "support").IsUnneededDefault);
        Assert.False(accounts.Single(a => a.UserName == "guest").IsUnneededDefault);
        Assert.Empty(accounts.Single(a => a.UserName == "root").Issues);
        Assert.All(accounts, a => Assert.DoesNotContain("$6$", string.Join(" ", a.Issues)));
    }

    [Fact]
    public void PasswordPolicy_ShouldMeetEveryClassAndAvoidChpasswdSeparators()
    {
        var policy = new PasswordPolicy { Length = 16 };

        for (var i = 0; i < 50; i++)
        {
            var password = policy.Generate();
            Assert.Equal(16, password.Length);
            Assert.Contains(password, char.IsUpper);
            Assert.Contains(password, char.IsLower);
            Assert.Contains(password, char.IsDigit);
            Assert.Contains(password, c => PasswordPolicy.DefaultSymbols.Contains(c));
            Assert.Null(PasswordPolicy.Unsuitable(password));
        }

        Assert.NotNull(PasswordPolicy.Unsuitable("a:b"));
        Assert.Throws<ArgumentException>(() => new PasswordPolicy { Length = 4 }.Generate());
        Assert.Throws<ArgumentException>(() => new PasswordPolicy { Symbols = ":" }.Generate());
    }

    [Fact]
    public void LockoutGuard_ShouldRefuseAfterLimitAndForgetOutsideWindow()
    {
        var guard = new LockoutGuard();
        const string Account = "10.0.0.1|Ssh|22|root";

        guard.RecordFailure(Account);
        guard.RecordFailure(Account);

        Assert.False(guard.TryReserve(Account, 2, TimeSpan.FromMinutes(15)));
        Assert.True(guard.TryReserve(Account, 3, TimeSpan.FromMinutes(15)));
        Assert.True(guard.TryReserve(Account, 2, TimeSpan.Zero));
    }

    [Fact]
    public void PublicKey_ShouldAcceptOneOpenSshLineOnly()
    {
        Assert.StartsWith("ssh-ed25519 ", SshKeyInstaller.ValidatePublicKey(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx0 me@host\n"));
        Assert.Throws<ArgumentException>(() => SshKeyInstaller.ValidatePublicKey("-----BEGIN OPENSSH PRIVATE KEY-----"));
        Assert.Throws<ArgumentException>(() => SshKeyInstaller.ValidatePublicKey("ssh-rsa AAAA x\nssh-rsa BBBB y"));
    }
}
