using IoTAdmin.Engine.Tests.Support;

namespace IoTAdmin.Engine.Tests;

public sealed class SupportTests
{
    [Fact]
    public void SharedData_ShouldContainTheRecordedSnmpWalks()
    {
        Assert.True(File.Exists(SharedData.PathOf("snmprec", "hikvision-cam.snmprec")));
    }
}
