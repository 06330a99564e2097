# Get-IoTDevice -Discover against the live lab: every device through every protocol it speaks.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'LabFixture.ps1')
    $script:labDevices = (Get-LabDescription).devices | ForEach-Object {
        @{ Name = $_.name; Address = $_.address; Profile = $_.profile; Protocols = Get-LabExpectedProtocols $_ }
    }
}

BeforeAll {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 3.0
    . (Join-Path $PSScriptRoot 'LabFixture.ps1')
    Import-Module $env:IOTADMIN_MODULE_PATH -Force
    $lab = Get-LabDescription
    $script:discovered = Get-IoTDevice -Discover -Subnet $lab.bridge.subnet -InterfaceAddress $lab.bridge.address `
        -Timeout 6 -ErrorVariable discoveryErrors -ErrorAction SilentlyContinue
    $script:discoveryErrors = $discoveryErrors
}

Describe 'Get-IoTDevice -Discover' -Tag 'Lab' {
    It 'Runs every protocol without an error' {
        $discoveryErrors | Should -BeNullOrEmpty
    }

    It 'Returns one object per address' {
        $addresses = @($discovered.Address)
        $addresses.Count | Should -Be @($addresses | Sort-Object -Unique).Count
    }

    It 'Finds nothing outside the lab subnet' {
        foreach ($device in $discovered) {
            $device.Address | Should -Match '^10\.47\.0\.'
        }
    }
}

Describe 'Discovery of lab device <Name>' -Tag 'Lab' -ForEach $labDevices {
    BeforeAll {
        $device = $discovered | Where-Object Address -eq $Address
    }

    It 'Is found' {
        $device | Should -Not -BeNullOrEmpty
    }

    It 'Is found through each protocol it speaks: <Protocols>' {
        foreach ($protocol in $Protocols) {
            @($device.DiscoveredBy | ForEach-Object ToString) | Should -Contain $protocol
        }
    }

    It 'Is classified with the profile <Profile>' {
        $device.Profile.ToString() | Should -Be $Profile
    }

    It 'Carries the services discovery saw' {
        @($device.Services).Count | Should -BeGreaterThan 0
    }
}

Describe 'What discovery reads from the devices' -Tag 'Lab' {
    It 'Reads the camera firmware version from its SNMP sysDescr' {
        $camera = Get-LabDevice 'cam1'
        $device = $discovered | Where-Object Address -eq $camera.address
        # The lab writes 'V5.4.5 build ...'; discovery normalises the version to its numbers.
        $version = ($camera.firmware -split ' ')[0] -replace '^[Vv]', ''
        $device.FirmwareVersion | Should -Match ([regex]::Escape($version))
    }

    It 'Reads the gateway name from its UPnP description' {
        $gateway = Get-LabDevice 'gw1'
        $device = $discovered | Where-Object Address -eq $gateway.address
        $ssdp = $device.Observations | Where-Object { $_.Protocol.ToString() -eq 'Ssdp' }
        $ssdp | Should -Not -BeNullOrEmpty
        $ssdp[0].Attributes['upnp.deviceType'] | Should -Match 'InternetGatewayDevice'
    }

    It 'Lists the camera RTSP service advertised over mDNS' {
        $camera = Get-LabDevice 'cam1'
        $device = $discovered | Where-Object Address -eq $camera.address
        ($device.Services | Where-Object Name -eq 'rtsp').Port | Should -Be 554
    }
}

Describe 'Get-IoTDevice -Protocol' -Tag 'Lab' {
    It 'Uses only the chosen protocol' {
        $lab = Get-LabDescription
        $found = Get-IoTDevice -Discover -Protocol Ssdp -InterfaceAddress $lab.bridge.address -Timeout 3
        $found | Should -Not -BeNullOrEmpty
        foreach ($device in $found) {
            @($device.DiscoveredBy | ForEach-Object ToString) | Should -Be @('Ssdp')
        }
    }
}

Describe 'Get-IoTDevice -Discover -Subnet of one device' -Tag 'Lab' {
    It 'Returns only that device, though every lab device answers mDNS and SSDP' {
        $lab = Get-LabDescription
        $controller = Get-LabDevice 'hvac1'
        $found = Get-IoTDevice -Discover -Subnet "$($controller.address)/32" -InterfaceAddress $lab.bridge.address `
            -Timeout 3 -Verbose 4>&1
        $devices = @($found | Where-Object { $_ -is [IoTAdmin.Engine.Inventory.IoTDevice] })
        @($devices | ForEach-Object Address) | Should -Be @($controller.address)
        ($found | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n" |
            Should -Match 'from outside -Subnet; left out'
    }

    It 'Refuses Given as a discovery protocol' {
        { Get-IoTDevice -Discover -Protocol Given } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}

Describe 'Get-IoTDevice parameter checks' -Tag 'CI' {
    It 'Refuses a subnet that is not CIDR notation before discovering anything' {
        { Get-IoTDevice -Discover -Subnet 'not-a-subnet' -Timeout 1 } |
            Should -Throw -ExpectedMessage '*not-a-subnet*' `
                -ErrorId 'InvalidSubnet,IoTAdmin.Commands.GetIoTDeviceCommand'
    }

    It 'Refuses a range larger than a /16, naming the limit' {
        { Get-IoTDevice -Discover -Subnet '10.0.0.0/8' -Timeout 1 } | Should -Throw -ExpectedMessage '*/16*'
    }
}
