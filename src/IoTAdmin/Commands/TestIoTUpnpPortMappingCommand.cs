using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using IoTAdmin.Engine.Discovery.Ssdp;
using IoTAdmin.Engine.Exposure;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Commands;

/// <summary>
/// Test-IoTUpnpPortMapping: finds a device's UPnP Internet Gateway Device, lists its WAN services
/// and proves whether a LAN host can open a port to the internet by adding a short-lived mapping
/// and deleting it at once (SYS.4.4.M5). The add is a change and honours -WhatIf and -Confirm.
/// </summary>
[ImplementsMeasures("SYS.4.4.M5")]
[Cmdlet(VerbsDiagnostic.Test, "IoTUpnpPortMapping", SupportsShouldProcess = true,
    ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(UpnpPortMappingTest))]
public sealed class TestIoTUpnpPortMappingCommand : IoTCmdletBase
{
    private const int LeaseSeconds = 120;
    private static readonly Random s_random = new Random();

    /// <summary>Gets or sets the IPv4 addresses of the gateways.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress", "ComputerName")]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Gets or sets the external port of the test mapping; a random one from 40000 to 49999 by default.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int ExternalPort { get; set; }

    /// <summary>Gets or sets the protocol of the test mapping.</summary>
    [Parameter]
    [ValidateSet("TCP", "UDP")]
    public string Protocol { get; set; } = "TCP";

    /// <summary>Gets or sets the time allowed for each network operation, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 120)]
    public int Timeout { get; set; } = 5;

    protected override void ProcessRecord()
    {
        foreach (var address in Address)
        {
            var trimmed = address?.Trim() ?? string.Empty;
            if (!IPAddress.TryParse(trimmed, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork)
            {
                var error = new ArgumentException($"'{address}' is not an IPv4 address.");
                WriteError(new ErrorRecord(error, "InvalidAddress", ErrorCategory.InvalidArgument, address));
                continue;
            }

            TestGateway(parsed);
        }
    }

    private void TestGateway(IPAddress address)
    {
        var timeout = TimeSpan.FromSeconds(Timeout);
        UpnpGatewayInfo? gateway;
        try
        {
            gateway = RunEngine(token => UpnpGateway.FindAsync(address, timeout, token));
        }
        catch (DeviceDescriptionException ex)
        {
            WriteError(new ErrorRecord(ex, "UpnpDescriptionError", ErrorCategory.InvalidData, address.ToString()));
            return;
        }

        if (gateway is null)
        {
            var error = new InvalidOperationException($"'{address}' answered no UPnP search (udp/1900).");
            WriteError(new ErrorRecord(error, "UpnpNotFound", ErrorCategory.ObjectNotFound, address.ToString()));
            return;
        }

        WriteObject(TryMapping(gateway, timeout));
    }

    private UpnpPortMappingTest TryMapping(UpnpGatewayInfo gateway, TimeSpan timeout)
    {
        var test = Describe(gateway);
        var service = gateway.WanServices.FirstOrDefault(s => s.TakesPortMappings);
        if (service is null)
        {
            test.Detail = "the description offers no WANIPConnection or WANPPPConnection service";
            return test;
        }

        test.ControlUrl = service.ControlUrl.ToString();
        test.InternalClient = UpnpGateway.LocalAddressToward(IPAddress.Parse(gateway.Address));
        var target = $"{gateway.Address} ({test.FriendlyName ?? test.DeviceType})";
        var action = $"Add UPnP port mapping {test.Protocol} {test.ExternalPort} -> {test.InternalClient} "
            + "and delete it";
        if (!ShouldProcess(target, action))
        {
            test.Detail = "not tried (-WhatIf or declined)";
            return test;
        }

        AddAndRemove(test, service, timeout);
        return test;
    }

    private UpnpPortMappingTest Describe(UpnpGatewayInfo gateway) => new UpnpPortMappingTest(gateway.Address)
    {
        Location = gateway.Location.ToString(),
        DeviceType = gateway.Description.DeviceType,
        FriendlyName = gateway.Description.FriendlyName,
        WanServices = gateway.WanServices.Select(s => UpnpPortMappingTest.ShortTypeOf(s.ServiceType)).ToList(),
        ExternalPort = ExternalPort > 0 ? ExternalPort : s_random.Next(40000, 50000),
        Protocol = Protocol,
    };

    private void AddAndRemove(UpnpPortMappingTest test, UpnpWanService service, TimeSpan timeout)
    {
        var added = RunEngine(token => UpnpGateway.AddPortMappingAsync(service, test.ExternalPort,
            test.InternalClient!, test.ExternalPort, test.Protocol, "IoTAdmin SYS.4.4 audit", LeaseSeconds, timeout,
            token));
        test.MappingAdded = added.Succeeded;
        test.ErrorCode = added.ErrorCode;
        test.Detail = added.Detail;
        if (!added.Succeeded)
        {
            return;
        }

        var removed = RunEngine(token => UpnpGateway.DeletePortMappingAsync(service, test.ExternalPort, test.Protocol,
            timeout, token));
        test.MappingRemoved = removed.Succeeded;
        test.Detail += "; " + removed.Detail;
        if (!removed.Succeeded)
        {
            var error = new InvalidOperationException(
                $"The test mapping {test.Protocol} {test.ExternalPort} on {test.Address} could not be deleted "
                + $"({removed.Detail}); it expires after {LeaseSeconds} s or remove it on the gateway.");
            WriteError(new ErrorRecord(error, "PortMappingNotRemoved", ErrorCategory.OperationStopped, test.Address));
        }
    }
}
