using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Baseline;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Inventory;

namespace IoTAdmin.Engine.Tests.Baseline;

/// <summary>A baseline file drives the auditor per profile, against a real listener on loopback.</summary>
public sealed class BaselineAuditTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("iotadmin-audit-").FullName;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public BaselineAuditTests() => _listener.Start();

    public void Dispose()
    {
        _listener.Stop();
        Directory.Delete(_folder, true);
    }

    [Fact]
    public async Task AuditDevice_ShouldUseTheProfilesParametersSeverityAndWaivers()
    {
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        var path = Path.Combine(_folder, "site.psd1");
        File.WriteAllText(path, $$"""
            @{
                Name = 'Site'; Extends = 'SYS.4.4-Basic'
                Profiles = @{
                    Camera = @{ Rules = @{ 'IOT-TELNET-OPEN' = @{ Parameters = @{ Ports = {{port}} } } } }
                    Gateway = @{ Rules = @{
                        'IOT-TELNET-OPEN' = @{ Severity = 'Low'; Parameters = @{ Ports = {{port}} } }
                    } }
                }
                Waivers = @(
                    @{ Rule = 'IOT-TELNET-OPEN'; Tag = 'lobby'; Reason = 'Swap ordered'; Owner = 'kim'
                       Expires = '2099-12-31' }
                )
            }
            """);
        var auditor = new BaselineAuditor(new BaselineLibrary().Load(path), new[] { "IOT-TELNET-OPEN" });
        var context = new AuditContext(new AuditOptions { ProbeTimeout = TimeSpan.FromSeconds(2) },
            NullActivityLog.Instance);

        var camera = await Audit(auditor, DeviceProfile.Camera, Array.Empty<string>(), context);
        var gateway = await Audit(auditor, DeviceProfile.Gateway, Array.Empty<string>(), context);
        var lobby = await Audit(auditor, DeviceProfile.Camera, new[] { "lobby" }, context);
        var general = await Audit(auditor, DeviceProfile.General, Array.Empty<string>(), context);

        Assert.Equal((RuleOutcome.Fail, Severity.Critical), (camera.Outcome, camera.Severity));
        Assert.Equal((RuleOutcome.Fail, Severity.Low), (gateway.Outcome, gateway.Severity));
        Assert.Equal(RuleOutcome.Waived, lobby.Outcome);
        Assert.Equal("Swap ordered", lobby.Waiver?.Reason);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), camera.Evidence);
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), general.Evidence);
        Assert.Equal("Site", general.Baseline);
    }

    private static async Task<RuleResult> Audit(
        BaselineAuditor auditor, DeviceProfile profile, string[] tags, AuditContext context)
    {
        var device = new IoTDevice("127.0.0.1") { Profile = profile };
        var audit = await auditor.AuditDeviceAsync(device, tags, context, CancellationToken.None);
        return Assert.Single(audit.Results);
    }
}
