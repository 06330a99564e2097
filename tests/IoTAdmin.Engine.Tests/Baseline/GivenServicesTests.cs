using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Tests.Baseline;

public sealed class GivenServicesTests
{
    [Fact]
    public void Create_ShouldNameTheServiceAsGivenOnEachDistinctPort()
    {
        var services = GivenServices.Create(" SSH ", new[] { 48022, 2022, 48022 });

        Assert.Equal(new[] { 48022, 2022 }, services.Select(s => s.Port));
        Assert.All(services, s => Assert.Equal(("ssh", DiscoveryProtocol.Given), (s.Name, s.Source)));
    }

    [Theory]
    [InlineData("sshh", new[] { 22 }, "not a service the rules know")]
    [InlineData("ssh", new[] { 0 }, "not 0")]
    [InlineData("https", new int[0], "none was given")]
    public void Create_ShouldRefuseWhatNoRuleCouldUse(string name, int[] ports, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => GivenServices.Create(name, ports));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AddTo_ShouldKeepADiscoveredServiceOnTheSamePort()
    {
        var device = new IoTDevice("192.0.2.1");
        device.AddService(new DeviceService("http", ServiceTransport.Tcp, 8080, DiscoveryProtocol.Mdns));

        GivenServices.AddTo(device, GivenServices.Create("https", new[] { 8080, 8443 }));

        Assert.Equal(new[] { ("http", 8080), ("https", 8443) }, device.Services.Select(s => (s.Name, s.Port)));
    }
}
