# Network exposure against the live lab: the port scan and its services compared with nmap, the SSH and
# TLS verdicts compared with ssh-audit and sslscan, the gateway's UPnP IGD and its port mappings compared
# with miniupnpd's own list (upnpc), the firewall ruleset checked by nft -c and iptables-restore --test, and
# Telnet switched off on the camera for good (across a reboot), proven closed from outside.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 3.0
    . (Join-Path $PSScriptRoot 'LabFixture.ps1')
    Import-Module $env:IOTADMIN_MODULE_PATH -Force

    $script:labScript = Join-Path $PSScriptRoot 'lab/lab.sh'

    # The port-mapping tests change the gateway: start from, and leave, its factory state.
    & bash $labScript reset gw1 | Out-Null

    $script:lab = Get-LabDescription
    $script:cam = Get-LabDevice 'cam1'
    $script:hvac = Get-LabDevice 'hvac1'
    $script:gw = Get-LabDevice 'gw1'
    $script:addresses = @($cam.address, $hvac.address, $gw.address)
    $script:labTcpPorts = @($lab.devices.services | Where-Object protocol -eq 'tcp' | ForEach-Object port |
            Sort-Object -Unique)
    $script:scanPorts = @(@(22, 23, 80, 443, 554, 1883, 5000, 8080, 8443, 2222, 21) + $labTcpPorts |
            Sort-Object -Unique)

    $script:services = Get-IoTService -Address $addresses -Port $scanPorts -Snmp
    $script:devices = Get-IoTDevice -Discover -Subnet $lab.bridge.subnet -InterfaceAddress $lab.bridge.address `
        -Timeout 6
    $script:results = $devices |
        Test-IoTBaseline -Rule 'IOT-SSH-*', 'IOT-TLS-*', 'IOT-WEB-*', 'IOT-UPNP-IGD' -Timeout 5

    function Get-Result {
        param([string] $DeviceName, [string] $RuleId)

        $address = (Get-LabDevice $DeviceName).address
        $found = @($results | Where-Object { $_.DeviceAddress -eq $address -and $_.RuleId -eq $RuleId })
        $found.Count | Should -Be 1 -Because "$DeviceName must have exactly one $RuleId result"
        return $found[0]
    }

    function Get-SshAuditVerdict {
        # ssh-audit's worst verdict per algorithm name: fail, warn or info.
        param([string] $Address, [int] $Port)

        $verdicts = @{}
        $current = $null
        foreach ($line in (& ssh-audit -n -p $Port $Address 2>&1)) {
            if ($line -match '^\((kex|key|enc|mac)\) (\S+)\s.*?-- \[(\w+)\]') {
                $current = $Matches[2]
                $verdicts[$current] = $Matches[3]
            }
            elseif ($current -and $line -match '^\s+`- \[(\w+)\]') {
                $rank = @{ fail = 2; warn = 1; info = 0 }
                if ($rank[$Matches[1]] -gt $rank[$verdicts[$current]]) {
                    $verdicts[$current] = $Matches[1]
                }
            }
        }

        return $verdicts
    }

    function Get-MiniUpnpMappedPort {
        # The external ports miniupnpd itself lists, read with miniupnpc's upnpc.
        param([string] $Location)

        $listing = & upnpc -u $Location -l 2>&1
        return @($listing | ForEach-Object { if ($_ -match '^\s*\d+\s+(TCP|UDP)\s+(\d+)->') { [int]$Matches[2] } })
    }
}

AfterAll {
    & bash $labScript reset gw1 | Out-Null
}

Describe 'Get-IoTService on the lab' -Tag 'Lab' {
    It 'Finds the same open TCP ports as nmap -sT' {
        $nmap = & nmap -sT -T4 -Pn -n --open -oG - -p ($scanPorts -join ',') @addresses
        $theirs = foreach ($line in $nmap | Where-Object { $_ -match '^Host: (\S+) .*Ports: ' }) {
            $hostAddress = ($line -split ' ')[1]
            [regex]::Matches($line, '(\d+)/open/tcp') | ForEach-Object { "$hostAddress`:$($_.Groups[1].Value)" }
        }

        $ours = $services | Where-Object { $_.Transport -eq 'Tcp' -and $_.State -eq 'Open' } |
            ForEach-Object { "$($_.Address):$($_.Port)" }
        @($ours | Sort-Object) | Should -Be @($theirs | Sort-Object)
    }

    It 'Names <Device> TCP <Port> <Name>' -ForEach @(
        @{ Device = 'cam1'; Port = 22; Name = 'ssh' }, @{ Device = 'cam1'; Port = 23; Name = 'telnet' }
        @{ Device = 'cam1'; Port = 80; Name = 'http' }, @{ Device = 'cam1'; Port = 554; Name = 'rtsp' }
        @{ Device = 'hvac1'; Port = 48022; Name = 'ssh' }, @{ Device = 'hvac1'; Port = 443; Name = 'https' }
        @{ Device = 'gw1'; Port = 22; Name = 'ssh' }, @{ Device = 'gw1'; Port = 1883; Name = 'mqtt' }
        @{ Device = 'gw1'; Port = 5000; Name = 'upnp' }) {
        $address = (Get-LabDevice $Device).address
        $service = $services | Where-Object { $_.Address -eq $address -and $_.Port -eq $Port }
        $service.Name | Should -Be $Name -Because ($service | Out-String)
    }

    It 'Names the SSH servers as their identification does' {
        ($services | Where-Object { $_.Address -eq $cam.address -and $_.Port -eq 22 }).Product | Should -Be 'dropbear'
        ($services | Where-Object { $_.Address -eq $hvac.address -and $_.Port -eq 48022 }).Product |
            Should -Be 'OpenSSH'
    }

    It 'Finds the SNMP agents on UDP and none on the gateway' {
        $snmp = $services | Where-Object { $_.Transport -eq 'Udp' -and $_.Port -eq 161 }
        # ForEach-Object, not $snmp.Address: arrays have an Address method of their own.
        @($snmp | ForEach-Object Address | Sort-Object) | Should -Be @($cam.address, $hvac.address | Sort-Object)
    }

    It 'Writes closed ports only with -IncludeClosed' {
        $all = Get-IoTService -Address $cam.address -Port 22, 9 -IncludeClosed -NoServiceDetection
        ($all | Where-Object Port -eq 9).State.ToString() | Should -Be 'Closed'
        Get-IoTService -Address $cam.address -Port 9 -NoServiceDetection -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
    }

    It 'Refuses a malformed range before scanning' {
        { Get-IoTService -Address $cam.address -PortRange '30-20' } |
            Should -Throw -ErrorId 'InvalidPortRange,IoTAdmin.Commands.GetIoTServiceCommand'
    }
}

Describe 'SSH verdicts against ssh-audit' -Tag 'Lab' {
    It 'Fails the camera with exactly the algorithms ssh-audit fails' {
        $theirs = Get-SshAuditVerdict $cam.address 22
        $failed = @($theirs.Keys | Where-Object { $theirs[$_] -eq 'fail' } | Sort-Object)
        $failed.Count | Should -BeGreaterThan 0
        $result = Get-Result 'cam1' 'IOT-SSH-WEAKALG'
        $result.Outcome.ToString() | Should -Be 'Fail'
        $failPart = ($result.Evidence -split '; ' | Where-Object { $_ -like 'fail: *' }) -replace '^fail: ', ''
        $ours = @([regex]::Matches($failPart, '([\w@.-]+) \(') | ForEach-Object { $_.Groups[1].Value } | Sort-Object)
        $ours | Should -Be $failed
    }

    It 'Passes the building controller, on which ssh-audit fails nothing' {
        $sshPort = ($hvac.services | Where-Object name -eq 'ssh').port
        $theirs = Get-SshAuditVerdict $hvac.address $sshPort
        $theirs.Count | Should -BeGreaterThan 5
        @($theirs.Values | Where-Object { $_ -eq 'fail' }).Count | Should -Be 0
        (Get-Result 'hvac1' 'IOT-SSH-WEAKALG').Outcome.ToString() | Should -Be 'Pass'
    }

    It 'Flags SSH on standard port 22 (M5) but not on 48022' {
        (Get-Result 'cam1' 'IOT-SSH-STDPORT').Outcome.ToString() | Should -Be 'Fail'
        (Get-Result 'gw1' 'IOT-SSH-STDPORT').Outcome.ToString() | Should -Be 'Fail'
        $hvacResult = Get-Result 'hvac1' 'IOT-SSH-STDPORT'
        $hvacResult.Outcome.ToString() | Should -Be 'Pass'
        $hvacResult.Evidence | Should -Match 'port 48022'
    }
}

Describe 'TLS verdicts against sslscan' -Tag 'Lab' {
    BeforeAll {
        $target = "$($hvac.address):443"
        $script:sslscan = (& sslscan --no-colour --no-ciphersuites --no-groups --no-heartbleed $target) -join "`n"
    }

    It 'Offers the protocol versions sslscan finds enabled' {
        $enabled = [regex]::Matches($sslscan, '(?m)^(SSLv[23]|TLSv1\.[0-3])\s+enabled') |
            ForEach-Object { $_.Groups[1].Value }
        $result = Get-Result 'hvac1' 'IOT-TLS-PROTOCOL'
        $result.Outcome.ToString() | Should -Be 'Pass'
        $result.Evidence | Should -Match ("offers " + [regex]::Escape(($enabled -join ', ')) + '$')
    }

    It 'Reads the certificate sslscan reads' {
        $result = Get-Result 'hvac1' 'IOT-TLS-CERT'
        $result.Outcome.ToString() | Should -Be 'Pass'
        $sslscan | Should -Match 'Signature Algorithm: ecdsa-with-SHA256'
        $sslscan | Should -Match 'ECC Curve Name:\s+prime256v1'
        $result.Evidence | Should -Match 'ECDSA 256 bits, sha256ECDSA'
        $sslscan | Should -Match 'Issuer:\s+hvac1.local'
        $result.Evidence | Should -Match 'self-signed'
    }

    It 'Finds no TLS port on the camera' {
        (Get-Result 'cam1' 'IOT-TLS-PROTOCOL').Outcome.ToString() | Should -Be 'NotApplicable'
    }
}

Describe 'Embedded web server rules on the lab' -Tag 'Lab' {
    It 'Gives no web rule an Error, and the hardened controller no Fail' {
        $web = $results | Where-Object RuleId -like 'IOT-WEB-*'
        @($web | Where-Object Outcome -eq 'Error') | Should -BeNullOrEmpty -Because ($web | Out-String -Width 300)
        @($web | Where-Object { $_.DeviceAddress -eq $hvac.address -and $_.Outcome -eq 'Fail' }) |
            Should -BeNullOrEmpty
    }

    It 'Passes the camera''s admin pages, which all ask for a login' {
        (Get-Result 'cam1' 'IOT-WEB-ADMIN-NOAUTH').Outcome.ToString() | Should -Be 'Pass'
    }
}

Describe 'UPnP on the gateway' -Tag 'Lab' {
    It 'Flags the gateway''s UPnP IGD' {
        $result = Get-Result 'gw1' 'IOT-UPNP-IGD'
        $result.Outcome.ToString() | Should -Be 'Fail'
    }

    It 'Lists the WAN services and changes nothing with -WhatIf' {
        $test = Test-IoTUpnpPortMapping -Address $gw.address -ExternalPort 47001 -Timeout 2 -WhatIf
        $test.WanServices | Should -Contain 'WANIPConnection:2'
        $test.MappingAdded | Should -BeNullOrEmpty
        Get-MiniUpnpMappedPort $gw.upnp.location | Should -Not -Contain 47001
    }

    It 'Adds a mapping miniupnpd lists, and deletes it so miniupnpd no longer does' {
        $gateway = [IoTAdmin.Engine.Exposure.UpnpGateway]::FindAsync(
            [ipaddress]$gw.address, [timespan]::FromSeconds(2), [Threading.CancellationToken]::None).
            GetAwaiter().GetResult()
        $service = $gateway.WanServices | Where-Object TakesPortMappings | Select-Object -First 1
        $client = [IoTAdmin.Engine.Exposure.UpnpGateway]::LocalAddressToward([ipaddress]$gw.address)
        $added = [IoTAdmin.Engine.Exposure.UpnpGateway]::AddPortMappingAsync($service, 47002, $client, 47002, 'TCP',
            'pester', 120, [timespan]::FromSeconds(5), [Threading.CancellationToken]::None).GetAwaiter().GetResult()
        $added.Succeeded | Should -BeTrue -Because $added.Detail
        Get-MiniUpnpMappedPort $gw.upnp.location | Should -Contain 47002

        $removed = [IoTAdmin.Engine.Exposure.UpnpGateway]::DeletePortMappingAsync($service, 47002, 'TCP',
            [timespan]::FromSeconds(5), [Threading.CancellationToken]::None).GetAwaiter().GetResult()
        $removed.Succeeded | Should -BeTrue
        Get-MiniUpnpMappedPort $gw.upnp.location | Should -Not -Contain 47002
    }

    It 'Proves a LAN host can open ports and leaves no mapping behind' {
        $test = Test-IoTUpnpPortMapping -Address $gw.address -ExternalPort 47003 -Timeout 2 -Confirm:$false
        $test.LanCanOpenPorts | Should -BeTrue -Because $test.Detail
        $test.MappingRemoved | Should -BeTrue
        Get-MiniUpnpMappedPort $gw.upnp.location | Should -Not -Contain 47003
    }

    It 'Says so when a device answers no UPnP search' {
        Test-IoTUpnpPortMapping -Address $cam.address -Timeout 2 -ErrorVariable upnpErrors `
            -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $upnpErrors[0].FullyQualifiedErrorId |
            Should -Be 'UpnpNotFound,IoTAdmin.Commands.TestIoTUpnpPortMappingCommand'
    }
}

Describe 'Export-IoTFirewallRule' -Tag 'Lab' {
    BeforeAll {
        # nft -c needs CAP_NET_ADMIN; a namespace of our own keeps the check away from the host's firewall.
        $script:namespace = "iotadmin-exposure-$PID"
        & ip netns add $namespace
        $script:folder = Join-Path ([IO.Path]::GetTempPath()) "iotadmin-fw-$PID"
        New-Item -ItemType Directory -Path $folder -Force | Out-Null
        $script:nftPath = Join-Path $folder 'iot.nft'
        $updates = '203.0.113.5', '198.51.100.0/24:8443'
        $devices | Export-IoTFirewallRule -ManagementHost $lab.bridge.address -UpdateServer $updates -Path $nftPath `
            -Force | Out-Null
        $script:nftText = Get-Content -Raw $nftPath
    }

    AfterAll {
        & ip netns del $namespace
        Remove-Item -Recurse -Force $folder
    }

    It 'Writes a ruleset nft -c accepts' {
        $output = & ip netns exec $namespace nft -c -f $nftPath 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output | Out-String)
    }

    It 'Is checked by a check that can fail' {
        $broken = Join-Path $folder 'broken.nft'
        Set-Content -Path $broken -Value ($nftText -replace 'counter drop', 'counter dorp')
        & ip netns exec $namespace nft -c -f $broken 2>&1 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
    }

    It 'Drops Telnet towards every device and never allows port 23' {
        $nftText | Should -Match 'tcp dport 23 counter log prefix "iotadmin telnet " drop'
        $nftText | Should -Not -Match 'dport \{[^}]*\b23\b[^}]*\} accept'
    }

    It 'Lists every lab device and allows their services to the management host' {
        foreach ($device in $lab.devices) {
            $nftText | Should -Match ([regex]::Escape($device.address))
        }

        $nftText | Should -Match "ip daddr $([regex]::Escape($hvac.address)) tcp dport \{ [^}]*443"
    }

    It 'Writes an iptables-restore file that iptables-restore --test accepts' {
        $path = Join-Path $folder 'iot.rules'
        $devices | Export-IoTFirewallRule -ManagementHost $lab.bridge.address -Format IptablesRestore -Path $path |
            Out-Null
        $output = & ip netns exec $namespace iptables-restore --test --noflush $path 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output | Out-String)
    }

    It 'Refuses a management host that is no address' {
        { Export-IoTFirewallRule -Address $cam.address -ManagementHost '10.0.0.0/33' } |
            Should -Throw -ErrorId 'InvalidFirewallAddress,IoTAdmin.Commands.ExportIoTFirewallRuleCommand'
    }
}

Describe 'Disable-IoTService on the camera' -Tag 'Lab' {
    BeforeAll {
        & bash $labScript reset cam1 | Out-Null
        $account = $cam.credentials.ssh
        $secure = ConvertTo-SecureString $account.password -AsPlainText -Force
        $script:root = [pscredential]::new($account.user, $secure)
        $script:knownHosts = Join-Path ([IO.Path]::GetTempPath()) "iotadmin-known-hosts-$PID"
        $script:disk = $cam.disk
    }

    AfterAll {
        & bash $labScript reset cam1 | Out-Null
        Remove-Item -Force $knownHosts -ErrorAction SilentlyContinue
    }

    It 'Finds Telnet open on the camera first' {
        $telnet = Get-IoTService -Address $cam.address -Port 23
        $telnet.Name | Should -Be 'telnet'
    }

    It 'Changes nothing with -WhatIf' {
        Disable-IoTService -Address $cam.address -Name telnet -Credential $root -KnownHostsPath $knownHosts `
            -AcceptNewHostKey -WhatIf | Should -BeNullOrEmpty
        (Get-IoTService -Address $cam.address -Port 23).State.ToString() | Should -Be 'Open'
    }

    It 'Disables Telnet and proves TCP 23 closed from outside' {
        $script:disabled = Disable-IoTService -Address $cam.address -Name telnet -Credential $root `
            -KnownHostsPath $knownHosts -AcceptNewHostKey -Confirm:$false -Verbose 4>&1 3>&1 |
            Tee-Object -Variable everything | Where-Object { $_ -is [IoTAdmin.Engine.Exposure.ServiceDisableResult] }
        $disabled.PortClosed | Should -BeTrue -Because $disabled.Detail
        $disabled.StateBefore.ToString() | Should -Be 'Open'
        $disabled.Actions | Should -Contain 'initd:/etc/init.d/S30telnetd->/etc/init.d/K30telnetd'
        $scan = Get-IoTService -Address $cam.address -Port 23 -IncludeClosed -NoServiceDetection
        $scan.State.ToString() | Should -Be 'Closed'
        ($everything | Out-String -Width 400).Contains($cam.credentials.ssh.password) | Should -BeFalse
    }

    It 'Keeps Telnet off across a reboot of the camera' {
        & bash $labScript restart cam1 | Out-Null
        Test-Path (Join-Path $disk 'etc/init.d/K30telnetd') | Should -BeTrue
        Test-Path (Join-Path $disk 'etc/init.d/S30telnetd') | Should -BeFalse
        $after = Get-IoTService -Address $cam.address -Port 22, 23 -IncludeClosed -NoServiceDetection
        ($after | Where-Object Port -eq 22).State.ToString() | Should -Be 'Open' -Because 'the camera must be up again'
        ($after | Where-Object Port -eq 23).State.ToString() | Should -Be 'Closed'
    }

    It 'Changes nothing on a second run and says Telnet is already off, without an error' {
        $again = Disable-IoTService -Address $cam.address -Name telnetd -Credential $root `
            -KnownHostsPath $knownHosts -Confirm:$false -ErrorVariable againErrors -ErrorAction SilentlyContinue `
            -WarningVariable againWarnings -WarningAction SilentlyContinue
        @($againErrors).Count | Should -Be 0 -Because "$againErrors"
        @($againWarnings).Count | Should -Be 0 -Because 'telnetd has the usual port 23'
        $again.Actions | Should -BeNullOrEmpty
        $again.Detail | Should -Match 'already off \(initd:/etc/init\.d/K30telnetd'
        $again.PortClosed | Should -BeTrue
    }

    It 'Says so when the service does not exist on the device' {
        $found = Disable-IoTService -Address $cam.address -Name nosuchservice -Credential $root `
            -KnownHostsPath $knownHosts -ServicePort 2323 -Confirm:$false -ErrorVariable disableErrors `
            -ErrorAction SilentlyContinue
        $found.Actions | Should -BeNullOrEmpty
        $disableErrors[0].FullyQualifiedErrorId |
            Should -Be 'ServiceNotFound,IoTAdmin.Commands.DisableIoTServiceCommand'
    }
}
