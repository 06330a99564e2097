# Firmware currency and vulnerabilities against the live lab: the camera keeps its firmware version
# in its own files and SNMP agent; the lab catalogue and KEV/CVE files make it outdated and
# known-exploited. Update tests install a real image on cam1, so cam1 is reset before and after.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 3.0
    . (Join-Path $PSScriptRoot 'LabFixture.ps1')
    Import-Module $env:IOTADMIN_MODULE_PATH -Force

    $script:labScript = Join-Path $PSScriptRoot 'lab/lab.sh'
    $script:catalog = Join-Path $PSScriptRoot 'firmware/catalog.json'
    $script:wrongHashCatalog = Join-Path $PSScriptRoot 'firmware/catalog-wrong-hash.json'
    $script:labVulnerabilities = Join-Path $PSScriptRoot 'firmware/vulnerabilities'
    $script:sharedData = if ($env:IOTADMIN_SHARED_DATA) { $env:IOTADMIN_SHARED_DATA } else {
        Join-Path $PSScriptRoot 'data/recordings'
    }
    $script:camera = (Get-LabDevice 'cam1').address

    bash $labScript reset cam1 | Out-Null
    $LASTEXITCODE | Should -Be 0 -Because 'cam1 must start from its factory firmware'
}

AfterAll {
    bash $labScript reset cam1 | Out-Null
}

Describe 'Get-IoTFirmware on the camera' -Tag 'Lab' {
    BeforeAll {
        $script:firmware = Get-IoTFirmware -Address $camera -FirmwareCatalog $catalog -Timeout 3
    }

    It 'Reads the version the camera keeps in ENTITY-MIB, as a device record' {
        $firmware.Version | Should -Be 'V5.4.5 build 170123'
        $firmware.Source | Should -Be 'SnmpEntityMib'
        $firmware.Confidence | Should -Be 'DeviceRecord'
        $firmware.IsBannerGuess | Should -BeFalse
    }

    It 'Names vendor, model and CPE 2.3 names from the catalogue' {
        $firmware.Vendor | Should -Be 'VistaCam'
        $firmware.Product | Should -Be 'VC-2042-IR'
        $firmware.Cpe | Should -BeLike 'cpe:2.3:o:vistacam:vc-2042-ir_firmware:v5\.4\.5_build_170123:*'
        $firmware.HardwareCpe | Should -Be 'cpe:2.3:h:vistacam:vc-2042-ir:-:*:*:*:*:*:*:*'
    }

    It 'Keeps the SSH banner as a component, never as the firmware' {
        $ssh = @($firmware.Readings | Where-Object Source -eq 'SshBanner')
        $ssh.Count | Should -Be 1
        $ssh[0].Kind | Should -Be 'Component'
        $ssh[0].Confidence | Should -Be 'Banner'
    }

    It 'Gives a FirmwareUnknown error and still an object for a device that shows nothing' {
        $silent = Get-IoTFirmware -Address 10.47.0.250 -Timeout 1 -NoBanner -ErrorVariable failed `
            -ErrorAction SilentlyContinue
        $silent.Version | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'FirmwareUnknown*'
    }
}

Describe 'Firmware rules on the camera' -Tag 'Lab' {
    BeforeAll {
        $data = @($labVulnerabilities, (Join-Path $sharedData 'kev'))
        $script:results = Test-IoTBaseline -Address $camera -Rule 'IOT-FW-*' -FirmwareCatalog $catalog `
            -VulnerabilityData $data -Timeout 3 -WarningAction SilentlyContinue
        function Get-Result([string] $RuleId) { $results | Where-Object RuleId -eq $RuleId }
    }

    It 'Flags the camera as outdated, naming the source of its version' {
        $outdated = Get-Result 'IOT-FW-OUTDATED'
        $outdated.Outcome | Should -Be 'Fail'
        $outdated.Evidence | Should -Match 'V5\.4\.5 build 170123 read from SNMP ENTITY-MIB \(device record\)'
        $outdated.Evidence | Should -Match 'V5\.5\.0 build 170928'
        $outdated.Measures | Should -Contain 'SYS.4.4.M3'
    }

    It 'Flags the camera as known-exploited, as certain, with the KEV entry' {
        $kev = Get-Result 'IOT-FW-KEV'
        $kev.Outcome | Should -Be 'Fail'
        $kev.Severity | Should -Be 'Critical'
        $kev.Evidence | Should -Match '^affected by known-exploited CVE-2017-90001'
        $kev.Evidence | Should -Match 'SNMP ENTITY-MIB'
    }

    It 'Flags the camera as past its end of support' {
        (Get-Result 'IOT-FW-EOS').Outcome | Should -Be 'Fail'
    }

    It 'Flags automatic updates off and over plain HTTP, read from the web admin with its login' {
        $login = (Get-LabDevice 'cam1').credentials.http
        $web = [pscredential]::new($login.user, (ConvertTo-SecureString $login.password -AsPlainText -Force))
        $auto = Test-IoTBaseline -Address $camera -Rule 'IOT-FW-AUTOUPDATE' -FirmwareCatalog $catalog `
            -AdminCredential $web -Timeout 3 -WarningAction SilentlyContinue
        $auto.Outcome | Should -Be 'Fail'
        $auto.Evidence | Should -Match 'automatic updates are off'
        $auto.Evidence | Should -Match 'plain HTTP from http://update\.vistacam\.example'
        $auto.Evidence | Should -Not -Match 'admin:'
    }

    It 'Is an Error, not a guess, when the settings page needs a login it was not given' {
        (Get-Result 'IOT-FW-AUTOUPDATE').Outcome | Should -Be 'Error'
        (Get-Result 'IOT-FW-AUTOUPDATE').Evidence | Should -Match '401'
    }

    It 'Says NotChecked, not NotApplicable, without a catalogue or vulnerability data' {
        $bare = Test-IoTBaseline -Address $camera -Rule 'IOT-FW-*' -Timeout 3
        $bare.Outcome | Sort-Object -Unique | Should -Be 'NotChecked'
        $bare.Evidence | Where-Object { $_ -notmatch '-FirmwareCatalog|-VulnerabilityData' } | Should -BeNullOrEmpty
    }
}

Describe 'Vulnerability data samples' -Tag 'CI' {
    It 'Parses the whole CISA KEV sample' {
        $kev = [IoTAdmin.Engine.Vulnerabilities.VulnerabilityData]::Load([string[]] @(Join-Path $sharedData 'kev'))
        $kev.KnownExploited.Count | Should -Be 1404
        $kev.KevCatalogVersion | Should -Be '2025.08.25'
        $kev.Problems.Count | Should -Be 0
    }

    It 'Parses the NVD API 2.0 and CVE JSON 5 samples with their CPE configurations' {
        $cve = [IoTAdmin.Engine.Vulnerabilities.VulnerabilityData]::Load([string[]] @(Join-Path $sharedData 'cve'))
        $cve.Records.Count | Should -Be 5
        $cve.FindRecord('CVE-2023-1389').Configurations.Count | Should -BeGreaterThan 0
        $cve.FindRecord('CVE-2023-21413').Format | Should -Be 'CveJson5'
    }
}

Describe 'Update-IoTFirmware and Restart-IoTDevice on the camera' -Tag 'Lab' {
    BeforeAll {
        bash $labScript reset cam1 | Out-Null
        $script:ssh = (Get-LabDevice 'cam1').credentials.ssh
        $script:root = [pscredential]::new($ssh.user, (ConvertTo-SecureString $ssh.password -AsPlainText -Force))
        $script:knownHosts = Join-Path ([IO.Path]::GetTempPath()) "iotadmin-fw-$PID.known_hosts"
        $script:sshOptions = @{ Credential = $root; AcceptNewHostKey = $true; KnownHostsPath = $knownHosts }

        function Invoke-Camera([string] $Command) {
            # The lab's own SSH client, so these checks do not depend on the module under test.
            $env:SSHPASS = $script:ssh.password
            try {
                sshpass -e ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR `
                    -o PubkeyAuthentication=no -o ConnectTimeout=5 "root@$camera" $Command
            }
            finally {
                Remove-Item Env:SSHPASS
            }
        }
    }

    AfterAll {
        Remove-Item $knownHosts -ErrorAction SilentlyContinue
    }

    It 'Reads the version file over SSH first, as a device record' {
        $firmware = Get-IoTFirmware -Address $camera -NoBanner @sshOptions
        $firmware.Source | Should -Be 'DeviceFile'
        $firmware.Version | Should -Be 'V5.4.5 build 170123'
        ($firmware.Readings | Where-Object Detail -eq '/etc/firmware-release').Confidence | Should -Be 'DeviceRecord'
    }

    It 'Refuses an image whose hash differs from the catalogue, before anything is uploaded' {
        $result = Update-IoTFirmware -Address $camera -FirmwareCatalog $wrongHashCatalog @sshOptions -Confirm:$false `
            -ErrorVariable failed -ErrorAction SilentlyContinue

        $result.Status | Should -Be 'Refused'
        $result.Message | Should -Match 'image rejected before upload: .*SHA-256'
        $result.Steps.Count | Should -Be 0
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'FirmwareImageRejected*'
        Invoke-Camera 'ls /tmp/firmware.img 2>&1; cat /var/log/firmware.log 2>&1' | Should -Not -Match 'fw-upgrade'
        (Get-IoTFirmware -Address $camera -NoBanner).Version | Should -Be 'V5.4.5 build 170123'
    }

    It 'Says a dead device could not be read, and still updates nothing on the live one' {
        $results = Update-IoTFirmware -Address '10.47.0.99', $camera -FirmwareCatalog $wrongHashCatalog @sshOptions `
            -Timeout 2 -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue

        $dead = $results | Where-Object Address -eq '10.47.0.99'
        $dead.Status | Should -Be 'Refused'
        $dead.Message | Should -Match 'could not be read'
        $dead.Message | Should -Not -Match '\? \?'
        ($results | Where-Object Address -eq $camera).Status | Should -Be 'Refused'
    }

    It 'Reports a device that refuses the image, which keeps its old firmware' {
        $wrongModel = Join-Path $PSScriptRoot 'firmware/catalog-wrong-model.json'
        $result = Update-IoTFirmware -Address $camera -FirmwareCatalog $wrongModel @sshOptions -Confirm:$false `
            -ErrorVariable failed -ErrorAction SilentlyContinue

        $result.Status | Should -Be 'Failed'
        $result.Message | Should -Match 'exit status 3'
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'FirmwareUpdateFailed*'
        (Get-IoTFirmware -Address $camera -NoBanner).Version | Should -Be 'V5.4.5 build 170123'
    }

    It 'Sends nothing with -WhatIf' {
        Update-IoTFirmware -Address $camera -FirmwareCatalog $catalog @sshOptions -WhatIf | Should -BeNullOrEmpty
        (Get-IoTFirmware -Address $camera -NoBanner).Version | Should -Be 'V5.4.5 build 170123'
    }

    It 'Installs the right image, waits for the camera and reads its new version' {
        $result = Update-IoTFirmware -Address $camera -FirmwareCatalog $catalog @sshOptions -Confirm:$false

        $result.Status | Should -Be 'Updated'
        $result.Canary | Should -BeTrue
        $result.PreviousVersion | Should -Be 'V5.4.5 build 170123'
        $result.NewVersion | Should -Be 'V5.5.0 build 170928'
        $result.Steps -join "`n" | Should -Match 'the device computed the same SHA-256'
        $after = Get-IoTFirmware -Address $camera -NoBanner
        $after.Version | Should -Be 'V5.5.0 build 170928'
        $after.Source | Should -Be 'SnmpEntityMib'
    }

    It 'Leaves a camera that runs the latest version alone' {
        (Update-IoTFirmware -Address $camera -FirmwareCatalog $catalog @sshOptions -Confirm:$false).Status |
            Should -Be 'AlreadyCurrent'
    }

    It 'Finds a planted bot before the restart, restarts the camera and sees its services back' {
        # A bot-like process: a busybox copy named nc (so it runs that applet) started from /tmp, then deleted.
        Invoke-Camera ('mkdir -p /tmp/.k && cp /bin/busybox /tmp/.k/nc && (setsid /tmp/.k/nc -ll -p 2323 ' +
            '-e /bin/true </dev/null >/dev/null 2>&1 &); sleep 1; rm -rf /tmp/.k') | Out-Null

        $result = Restart-IoTDevice -Address $camera -Command 'kill -QUIT 1' -ReturnTimeout 60 @sshOptions `
            -Confirm:$false -WarningVariable signs -WarningAction SilentlyContinue

        $result.Status | Should -Be 'Restarted'
        $result.ServicesAfter | Should -Contain 22
        $result.ServicesBefore | ForEach-Object { $result.ServicesAfter | Should -Contain $_ }
        $result.MalwareSigns.Kind | Should -Contain 'DeletedExecutable'
        $listeners = ($result.MalwareSigns | Where-Object Kind -eq 'SuspiciousListener').Detail -join ' '
        $listeners | Should -Match 'tcp/2323 is listened on by process \d+ \(/tmp/\.k/nc \(deleted\)\)'
        $signs.Count | Should -BeGreaterThan 0
        Invoke-Camera 'ps -o args' | Should -Not -Match '/tmp/\.k/nc'
        $result.Message | Should -Match 'none of the \d+ processes from before still runs'
    }

    It 'Says a restart command that restarted nothing did not restart the device' {
        $result = Restart-IoTDevice -Address $camera -Command 'true' -ReturnTimeout 5 -SkipMalwareCheck @sshOptions `
            -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $result.Status | Should -Be 'NotRestarted' -Because $result.Message
        $result.Survivors -join ' ' | Should -Match '\(dropbear\)'
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'DeviceNotRestarted*'
    }
}
