using System.Security.Cryptography;
using System.Text;
using IoTAdmin.Engine.Firmware;
using IoTAdmin.Engine.Tests.Support;
using IoTAdmin.Engine.Vulnerabilities;
using Xunit;

namespace IoTAdmin.Engine.Tests.Firmware;

public class FirmwareCatalogTests
{
    private static string LabCatalog => Path.Combine(RepositoryPaths.Root, "tests", "firmware", "catalog.json");

    private static FirmwareCatalog ReadText(string json) =>
        FirmwareCatalog.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json", null);

    [Fact]
    public void Load_ShouldReadTheLabCatalogue()
    {
        var catalog = FirmwareCatalog.Load(LabCatalog);

        Assert.Empty(catalog.Problems);
        var camera = catalog.Find("VistaCam", "VC-2042-IR")!;
        Assert.Equal("V5.5.0 build 170928", camera.LatestVersion.Text);
        Assert.Equal(new DateTime(2024, 12, 31), camera.EndOfSupport);
        Assert.Same(camera, catalog.Find("vistacam", "vc2042ir"));
        Assert.Null(catalog.Find("Hikvision", "VC-2042-IR"));
    }

    [Fact]
    public void Read_ShouldSkipBadEntriesAndKeepTheRest()
    {
        var catalog = ReadText("""
            {"schemaVersion":1,"entries":[
              {"vendor":"A","model":"M1","latestVersion":"1.0"},
              {"vendor":"A","model":"M2","latestVersion":"customized"},
              {"vendor":"A","model":"M3","latestVersion":"1.0","image":{"url":"x.img","sha256":"abc"}},
              {"vendor":"A","model":"M4","latestVersion":"1.0","cpe":"cpe:/o:a:m4"},
              {"vendor":"A","model":"M5","latestVersion":"1.0","endOfSupport":"31.12.2030"},
              {"vendor":"A","model":"M6","latestVersion":"2.0","upgrade":{"uploadPath":"tmp/x"}},
              {"vendor":"A","model":"M7","latestVersion":"2.0"}]}
            """);

        Assert.Equal(new[] { "M1", "M7" }, catalog.Entries.Select(e => e.Model).ToArray());
        Assert.Equal(new[] { "M2", "M3", "M4", "M5", "M6" }, catalog.Problems.Select(p => p.RecordId).ToArray());
    }

    [Fact]
    public void UpdateSettings_ShouldReadTheSwitchAndServerTheCatalogueDescribes()
    {
        var location = FirmwareCatalog.Load(LabCatalog).Find("VistaCam", "VC-2042-IR")!.UpdateSettings!;
        const string page = "<p>Telnet: enabled</p><p>Automatic updates: off</p>"
            + "<p>Update server: http://update.vistacam.example/firmware/vc2042</p></body>";

        var settings = UpdateSettingsReader.Parse(page, location, "config.html");

        Assert.False(settings.AutoUpdate);
        Assert.Equal("http://update.vistacam.example/firmware/vc2042", settings.UpdateUrl);
        Assert.True(UpdateSettingsReader.Parse("Automatic updates: daily", location, "x").AutoUpdate);
        Assert.Null(UpdateSettingsReader.Parse("nothing here", location, "x").AutoUpdate);
    }

    [Theory]
    [InlineData("""{"entries":[]}""")]
    [InlineData("""{"schemaVersion":2,"entries":[]}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"schemaVersion":1,"entries":[""")]
    public void Read_ShouldRefuseAFileThatIsNoCatalogue(string json)
    {
        Assert.Throws<VulnerabilityDataException>(() => ReadText(json));
    }

    [Fact]
    public async Task LoadImage_ShouldAcceptTheLabImageWithItsHash()
    {
        var entry = FirmwareCatalog.Load(LabCatalog).Find("VistaCam", "VC-2042-IR")!;

        var image = await FirmwareImage.LoadAsync(entry, null, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(entry.Sha256, image.Sha256);
        Assert.False(image.SignatureVerified);
    }

    [Fact]
    public async Task LoadImage_ShouldRefuseAnImageWithAnotherHash()
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "firmware", "catalog-wrong-hash.json");
        var entry = FirmwareCatalog.Load(path).Find("VistaCam", "VC-2042-IR")!;

        var error = await Assert.ThrowsAsync<FirmwareImageRejectedException>(
            () => FirmwareImage.LoadAsync(entry, null, TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.Contains("refused", error.Message);
    }

    [Theory]
    [InlineData("rsa-pkcs1-sha256")]
    [InlineData("rsa-pss-sha256")]
    public void Verify_ShouldCheckTheVendorSignature(string algorithm)
    {
        using var rsa = RSA.Create(2048);
        var content = Encoding.ASCII.GetBytes("firmware image body");
        var padding = algorithm.Contains("pss") ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        var signature = rsa.SignData(content, HashAlgorithmName.SHA256, padding);
        var entry = EntryFor(content, algorithm, rsa.ExportSubjectPublicKeyInfoPem(), signature);

        Assert.True(FirmwareImage.Verify(entry, content, "test").SignatureVerified);

        signature[10] ^= 1;
        var tampered = EntryFor(content, algorithm, rsa.ExportSubjectPublicKeyInfoPem(), signature);
        Assert.Throws<FirmwareImageRejectedException>(() => FirmwareImage.Verify(tampered, content, "test"));
    }

    private static FirmwareCatalogEntry EntryFor(byte[] content, string algorithm, string key, byte[] signature) =>
        new("V", "M", FirmwareVersion.Parse("1.0"))
        {
            Sha256 = Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant(),
            Signature = new FirmwareSignature(algorithm, key, Convert.ToBase64String(signature)),
        };
}
