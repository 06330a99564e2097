# Every change a cmdlet makes lands in the action log (SYS.4.4 M18): inventory changes without the lab,
# device changes on cam1 (reset before and after). -WhatIf records nothing, failures are recorded with
# their reason, no secret reaches the log, and the log stays intact.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 3.0
    . (Join-Path $PSScriptRoot 'LabFixture.ps1')
    Import-Module $env:IOTADMIN_MODULE_PATH -Force

    $script:savedEnvironment = @{}
    foreach ($name in 'IOTADMIN_ACTION_LOG', 'IOTADMIN_ACTION_LOG_KEY', 'IOTADMIN_ACTION_LOG_ANCHOR',
        'IOTADMIN_ACTION_LOG_SYSLOG', 'IOTADMIN_KNOWN_HOSTS') {
        $savedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }

    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) ("iotadmin-rec-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:logPath = Join-Path $work 'log/actions.jsonl'
    $env:IOTADMIN_ACTION_LOG = $logPath
    $env:IOTADMIN_ACTION_LOG_KEY = Join-Path $work 'key/action-log.key'
    $env:IOTADMIN_KNOWN_HOSTS = Join-Path $work 'known_hosts'
    $script:inventory = Join-Path $work 'inventory.db'

    function Get-NewEntries([int] $After) {
        @(Get-IoTActionLog | Where-Object Sequence -gt $After)
    }

    function Get-LastSequence {
        $last = @(Get-IoTActionLog) | Select-Object -Last 1
        if ($last) { $last.Sequence } else { 0 }
    }
}

AfterAll {
    foreach ($name in $savedEnvironment.Keys) {
        [Environment]::SetEnvironmentVariable($name, $savedEnvironment[$name])
    }

    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

Describe 'Inventory changes in the action log' -Tag 'CI' {
    It 'Records one entry per batch of Add-IoTDevice, naming its devices' {
        '10.99.1.1', '10.99.1.2' | ForEach-Object { [pscustomobject]@{ Address = $_; Profile = 'Camera' } } |
            Add-IoTDevice -InventoryPath $inventory

        $entries = @(Get-NewEntries 0)
        $entries.Count | Should -Be 1
        $entries[0].Action | Should -Be 'Add-IoTDevice'
        $entries[0].Device | Should -Be '2 devices'
        $entries[0].Outcome | Should -Be 'Success'
        $entries[0].Message | Should -Match '10\.99\.1\.1, 10\.99\.1\.2'
    }

    It 'Records Set-IoTDevice with the parameters it was given' {
        $before = Get-LastSequence
        Set-IoTDevice -InventoryPath $inventory -Address 10.99.1.1 -Owner 'Facility management'

        $entry = @(Get-NewEntries $before)
        $entry.Count | Should -Be 1
        $entry[0].Action | Should -Be 'Set-IoTDevice'
        $entry[0].Device | Should -Be '10.99.1.1'
        $entry[0].Parameters['Owner'] | Should -Be 'Facility management'
    }

    It 'Records nothing under -WhatIf' {
        $before = Get-LastSequence
        Remove-IoTDevice -InventoryPath $inventory -Address 10.99.1.2 -WhatIf

        Get-NewEntries $before | Should -BeNullOrEmpty
        Get-IoTDevice -InventoryPath $inventory -Address 10.99.1.2 | Should -Not -BeNullOrEmpty
    }

    It 'Records a refused change as Failed with its reason' {
        $before = Get-LastSequence
        Remove-IoTDevice -InventoryPath $inventory -Address 10.99.1.9 -Confirm:$false -ErrorAction SilentlyContinue `
            -ErrorVariable refused

        $refused.Count | Should -Be 1
        $entry = @(Get-NewEntries $before)
        $entry[0].Outcome | Should -Be 'Failed'
        $entry[0].Message | Should -Match '10\.99\.1\.9'
    }
}

Describe 'Device changes on cam1 in the action log' -Tag 'Lab' {
    BeforeAll {
        $script:labScript = Join-Path $PSScriptRoot 'lab/lab.sh'
        bash $labScript reset cam1 | Out-Null
        $script:cam = Get-LabDevice 'cam1'
        $script:oldPassword = $cam.credentials.ssh.password
        $script:newPassword = 'Rec-' + [guid]::NewGuid().ToString('N').Substring(0, 16) + '!'
        $script:root = [pscredential]::new('root', (ConvertTo-SecureString $oldPassword -AsPlainText -Force))
        $script:before = Get-LastSequence

        Disable-IoTService -Address $cam.address -Name telnet -Credential $root -AcceptNewHostKey -Confirm:$false |
            Out-Null
        $script:rotated = Set-IoTPassword -Address $cam.address -Credential $root -Confirm:$false `
            -NewPassword (ConvertTo-SecureString $newPassword -AsPlainText -Force)
        # The old password no longer logs in: this rotation fails and must be recorded as Failed.
        Set-IoTPassword -Address $cam.address -Credential $root -Generate -Confirm:$false `
            -ErrorAction SilentlyContinue -ErrorVariable script:failedRotation | Out-Null
        $script:entries = @(Get-NewEntries $before)
    }

    AfterAll {
        bash $labScript reset cam1 | Out-Null
    }

    It 'Records the service switched off' {
        $disabled = $entries | Where-Object Action -eq 'Disable-IoTService'
        @($disabled).Count | Should -Be 1
        $disabled.Device | Should -Be $cam.address
        $disabled.Outcome | Should -Be 'Success'
        $disabled.Parameters['Name'] | Should -Be 'telnet'
    }

    It 'Records the rotation with the account, and the failed one with its reason' {
        $rotations = @($entries | Where-Object Action -eq 'Set-IoTPassword')
        $rotations.Count | Should -Be 2
        $rotations[0].Outcome | Should -Be 'Success'
        $rotations[0].Parameters['Account'] | Should -Be 'root'
        $failedRotation.Count | Should -BeGreaterThan 0
        $rotations[1].Outcome | Should -Be 'Failed'
        $rotations[1].Message | Should -Not -BeNullOrEmpty
    }

    It 'Writes neither the old nor the new password into the log' {
        $raw = Get-Content -Raw $logPath
        $raw | Should -Not -Match ([regex]::Escape($oldPassword))
        $raw | Should -Not -Match ([regex]::Escape($newPassword))
        $raw | Should -Not -Match ([regex]::Escape($rotated.GetNetworkCredential().Password))
    }

    It 'Leaves a log that Test-IoTActionLog finds intact' {
        $result = Test-IoTActionLog
        $result.Problems | Should -BeNullOrEmpty
        $result.IsIntact | Should -BeTrue
    }
}
