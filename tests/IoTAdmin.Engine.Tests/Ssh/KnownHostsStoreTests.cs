using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Engine.Tests.Ssh;

public sealed class KnownHostsStoreTests
{
    private const string KeyA = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
    private const string KeyB = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";

    [Fact]
    public void Pin_ThenFind_ShouldReturnEntryAndSurviveANewInstance()
    {
        var path = LabDevices.TempStorePath();
        new KnownHostsStore(path).Pin("10.47.0.11", 22, "ssh-ed25519", KeyA.Substring(7) + "=");

        var entry = new KnownHostsStore(path).Find("10.47.0.11", 22);

        Assert.NotNull(entry);
        Assert.Equal(KeyA, entry!.Fingerprint);
        Assert.Equal("ssh-ed25519", entry.Algorithm);
        Assert.Null(new KnownHostsStore(path).Find("10.47.0.11", 2222));
    }

    [Fact]
    public void Pin_SameHostTwice_ShouldKeepOnlyTheNewKey()
    {
        var store = new KnownHostsStore(LabDevices.TempStorePath());
        store.Pin("cam1", 22, "ssh-ed25519", KeyA);
        store.Pin("cam1", 22, "ssh-ed25519", KeyB);

        Assert.Single(store.List());
        Assert.Equal(KeyB, store.Find("CAM1", 22)!.Fingerprint);
    }

    [Fact]
    public void Remove_ShouldForgetOnlyThatHostAndPort()
    {
        var store = new KnownHostsStore(LabDevices.TempStorePath());
        store.Pin("10.47.0.12", 48022, "ssh-ed25519", KeyA);
        store.Pin("10.47.0.12", 22, "ssh-ed25519", KeyB);

        Assert.True(store.Remove("10.47.0.12", 48022));
        Assert.False(store.Remove("10.47.0.12", 48022));
        Assert.Null(store.Find("10.47.0.12", 48022));
        Assert.NotNull(store.Find("10.47.0.12", 22));
    }

    [Fact]
    public void Find_WithGarbledLine_ShouldNameFileAndLine()
    {
        var path = LabDevices.TempStorePath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "# comment\n10.47.0.11 22 ssh-ed25519 MD5:aa:bb\n");

        var error = Assert.Throws<KnownHostsFormatException>(() => new KnownHostsStore(path).Find("10.47.0.11", 22));

        Assert.Contains("line 2", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Pin_WithWhitespaceInHost_ShouldRefuse()
    {
        var store = new KnownHostsStore(LabDevices.TempStorePath());

        Assert.Throws<ArgumentException>(() => store.Pin("a b", 22, "ssh-ed25519", KeyA));
    }

    [Fact]
    public void DefaultPath_ShouldFollowEnvironmentVariable()
    {
        var previous = Environment.GetEnvironmentVariable("IOTADMIN_KNOWN_HOSTS");
        try
        {
            Environment.SetEnvironmentVariable("IOTADMIN_KNOWN_HOSTS", "/tmp/x/known");
            Assert.Equal("/tmp/x/known", KnownHostsStore.DefaultPath);
            Environment.SetEnvironmentVariable("IOTADMIN_KNOWN_HOSTS", null);
            Assert.EndsWith(Path.Combine("IoTAdmin", "known_hosts"), KnownHostsStore.DefaultPath);
        }
        finally
        {
            Environment.SetEnvironmentVariable("IOTADMIN_KNOWN_HOSTS", previous);
        }
    }

    [Fact]
    public void Check_ShouldRefuseUnknownPinExpectedAndThrowOnChange()
    {
        var policy = new HostKeyPolicy(new KnownHostsStore(LabDevices.TempStorePath()));

        var unknown = Assert.Throws<HostKeyNotTrustedException>(() => policy.Check("h", 22, "ssh-ed25519", KeyA));
        Assert.Contains(KeyA, unknown.Message);

        policy.ExpectedFingerprint = KeyB;
        Assert.Throws<HostKeyNotTrustedException>(() => policy.Check("h", 22, "ssh-ed25519", KeyA));
        Assert.Null(policy.Store.Find("h", 22));

        policy.ExpectedFingerprint = KeyA;
        Assert.Equal(HostKeyDecision.PinnedNow, policy.Check("h", 22, "ssh-ed25519", KeyA));
        Assert.Equal(HostKeyDecision.Known, policy.Check("h", 22, "ssh-ed25519", KeyA));

        policy.AcceptNew = true;
        var changed = Assert.Throws<HostKeyChangedException>(() => policy.Check("h", 22, "ssh-ed25519", KeyB));
        Assert.Equal(KeyA, changed.PinnedFingerprint);
        Assert.Equal(KeyB, changed.PresentedFingerprint);
        Assert.Contains(KeyA, changed.Message);
        Assert.Contains(KeyB, changed.Message);
        Assert.Equal(KeyA, policy.Store.Find("h", 22)!.Fingerprint);
    }

    [Fact]
    public void Check_PinningOnFirstUse_ShouldAnnounceTheKeyOnce()
    {
        var log = new IoTAdmin.Engine.Tests.Discovery.RecordingLog();
        var store = new KnownHostsStore(LabDevices.TempStorePath());
        var policy = new HostKeyPolicy(store) { AcceptNew = true, Log = log };

        Assert.Equal(HostKeyDecision.PinnedNow, policy.Check("10.47.0.11", 22, "ssh-ed25519", KeyA));
        Assert.Equal(HostKeyDecision.Known, policy.Check("10.47.0.11", 22, "ssh-ed25519", KeyA));

        var warning = Assert.Single(log.Messages);
        Assert.StartsWith("WARNING Pinned the SSH host key of 10.47.0.11:22 on first contact", warning);
        Assert.Contains(KeyA, warning);
    }
}
