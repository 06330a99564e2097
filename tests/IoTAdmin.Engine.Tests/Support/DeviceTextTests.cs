using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Tests.Support;

public sealed class DeviceTextTests
{
    [Theory]
    [InlineData("lighttpd/1.4.69", "lighttpd/1.4.69")]
    [InlineData("a\tb\r\nc", "a\tb\r\nc")]
    [InlineData("x\u001B[2J\u001B]0;pwn\u0007y", "x\uFFFD[2J\uFFFD]0;pwn\uFFFDy")]
    [InlineData("c1\u009Bcsi", "c1\uFFFDcsi")]
    public void ForDisplay_ShouldReplaceTerminalControls(string text, string expected)
    {
        Assert.Equal(expected, DeviceText.ForDisplay(text));
    }

    [Fact]
    public void RuleResultsAndDevices_ShouldNeverCarryEscapeSequences()
    {
        var rule = new BaselineRuleInfo("IOT-X", "x", Severity.Low, "fix", "SYS.4.4.M24");
        var device = new IoTDevice("192.0.2.1") { Name = "cam\u001B[2J", Model = "\u001B]0;pwn\u0007" };

        var result = new RuleResult(device.Address, device.Name, rule, RuleOutcome.Fail, "Server: \u001B[31mevil");

        Assert.DoesNotContain('\u001B', result.Evidence + result.DeviceName + device.Name + device.Model);
        Assert.DoesNotContain('\u0007', device.Model);
    }
}
