using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Baseline.DataFiles;
using IoTAdmin.Engine.Configuration;
using IoTAdmin.Engine.Configuration.Settings;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Tests.Support;

namespace IoTAdmin.Engine.Tests.Configuration;

public sealed class ConfigurationDocumentTests
{
    private static string ExamplePath =>
        Path.Combine(RepositoryPaths.Root, "examples", "configuration", "Lab.Configuration.psd1");

    [Fact]
    public void Resolve_ShouldMergeDefaultsProfileTagsAndDeviceInOrder()
    {
        var document = ConfigurationDocument.Load(ExamplePath);
        var camera = new IoTDevice("10.47.0.11") { Profile = DeviceProfile.Camera };

        var desired = document.Resolve(camera, new[] { "outdoor" });

        Assert.Equal(new[] { "Defaults", "Tags.outdoor", "Devices.10.47.0.11" }, desired.Layers);
        Assert.Equal(90, Assert.Single(desired.Accounts!).MaxPasswordAgeDays);
        Assert.Equal(new[] { "telnetd" }, desired.ServicesOff);
        Assert.True(desired.Snmp!.V3Only);
        Assert.Equal(new[] { "iotmon" }, desired.Snmp.Users);
        Assert.Equal(22, desired.SshPort);
        Assert.Single(desired.Waivers);
    }

    [Fact]
    public void Resolve_ShouldLetAProfileReplaceADefault()
    {
        var document = ConfigurationDocument.Load(ExamplePath);
        var controller = new IoTDevice("10.47.0.12") { Profile = DeviceProfile.BuildingControl };

        var desired = document.Resolve(controller, Array.Empty<string>());

        Assert.Equal(48022, desired.SshPort);
        Assert.True(desired.SshKeyOnly);
        Assert.Equal(new[] { 443, 48022 }, desired.AllowedPorts);
        Assert.Equal(180, Assert.Single(desired.Accounts!).MaxPasswordAgeDays);
    }

    [Fact]
    public void Nodes_ShouldListDevicesNamedByAddressWithProfileAndTags()
    {
        var node = Assert.Single(ConfigurationDocument.Load(ExamplePath).Nodes);

        Assert.Equal("10.47.0.11", node.Address);
        Assert.Equal(DeviceProfile.Camera, node.Profile);
        Assert.Equal(new[] { "outdoor" }, node.Tags);
    }

    [Theory]
    [InlineData("@{ Defaults = @{ ServicesOff = @('telnetd') }; Defautls = @{} }", "unknown key 'Defautls'")]
    [InlineData("@{ Defaults = @{ SevicesOff = @('telnetd') } }", "unknown key 'SevicesOff'")]
    [InlineData("@{ Defaults = @{ ServicesOff = @('telnetd; reboot') } }", "not a service name")]
    [InlineData("@{ Defaults = @{ AllowedPorts = @(22, 70000) } }", "not a TCP port")]
    [InlineData("@{ Defaults = @{ SshKeyOnly = 'yes' } }", "expected $true or $false")]
    [InlineData("@{ Profiles = @{ Toaster = @{} } }", "not a profile")]
    [InlineData("@{ Defaults = @{ Ntp = @('$(reboot)') } }", "not a host name")]
    [InlineData("@{ Defaults = @{ Accounts = @(@{ Name = 'root'; MaxPasswordAgeDays = 0 }) } }", "outside 1..36500")]
    [InlineData("@{ Defaults = @{ ServicesOff = @(Get-Process) } }", "")]
    public void Parse_ShouldRejectBadDocumentsWithTheirPlace(string text, string message)
    {
        var error = Assert.Throws<DataFileException>(() => ConfigurationDocument.Parse(text, "bad.psd1"));

        Assert.Contains(message, error.Message);
        Assert.Contains("bad.psd1", error.Message);
    }

    [Fact]
    public void Parse_ShouldNeverRunCode()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"iotadmin-{Guid.NewGuid():N}");
        var text = $"@{{ Defaults = @{{ Ntp = @($(New-Item '{marker}')) }} }}";

        Assert.Throws<DataFileException>(() => ConfigurationDocument.Parse(text, "evil.psd1"));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void DerivedBaseline_ShouldLoadThroughTheBaselineLibraryWithTheDevicesWaiver()
    {
        var desired = ConfigurationDocument.Load(ExamplePath)
            .Resolve(new IoTDevice("10.47.0.11") { Profile = DeviceProfile.Camera }, Array.Empty<string>());
        var file = Path.Combine(Path.GetTempPath(), $"iotadmin-derived-{Guid.NewGuid():N}.psd1");
        File.WriteAllText(file, BaselineSetting.DerivedBaseline("SYS.4.4-Basic", desired.Waivers, "10.47.0.11"));
        try
        {
            var baseline = new BaselineLibrary().Load(file);

            var waiver = Assert.Single(baseline.Waivers);
            Assert.Equal("IOT-WEB-NOTLS", waiver.Rule);
            Assert.Equal("10.47.0.11", waiver.Device);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
