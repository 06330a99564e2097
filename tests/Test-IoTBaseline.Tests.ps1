# Test-IoTBaseline against the live lab: the insecure camera and the gateway fail the basic rules,
# the hardened building controller passes them, and nothing secret leaks.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 3.0
    . (Join-Path $PSScriptRoot 'LabFixture.ps1')
    Import-Module $env:IOTADMIN_MODULE_PATH -Force

    $lab = Get-LabDescription
    $devices = Get-IoTDevice -Discover -Subnet $lab.bridge.subnet -InterfaceAddress $lab.bridge.address -Timeout 6
    $script:results = $devices | Test-IoTBaseline -Verbose -WarningVariable auditWarnings 4>&1 3>&1 |
        Tee-Object -Variable everything | Where-Object { $_ -is [IoTAdmin.Engine.Baseline.RuleResult] }
    $script:streamText = ($everything | Out-String -Width 400)
    $script:auditWarnings = $auditWarnings

    function Get-Outcome {
        param([string] $DeviceName, [string] $RuleId)

        $address = (Get-LabDevice $DeviceName).address
        $result = $results | Where-Object { $_.DeviceAddress -eq $address -and $_.RuleId -eq $RuleId }
        @($result).Count | Should -Be 1 -Because "$DeviceName must have exactly one $RuleId result"
        return $result.Outcome.ToString()
    }
}

Describe 'Test-IoTBaseline on the insecure camera' -Tag 'Lab' {
    It 'Fails <_>' -ForEach @(
        'IOT-CRED-SSH', 'IOT-CRED-TELNET', 'IOT-CRED-HTTP', 'IOT-TELNET-OPEN',
        'IOT-SNMP-COMMUNITY', 'IOT-SNMP-V1V2C', 'IOT-WEB-NOTLS') {
        Get-Outcome 'cam1' $_ | Should -Be 'Fail'
    }

    It 'Names the account that accepted a default password, masked' {
        $address = (Get-LabDevice 'cam1').address
        $ssh = $results | Where-Object { $_.DeviceAddress -eq $address -and $_.RuleId -eq 'IOT-CRED-SSH' }
        $ssh.Evidence | Should -Match 'root'
        $ssh.Evidence | Should -Match '\*'
    }

    It 'Gives every result its measures, severity and remediation' {
        foreach ($result in $results) {
            @($result.Measures).Count | Should -BeGreaterThan 0
            $result.Measures | ForEach-Object { $_ | Should -Match '^SYS\.4\.4\.M\d+$' }
            $result.Remediation | Should -Not -BeNullOrEmpty
            $result.Evidence | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'Test-IoTBaseline on the gateway' -Tag 'Lab' {
    It 'Fails <_>' -ForEach @('IOT-UPNP-IGD', 'IOT-MQTT-ANON') {
        Get-Outcome 'gw1' $_ | Should -Be 'Fail'
    }

    It 'Passes IOT-CRED-SSH because its strong password is in no default list' {
        Get-Outcome 'gw1' 'IOT-CRED-SSH' | Should -Be 'Pass'
    }
}

Describe 'Test-IoTBaseline on the hardened building controller' -Tag 'Lab' {
    It 'Has no failed and no error result' {
        $address = (Get-LabDevice 'hvac1').address
        $bad = $results | Where-Object { $_.DeviceAddress -eq $address -and $_.Outcome -in 'Fail', 'Error' }
        $bad | Should -BeNullOrEmpty -Because ($bad | Out-String)
    }

    It 'Passes <_>' -ForEach @('IOT-CRED-SSH', 'IOT-WEB-NOTLS', 'IOT-SNMP-V1V2C', 'IOT-SNMP-COMMUNITY') {
        Get-Outcome 'hvac1' $_ | Should -Be 'Pass'
    }
}

Describe 'Test-IoTBaseline output' -Tag 'Lab' {
    It 'Returns one result per device and rule' {
        $groups = $results | Group-Object DeviceAddress, RuleId
        $groups | Where-Object Count -gt 1 | Should -BeNullOrEmpty
        $ruleCount = @($results.RuleId | Sort-Object -Unique).Count
        foreach ($device in $results | Group-Object DeviceAddress) {
            $device.Count | Should -Be $ruleCount
        }
    }

    It 'Never shows a lab password in results, verbose or warning output' {
        $text = $streamText + ($results | Format-List * | Out-String -Width 400)
        foreach ($secret in Get-LabSecrets) {
            $text.Contains($secret) | Should -BeFalse -Because 'secrets must never reach output'
        }
    }

    It 'Warns about the urgent findings' {
        ($auditWarnings -join "`n") | Should -Match 'IOT-CRED-SSH'
    }
}

Describe 'Test-IoTBaseline with addresses' -Tag 'Lab' {
    It 'Binds Address and Profile by property name' {
        $hvac = Get-LabDevice 'hvac1'
        $row = [pscustomobject]@{ Address = $hvac.address; Profile = 'BuildingControl' }
        $result = $row | Test-IoTBaseline -Rule 'IOT-TELNET-OPEN'
        $result.RuleId | Should -Be 'IOT-TELNET-OPEN'
        $result.Outcome.ToString() | Should -Be 'Pass'
    }

    It 'Finds the gateway UPnP IGD by asking the device directly when given only its address' {
        $gateway = Get-LabDevice 'gw1'
        $result = Test-IoTBaseline -Address $gateway.address -Rule 'IOT-UPNP-IGD'
        $result.Outcome.ToString() | Should -Be 'Fail'
        $result.Evidence | Should -Match 'InternetGatewayDevice|WANIPConnection|WANPPPConnection'
    }

    It 'Checks only the rules matching -Rule' {
        $camera = Get-LabDevice 'cam1'
        $found = Test-IoTBaseline -Address $camera.address -Rule 'IOT-SNMP-*'
        @($found.RuleId | Sort-Object -Unique) | Should -Be @(
            'IOT-SNMP-COMMUNITY', 'IOT-SNMP-V1V2C', 'IOT-SNMP-V3-SECLEVEL', 'IOT-SNMP-V3-WEAKALG', 'IOT-SNMP-WRITE')
    }

    It 'Stops before auditing anything when -Rule matches no rule' {
        { Test-IoTBaseline -Address '10.47.0.11' -Rule 'IOT-NO-SUCH-*' } |
            Should -Throw -ErrorId 'RuleNotFound,IoTAdmin.Commands.TestIoTBaselineCommand'
    }

    It 'Refuses a value that is not an IPv4 address with a non-terminating error' {
        $found = Test-IoTBaseline -Address 'not-an-address' -Rule 'IOT-TELNET-OPEN' -ErrorVariable badInput `
            -ErrorAction SilentlyContinue
        $found | Should -BeNullOrEmpty
        $badInput[0].FullyQualifiedErrorId | Should -Be 'InvalidAddress,IoTAdmin.Commands.TestIoTBaselineCommand'
    }

    It 'Gives a dead device Error results and a non-terminating error, and goes on' {
        $camera = Get-LabDevice 'cam1'
        $dead = '10.47.0.99'
        $found = Test-IoTBaseline -Address $dead, $camera.address -Rule 'IOT-TELNET-OPEN' -Timeout 2 `
            -ErrorVariable auditErrors -ErrorAction SilentlyContinue
        ($found | Where-Object DeviceAddress -eq $dead).Outcome.ToString() | Should -Be 'Error'
        ($found | Where-Object DeviceAddress -eq $camera.address).Outcome.ToString() | Should -Be 'Fail'
        $auditErrors.Count | Should -Be 1
        $auditErrors[0].FullyQualifiedErrorId | Should -Be 'DeviceUnreachable,IoTAdmin.Commands.TestIoTBaselineCommand'
        $auditErrors[0].TargetObject.Address | Should -Be $dead
    }

    It 'Answers -Quiet with $false for a device that did not answer' {
        $hvac = Get-LabDevice 'hvac1'
        Test-IoTBaseline -Address $hvac.address -Rule 'IOT-TELNET-OPEN' -Timeout 2 -Quiet | Should -BeTrue
        Test-IoTBaseline -Address '10.47.0.99', $hvac.address -Rule 'IOT-TELNET-OPEN' -Timeout 2 -Quiet `
            -ErrorAction SilentlyContinue | Should -BeFalse
    }
}

Describe 'Test-IoTBaseline -SnmpCredential' -Tag 'Lab' {
    BeforeAll {
        $hvac = Get-LabDevice 'hvac1'
        $snmp = $hvac.credentials.snmp
        $auth = [pscredential]::new($snmp.user, (ConvertTo-SecureString $snmp.authPassphrase -AsPlainText -Force))
        $privacy = ConvertTo-SecureString $snmp.privPassphrase -AsPlainText -Force
        # The lab's user is SHA (SHA-1) with AES-128, as many controllers ship.
        $script:v3 = New-IoTSnmpCredential -Credential $auth -AuthProtocol Sha1 -PrivProtocol Aes128 `
            -PrivPassphrase $privacy
        $script:v3Results = Test-IoTBaseline -Address $hvac.address -Rule 'IOT-SNMP-V3-*' -SnmpCredential $v3
    }

    It 'Passes the security level check for an authPriv user' {
        ($v3Results | Where-Object RuleId -eq 'IOT-SNMP-V3-SECLEVEL').Outcome.ToString() | Should -Be 'Pass'
    }

    It 'Flags SHA-1 authentication as a weak algorithm' {
        $weak = $v3Results | Where-Object RuleId -eq 'IOT-SNMP-V3-WEAKALG'
        $weak.Outcome.ToString() | Should -Be 'Fail'
        $weak.Evidence | Should -Match 'SHA-?1'
    }

    It 'Never shows the passphrases' {
        $text = $v3Results | Format-List * | Out-String -Width 400
        $text.Contains($hvac.credentials.snmp.authPassphrase) | Should -BeFalse
        $text.Contains($hvac.credentials.snmp.privPassphrase) | Should -BeFalse
    }

    It 'Refuses a community credential with a clear error' {
        $community = [pscredential]::new('snmp', (ConvertTo-SecureString 'public' -AsPlainText -Force))
        $credential = New-IoTSnmpCredential -Community $community
        { Test-IoTBaseline -Address $hvac.address -Rule 'IOT-SNMP-V3-*' -SnmpCredential $credential } |
            Should -Throw -ErrorId 'SnmpCommunityNotAllowed,IoTAdmin.Commands.TestIoTBaselineCommand'
    }
}

Describe 'Test-IoTBaseline -ServicePort on the controller whose SSH listens on 48022' -Tag 'Lab' {
    BeforeAll {
        $script:controller = Get-LabDevice 'hvac1'
        $rules = 'IOT-SSH-STDPORT', 'IOT-CRED-SSH'
        $script:unnamed = Test-IoTBaseline -Address $controller.address -Profile BuildingControl -Rule $rules `
            -WarningAction SilentlyContinue
        $script:named = Test-IoTBaseline -Address $controller.address -Name 'hvac-roof' -Profile BuildingControl `
            -Rule $rules -ServicePort @{ ssh = 48022 } -WarningAction SilentlyContinue
    }

    It 'Finds no SSH server on the standard ports without it' {
        ($unnamed | Where-Object RuleId -eq 'IOT-CRED-SSH').Outcome.ToString() | Should -Be 'NotApplicable'
    }

    It 'Checks SSH on the given port and keeps the device name' {
        $login = $named | Where-Object RuleId -eq 'IOT-CRED-SSH'
        $login.Evidence | Should -Match ':48022'
        $login.DeviceName | Should -Be 'hvac-roof'
        ($named | Where-Object RuleId -eq 'IOT-SSH-STDPORT').Evidence | Should -Match '48022'
    }

    It 'Refuses an unknown service name before touching a device' {
        { Test-IoTBaseline -Address $controller.address -ServicePort @{ sshd = 22 } } |
            Should -Throw -ErrorId 'ServicePortInvalid,IoTAdmin.Commands.TestIoTBaselineCommand'
    }
}
