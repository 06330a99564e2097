using IoTAdmin.Engine.Vulnerabilities;
using Xunit;

namespace IoTAdmin.Engine.Tests.Vulnerabilities;

public class CpeNameTests
{
    [Fact]
    public void Parse_ShouldKeepQuotedColonsAndDotsInsideAValue()
    {
        var name = CpeName.Parse(@"cpe:2.3:a:vendor:prod\:uct:1\.2:*:*:*:*:*:*:*");

        Assert.Equal("vendor", name.Vendor);
        Assert.Equal(@"prod\:uct", name.Product);
        Assert.Equal("1.2", name.VersionText);
    }

    [Theory]
    [InlineData("cpe:/o:hikvision:ds-2cd7153-e_firmware:4.1.0")]
    [InlineData("cpe:2.3:o:hikvision:too:few")]
    [InlineData("cpe:2.3:x:a:b:c:*:*:*:*:*:*:*")]
    [InlineData("cpe:2.3:o:a b:c:*:*:*:*:*:*:*:*")]
    public void TryParse_ShouldRefuseMalformedNames(string text)
    {
        Assert.False(CpeName.TryParse(text, out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public void Create_ShouldNormaliseFreeText()
    {
        var name = CpeName.Create("o", "VistaCam", "VC-2042-IR Firmware", "V5.4.5 build 170123");

        Assert.Equal(@"cpe:2.3:o:vistacam:vc\-2042\-ir_firmware:v5\.4\.5_build_170123:*:*:*:*:*:*:*", name.ToString());
        Assert.Equal("v5.4.5_build_170123", name.VersionText);
    }

    [Fact]
    public void Matches_ShouldTreatAnyNaAndWildcardsByTheSpecification()
    {
        var device = CpeName.Parse("cpe:2.3:h:hikvision:ds-2cd7153-e:-:*:*:*:*:*:*:*");

        Assert.True(CpeName.Parse("cpe:2.3:h:hikvision:ds-2cd7153-e:-:*:*:*:*:*:*:*").Matches(device));
        Assert.True(CpeName.Parse("cpe:2.3:h:hikvision:ds-2cd*:*:*:*:*:*:*:*:*").Matches(device));
        Assert.False(CpeName.Parse("cpe:2.3:h:hikvision:ds-2cd7153-e:1.0:*:*:*:*:*:*:*").Matches(device));
        Assert.False(CpeName.Parse("cpe:2.3:o:hikvision:ds-2cd7153-e:-:*:*:*:*:*:*:*").Matches(device));
    }
}
