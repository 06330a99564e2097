using System.Diagnostics;
using System.Security.Cryptography;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Inventory.Lifecycle;

namespace IoTAdmin.Engine.Tests.DeviceInventory;

public sealed class DecommissionTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "iotadmin-tar-" + Guid.NewGuid().ToString("N"));

    public DecommissionTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TarReaderHashesEveryFileGnuTarWrote()
    {
        var root = Path.Combine(_folder, "root");
        var longFolder = Path.Combine(root, "data", new string('d', 90), new string('e', 60));
        Directory.CreateDirectory(longFolder);
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        var files = new Dictionary<string, byte[]>
        {
            ["etc/hostname"] = "gw1\n"u8.ToArray(),
            ["data/empty.txt"] = Array.Empty<byte>(),
            ["data/block.bin"] = Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray(),
            [Path.GetRelativePath(root, Path.Combine(longFolder, "paired-devices.txt"))] = "zigbee lamp\n"u8.ToArray(),
        };
        foreach (var file in files)
        {
            File.WriteAllBytes(Path.Combine(root, file.Key), file.Value);
        }

        var archive = Path.Combine(_folder, "backup.tar");
        RunTar($"-cf {archive} -C {root} etc data");

        using var stream = File.OpenRead(archive);
        var hashes = TarArchive.HashFiles(stream);

        Assert.Equal(files.Count, hashes.Count);
        foreach (var file in files)
        {
            Assert.Equal(Convert.ToHexString(SHA256.HashData(file.Value)).ToLowerInvariant(), hashes[file.Key]);
        }
    }

    [Fact]
    public void TruncatedOrDamagedArchiveIsRejected()
    {
        var root = Path.Combine(_folder, "root");
        Directory.CreateDirectory(root);
        File.WriteAllBytes(Path.Combine(root, "a.bin"), new byte[5000]);
        var archive = Path.Combine(_folder, "a.tar");
        RunTar($"-cf {archive} -C {root} a.bin");
        var bytes = File.ReadAllBytes(archive);

        Assert.Throws<InvalidDataException>(() => TarArchive.HashFiles(new MemoryStream(bytes[..3000])));
        bytes[10] ^= 0xFF;
        Assert.Throws<InvalidDataException>(() => TarArchive.HashFiles(new MemoryStream(bytes)));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("")]
    [InlineData("data")]
    [InlineData("/usr")]
    [InlineData("/data/*")]
    [InlineData("/data/../etc")]
    [InlineData("/my data")]
    [InlineData("/data;reboot")]
    public void PlanRefusesPathsAWipeCouldOverreach(string path) =>
        Assert.Throws<ArgumentException>(() => new DecommissionPlan(new[] { "/etc" }, new[] { path }, "reset"));

    [Fact]
    public void ProfilesBackUpEtcAndDataAndNameAResetOnlyWhereOneIsKnown()
    {
        var gateway = DecommissionPlan.ForProfile(DeviceProfile.Gateway);

        Assert.Equal(new[] { "/etc", "/data" }, gateway.BackupPaths);
        Assert.Equal(new[] { "/data" }, gateway.DataPaths);
        Assert.NotNull(gateway.FactoryResetCommand);
        Assert.Null(DecommissionPlan.ForProfile(DeviceProfile.Camera).FactoryResetCommand);
        var trailing = new DecommissionPlan(new[] { "/etc/" }, new[] { "/data/x/" }, null);
        Assert.Equal(new[] { "/data/x" }, trailing.DataPaths);
    }

    private static void RunTar(string arguments)
    {
        using var tar = Process.Start(new ProcessStartInfo("tar", arguments) { RedirectStandardError = true })!;
        Assert.True(tar.WaitForExit(30_000));
        Assert.Equal(0, tar.ExitCode);
    }
}
