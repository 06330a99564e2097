using IoTAdmin.Engine.Vulnerabilities;
using Xunit;

namespace IoTAdmin.Engine.Tests.Vulnerabilities;

public class FirmwareVersionTests
{
    [Theory]
    [InlineData("5.4.5", "5.5.0", -1)]
    [InlineData("V5.4.5 build 170123", "5.4.5", 0)]
    [InlineData("V5.4.5 build 170123", "V5.4.5 build 170928", -1)]
    [InlineData("2.1.7-r3", "2.1.7-r10", -1)]
    [InlineData("2.1.7-r3", "2.1.7", 1)]
    [InlineData("1.10", "1.9", 1)]
    [InlineData("1.2", "1.2.0", 0)]
    [InlineData("1.0rc2", "1.0", -1)]
    [InlineData("1.0-beta1", "1.0-rc1", -1)]
    [InlineData("4.1.0_b130111", "4.1.0_b130112", -1)]
    [InlineData("3.2.1 (build 2024-05-14)", "3.2.1 (build 2024-06-01)", -1)]
    [InlineData("2024-05-14", "20240601", -1)]
    [InlineData("firmware 10.12.240", "10.5", 1)]
    public void Compare_ShouldOrderByTheScheme(string left, string right, int expected)
    {
        var order = FirmwareVersion.Compare(FirmwareVersion.Parse(left), FirmwareVersion.Parse(right));

        Assert.Equal(expected, Math.Sign(order!.Value));
    }

    [Theory]
    [InlineData("AXIS OS 10.5 \u2013 11.5")]
    [InlineData("customized versions")]
    [InlineData("1.1.4 Build 20230219 rel.61304")]
    [InlineData("")]
    [InlineData("abc")]
    public void TryParse_ShouldRefuseTextItDoesNotUnderstand(string text)
    {
        Assert.False(FirmwareVersion.TryParse(text, out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public void Compare_ShouldRefuseDifferentSchemes()
    {
        Assert.Null(FirmwareVersion.Compare(FirmwareVersion.Parse("2024-05-14"), FirmwareVersion.Parse("5.4")));
    }

    [Fact]
    public void TryParse_ShouldRefuseOverlongInputQuickly()
    {
        Assert.False(FirmwareVersion.TryParse(new string('1', 10000), out _, out var problem));
        Assert.Contains("longer", problem);
    }
}
