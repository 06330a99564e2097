# The SNMP cmdlets against the live lab: cam1 speaks v2c with 'public' (read-only), hvac1 only SNMPv3
# with an authPriv user. Expected values come from lab.json and from net-snmp's own snmpwalk/snmpget.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 3.0
    . (Join-Path $PSScriptRoot 'LabFixture.ps1')
    Import-Module $env:IOTADMIN_MODULE_PATH -Force

    $script:cam = Get-LabDevice cam1
    $script:hvac = Get-LabDevice hvac1
    $script:secrets = @(Get-LabSecrets) + $hvac.credentials.snmp.authPassphrase + $hvac.credentials.snmp.privPassphrase

    function ConvertTo-Secure([string] $Text) {
        return ConvertTo-SecureString $Text -AsPlainText -Force
    }

    function New-Community([string] $Community, [string] $Version = 'V2c') {
        $credential = [pscredential]::new('community', (ConvertTo-Secure $Community))
        return New-IoTSnmpCredential -Community $credential -Version $Version
    }

    function New-HvacCredential([string] $AuthPassphrase = $hvac.credentials.snmp.authPassphrase) {
        $snmp = $hvac.credentials.snmp
        $user = [pscredential]::new($snmp.user, (ConvertTo-Secure $AuthPassphrase))
        return New-IoTSnmpCredential -Credential $user -AuthProtocol Sha1 -PrivProtocol Aes128 `
            -PrivPassphrase (ConvertTo-Secure $snmp.privPassphrase)
    }

    function Get-NetSnmpValue([string] $Oid) {
        # net-snmp's own reading, the reference the cmdlets are checked against.
        $line = & snmpget -v2c -c public -On -Oqv -t 2 -r 1 $cam.address $Oid
        if ($LASTEXITCODE -ne 0) {
            throw "snmpget $Oid failed with exit code $LASTEXITCODE"
        }

        return ($line -join "`n").Trim('"')
    }

    function Get-Text($Record) {
        # Everything a user could see of a stream record.
        if ($Record -is [System.Management.Automation.ErrorRecord]) {
            return "$Record $($Record.Exception) $($Record.TargetObject)"
        }

        return ($Record | Format-List * -Force | Out-String -Width 500) + "$Record"
    }
}

Describe 'New-IoTSnmpCredential' -Tag 'Lab' {
    It 'Builds a v2c credential whose string form hides the community' {
        $credential = New-Community 'not-in-any-output-1234'
        $credential.Version | Should -Be 'V2c'
        (Get-Text $credential) | Should -Not -Match 'not-in-any-output-1234'
    }

    It 'Builds an SNMPv3 authPriv user from PSCredential and SecureString' {
        $credential = New-HvacCredential
        $credential.Version | Should -Be 'V3'
        $credential.UserName | Should -Be $hvac.credentials.snmp.user
        $credential.SecurityLevel | Should -Be 'AuthPriv'
        foreach ($secret in $secrets) {
            (Get-Text $credential) | Should -Not -Match ([regex]::Escape($secret))
        }
    }

    It 'Refuses a privacy protocol without a privacy passphrase with InvalidSnmpCredential' {
        $user = [pscredential]::new('someone', (ConvertTo-Secure 'authpassphrase'))
        { New-IoTSnmpCredential -Credential $user -PrivProtocol Aes128 } |
            Should -Throw -ErrorId 'InvalidSnmpCredential,IoTAdmin.Commands.NewIoTSnmpCredentialCommand'
    }

    It 'Has no parameter that takes a secret as a plain string' {
        $command = Get-Command New-IoTSnmpCredential
        foreach ($name in 'Community', 'Credential') {
            $command.Parameters[$name].ParameterType | Should -Be ([pscredential])
        }

        $command.Parameters['PrivPassphrase'].ParameterType | Should -Be ([securestring])
    }
}

Describe 'Get-IoTSnmpValue' -Tag 'Lab' {
    It 'Reads sysDescr of cam1 with v2c public by default' {
        $result = Get-IoTSnmpValue -Address $cam.address -Oid sysDescr.0
        $result.Name | Should -Be 'sysDescr.0'
        $result.Oid | Should -Be '1.3.6.1.2.1.1.1.0'
        $result.Type | Should -Be 'OctetString'
        $result.Value | Should -BeExactly $cam.sysDescr
    }

    It 'Reads the identity objects when no -Oid is given' {
        $results = Get-IoTSnmpValue -Address $cam.address
        $results.Name | Should -Be @('sysDescr.0', 'sysObjectID.0', 'sysUpTime.0', 'sysName.0')
        ($results | Where-Object Name -eq 'sysObjectID.0').Value | Should -Be $cam.sysObjectID
        ($results | Where-Object Name -eq 'sysUpTime.0').Value | Should -BeOfType [timespan]
        ($results | Where-Object Name -eq 'sysName.0').Value | Should -Be 'cam1'
    }

    It 'Walks system to the same OIDs and values as snmpwalk' {
        $reference = & snmpwalk -v2c -c public -On -t 2 -r 1 $cam.address 1.3.6.1.2.1.1
        $LASTEXITCODE | Should -Be 0
        $walked = @(Get-IoTSnmpValue -Address $cam.address -Oid system -Walk)

        $expected = foreach ($line in $reference) {
            $match = [regex]::Match($line, '^\.(?<oid>[\d.]+) = (?<type>[\w-]+): (?<value>.*)$')
            $match.Success | Should -BeTrue -Because "snmpwalk printed '$line'"
            $match
        }

        @($walked.Oid) | Should -Be @($expected | ForEach-Object { $_.Groups['oid'].Value })
        for ($i = 0; $i -lt $expected.Count; $i++) {
            $type = $expected[$i].Groups['type'].Value
            $text = $expected[$i].Groups['value'].Value
            $actual = $walked[$i]
            switch ($type) {
                'STRING' { $actual.Value | Should -BeExactly $text.Trim('"') }
                'OID' { $actual.Value | Should -Be $text.TrimStart('.') }
                'INTEGER' { $actual.Value | Should -Be ([int]$text) }
                'Timeticks' {
                    $ticks = [long][regex]::Match($text, '^\((\d+)\)').Groups[1].Value
                    if ($actual.Name -eq 'sysUpTime.0') {
                        [math]::Abs($actual.RawValue.ToInt64() - $ticks) | Should -BeLessThan 1000
                    }
                    else {
                        $actual.RawValue.ToInt64() | Should -Be $ticks
                    }
                }
                default { throw "The test does not compare snmpwalk type '$type' yet." }
            }
        }
    }

    It 'Reads sysDescr of hvac1 over SNMPv3 authPriv' {
        $result = Get-IoTSnmpValue -Address $hvac.address -Oid sysDescr.0 -Credential (New-HvacCredential)
        $result.Value | Should -BeExactly $hvac.sysDescr
    }

    It 'Walks over SNMPv3 as well' {
        $results = @(Get-IoTSnmpValue -Address $hvac.address -Oid system -Walk -Credential (New-HvacCredential))
        $results.Count | Should -BeGreaterThan 7
        ($results | Where-Object Name -eq 'sysName.0').Value | Should -Be 'hvac1'
    }

    It 'Reports a wrong SNMPv3 passphrase as SnmpAuthenticationFailed and goes on to the next address' {
        $wrong = New-HvacCredential -AuthPassphrase 'wrong-passphrase-4711'
        $results = Get-IoTSnmpValue -Address $hvac.address, $cam.address -Credential $wrong -Timeout 2 `
            -ErrorVariable failures -ErrorAction SilentlyContinue
        $results | Should -BeNullOrEmpty
        $failures.Count | Should -Be 2
        $failures[0].FullyQualifiedErrorId |
            Should -Be 'SnmpAuthenticationFailed,IoTAdmin.Commands.GetIoTSnmpValueCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $failures[0].TargetObject | Should -Be $hvac.address
        $failures[1].TargetObject | Should -Be $cam.address
    }

    It 'Returns the values of the next device after one that does not answer' {
        $results = Get-IoTSnmpValue -Address $hvac.address, $cam.address -Oid sysName.0 -Timeout 1 -Retries 0 `
            -ErrorVariable failures -ErrorAction SilentlyContinue
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SnmpTimeout,*'
        @($results).Count | Should -Be 1
        $results.Value | Should -Be 'cam1'
    }

    It 'Reports a wrong community as a non-terminating SnmpTimeout within the timeout' {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $results = Get-IoTSnmpValue -Address $cam.address -Credential (New-Community 'wrong-community-0815') `
            -Timeout 1 -Retries 1 -ErrorVariable failures -ErrorAction SilentlyContinue
        $watch.Stop()
        $results | Should -BeNullOrEmpty
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'SnmpTimeout,IoTAdmin.Commands.GetIoTSnmpValueCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        (Get-Text $failures[0]) | Should -Not -Match 'wrong-community-0815'
    }

    It 'Reports a wrong SNMPv3 privacy passphrase as SnmpDecryptionFailed' {
        $snmp = $hvac.credentials.snmp
        $user = [pscredential]::new($snmp.user, (ConvertTo-Secure $snmp.authPassphrase))
        $wrongPrivacy = New-IoTSnmpCredential -Credential $user -AuthProtocol Sha1 -PrivProtocol Aes128 `
            -PrivPassphrase (ConvertTo-Secure 'wrong-privacy-4711')
        { Get-IoTSnmpValue -Address $hvac.address -Credential $wrongPrivacy -Timeout 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'SnmpDecryptionFailed,IoTAdmin.Commands.GetIoTSnmpValueCommand'
    }

    It 'Reports a user below the security level the agent asks for as SnmpAuthenticationFailed' {
        # hvac1 grants bmsadmin access only at authPriv; net-snmp answers authorizationError otherwise.
        $snmp = $hvac.credentials.snmp
        $user = [pscredential]::new($snmp.user, (ConvertTo-Secure $snmp.authPassphrase))
        $authOnly = New-IoTSnmpCredential -Credential $user -AuthProtocol Sha1
        { Get-IoTSnmpValue -Address $hvac.address -Credential $authOnly -Timeout 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'SnmpAuthenticationFailed,IoTAdmin.Commands.GetIoTSnmpValueCommand' `
                -ExpectedMessage '*authPriv*'
    }

    It 'Reports an SNMPv1 error-status as SnmpError' {
        # v1 has no exception values: net-snmp answers noSuchName for the whole request.
        { Get-IoTSnmpValue -Address $cam.address -Oid 1.3.6.1.2.1.1.5.99 -Credential (New-Community public V1) `
                -ErrorAction Stop } | Should -Throw -ErrorId 'SnmpError,IoTAdmin.Commands.GetIoTSnmpValueCommand'
    }

    It 'Refuses a host name with InvalidAddress instead of resolving it' {
        { Get-IoTSnmpValue -Address 'cam1.local' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidAddress,IoTAdmin.Commands.GetIoTSnmpValueCommand'
    }

    It 'Reports an object the agent does not have as SnmpNoSuchObject and returns the rest' {
        $results = Get-IoTSnmpValue -Address $cam.address -Oid sysName.0, 1.3.6.1.2.1.1.5.99 `
            -ErrorVariable failures -ErrorAction SilentlyContinue
        $results.Value | Should -Be 'cam1'
        $failures[0].FullyQualifiedErrorId | Should -Be 'SnmpNoSuchObject,IoTAdmin.Commands.GetIoTSnmpValueCommand'
    }

    It 'Stops before sending anything for an unknown name and suggests near ones' {
        { Get-IoTSnmpValue -Address $cam.address -Oid sysDescrr.0 } | Should -Throw -ExpectedMessage '*sysDescr*' `
            -ErrorId 'UnknownOidName,IoTAdmin.Commands.GetIoTSnmpValueCommand'
    }

    It 'Takes the devices of Get-IoTDevice -Discover from the pipeline' {
        $lab = Get-LabDescription
        $results = Get-IoTDevice -Discover -Subnet $lab.bridge.subnet -InterfaceAddress $lab.bridge.address `
            -Protocol Snmp -Timeout 3 -ErrorAction SilentlyContinue |
            Get-IoTSnmpValue -Oid sysName.0 -Timeout 1 -Retries 0 -ErrorAction SilentlyContinue
        ($results | Where-Object Address -eq $cam.address).Value | Should -Be 'cam1'
    }

    It 'Writes no lab secret to the verbose stream or to errors' {
        $records = @(
            Get-IoTSnmpValue -Address $hvac.address -Credential (New-HvacCredential) -Verbose 4>&1
            Get-IoTSnmpValue -Address $hvac.address -Credential (New-HvacCredential 'wrong-passphrase-4711') `
                -Verbose -ErrorAction SilentlyContinue -ErrorVariable failures 4>&1
            $failures
        )
        @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count |
            Should -BeGreaterThan 0
        $text = ($records | ForEach-Object { Get-Text $_ }) -join "`n"
        foreach ($secret in $secrets + 'wrong-passphrase-4711') {
            $text | Should -Not -Match ([regex]::Escape($secret))
        }
    }
}

Describe 'Set-IoTSnmpValue' -Tag 'Lab' {
    BeforeAll {
        $script:locationBefore = Get-NetSnmpValue 1.3.6.1.2.1.1.6.0
    }

    It 'Requires a credential and supports -WhatIf and -Confirm' {
        $command = Get-Command Set-IoTSnmpValue
        $command.Parameters['Credential'].ParameterSets.Values.IsMandatory | Should -Contain $true
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Confirm'
    }

    It 'Sends nothing with -WhatIf' {
        # snmpInPkts counts every datagram cam1 receives; between two snmpget calls it grows by exactly one
        # unless something else was sent. Other traffic may interfere, so a clean interval out of three counts.
        $deltas = foreach ($attempt in 1..3) {
            $before = [long](Get-NetSnmpValue 1.3.6.1.2.1.11.1.0)
            Set-IoTSnmpValue -Address $cam.address -Oid sysLocation.0 -Value 'WhatIf location' `
                -Credential (New-Community 'public') -WhatIf
            [long](Get-NetSnmpValue 1.3.6.1.2.1.11.1.0) - $before
        }

        ($deltas | Measure-Object -Minimum).Minimum | Should -Be 1
        Get-NetSnmpValue 1.3.6.1.2.1.1.6.0 | Should -BeExactly $locationBefore
    }

    It 'Is refused with SnmpWriteRefused when the v2c community is read-only (net-snmp answers noAccess)' {
        $results = Set-IoTSnmpValue -Address $cam.address -Oid sysLocation.0 -Value 'Hijacked' `
            -Credential (New-Community 'public') -Confirm:$false -PassThru -ErrorVariable failures `
            -ErrorAction SilentlyContinue
        $results | Should -BeNullOrEmpty
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'SnmpWriteRefused,IoTAdmin.Commands.SetIoTSnmpValueCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $failures[0].Exception.Message | Should -Match 'noAccess'
        Get-NetSnmpValue 1.3.6.1.2.1.1.6.0 | Should -BeExactly $locationBefore
    }

    It 'Is refused with SnmpWriteRefused over SNMPv1 too (net-snmp answers noSuchName)' {
        Set-IoTSnmpValue -Address $cam.address -Oid sysLocation.0 -Value 'Hijacked' `
            -Credential (New-Community 'public' -Version V1) -Confirm:$false -ErrorVariable failures `
            -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SnmpWriteRefused,*'
        $failures[0].Exception.Message | Should -Match 'noSuchName'
        Get-NetSnmpValue 1.3.6.1.2.1.1.6.0 | Should -BeExactly $locationBefore
    }

    It 'Refuses a value that does not fit the type before sending' {
        Set-IoTSnmpValue -Address $cam.address -Oid sysServices.0 -Value 'many' -Type Integer `
            -Credential (New-Community 'public') -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidSnmpValue,IoTAdmin.Commands.SetIoTSnmpValueCommand'
    }
}

Describe 'Set-IoTSnmpValue against a writable agent' -Tag 'Lab' {
    # The lab's agents are read-only, so a private net-snmp agent on 127.0.0.1 accepts writes, only to
    # the system group and only from 127.0.0.1. sysLocation is left out of its configuration: net-snmp
    # answers notWritable for objects set there.
    BeforeAll {
        $script:directory = Join-Path ([System.IO.Path]::GetTempPath()) "iotadmin-snmpset-$PID"
        $null = New-Item -ItemType Directory -Force -Path (Join-Path $directory 'persist')
        $script:port = Get-Random -Minimum 20000 -Maximum 40000
        $script:community = 'rw-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
        $config = Join-Path $directory 'snmpd.conf'
        @(
            "agentAddress udp:127.0.0.1:$port"
            'sysDescr Writable test agent'
            'sysServices 72'
            "rwcommunity $community 127.0.0.1 .1.3.6.1.2.1.1"
        ) | Set-Content -Path $config -Encoding ascii
        $start = [System.Diagnostics.ProcessStartInfo]::new('/usr/sbin/snmpd')
        foreach ($argument in '-f', '-Lo', '-C', '-c', $config, '-m', '', '-I', '-smux') {
            $start.ArgumentList.Add($argument)
        }

        $start.Environment['SNMP_PERSISTENT_DIR'] = Join-Path $directory 'persist'
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $script:agent = [System.Diagnostics.Process]::Start($start)
        $script:writer = New-Community $community
        $deadline = (Get-Date).AddSeconds(15)
        do {
            Start-Sleep -Milliseconds 200
            $ready = Get-IoTSnmpValue 127.0.0.1 sysDescr.0 -Port $port -Credential $writer -Timeout 1 -Retries 0 `
                -ErrorAction SilentlyContinue
        } until ($ready -or (Get-Date) -gt $deadline -or $agent.HasExited)
        $ready | Should -Not -BeNullOrEmpty -Because 'the private snmpd must answer'

        function Get-WrittenLocation {
            (Get-IoTSnmpValue 127.0.0.1 sysLocation.0 -Port $port -Credential $writer).Value
        }
    }

    AfterAll {
        if ($agent -and -not $agent.HasExited) {
            $agent.Kill()
            $agent.WaitForExit(5000)
        }

        Remove-Item -Recurse -Force $directory -ErrorAction SilentlyContinue
    }

    It 'Writes the value and returns it as read back with -PassThru' {
        $result = Set-IoTSnmpValue 127.0.0.1 sysLocation.0 'Rack 7' -Port $port -Credential $writer -PassThru `
            -WhatIf:$false -Confirm:$false
        $result.Name | Should -Be 'sysLocation.0'
        $result.Type | Should -Be 'OctetString'
        $result.Value | Should -BeExactly 'Rack 7'
        Get-WrittenLocation | Should -BeExactly 'Rack 7'
    }

    It 'Writes nothing with -WhatIf, even where the credential may write' {
        Set-IoTSnmpValue 127.0.0.1 sysLocation.0 'Rack 9' -Port $port -Credential $writer -WhatIf
        Get-WrittenLocation | Should -BeExactly 'Rack 7'
    }

    It 'Reports a read-only object as SnmpWriteRefused (net-snmp answers notWritable)' {
        { Set-IoTSnmpValue 127.0.0.1 sysServices.0 12 -Port $port -Credential $writer -Confirm:$false `
                -ErrorAction Stop } | Should -Throw -ErrorId 'SnmpWriteRefused,IoTAdmin.Commands.SetIoTSnmpValueCommand'
    }

    It 'Reports an object outside the writable view as SnmpWriteRefused (noAccess)' {
        Set-IoTSnmpValue 127.0.0.1 ifAdminStatus.1 2 -Port $port -Credential $writer -Confirm:$false `
            -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -Be 'SnmpWriteRefused,IoTAdmin.Commands.SetIoTSnmpValueCommand'
        $failures[0].Exception.Message | Should -Match 'noAccess'
    }
}
