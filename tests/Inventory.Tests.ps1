# The inventory: the SQLite store as the module ships it, CSV round trips, concurrent writers, and the
# device lifecycle (add, approve, put into production, decommission) against the live lab.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 3.0
    . (Join-Path $PSScriptRoot 'LabFixture.ps1')
    Import-Module $env:IOTADMIN_MODULE_PATH -Force
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "iotadmin-inventory-$PID"
    New-Item -ItemType Directory -Force $work | Out-Null

    function Invoke-FreshPwsh {
        # A new PowerShell process, so the module and its native SQLite load from out/ as a user's would.
        param([string] $Script, [string[]] $ArgumentList = @())

        $path = Join-Path $work "child-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content -Path $path -Value $Script
        $pwsh = Join-Path $PSHOME 'pwsh.dll'
        $arguments = @($pwsh, '-NoProfile', '-NonInteractive', '-File', $path) + $ArgumentList
        $quoted = $arguments | ForEach-Object { "`"$_`"" }
        $process = Start-Process -FilePath ([Environment]::ProcessPath) -PassThru -NoNewWindow `
            -ArgumentList $quoted -RedirectStandardOutput "$path.out" -RedirectStandardError "$path.err"
        return [pscustomobject]@{ Process = $process; Out = "$path.out"; Err = "$path.err" }
    }

    function Wait-FreshPwsh {
        # Waits (bounded) for a child and returns its last output line; a failed child fails the test.
        param($Child)

        $Child.Process.WaitForExit(120000) | Should -BeTrue
        $Child.Process.ExitCode | Should -Be 0 -Because (Get-Content -Raw $Child.Err)
        return Get-Content $Child.Out | Select-Object -Last 1
    }

    function New-TestInventoryPath {
        return Join-Path $work "$([guid]::NewGuid().ToString('N')).db"
    }
}

AfterAll {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

Describe 'The inventory store as shipped' -Tag 'CI' {
    It 'Loads the native SQLite from the module folder in a fresh pwsh' {
        $inventory = New-TestInventoryPath
        $child = Invoke-FreshPwsh -Script @'
param($ModulePath, $InventoryPath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Add-IoTDevice -Address 10.0.0.1 -Name probe -InventoryPath $InventoryPath
$count = @(Get-IoTDevice -InventoryPath $InventoryPath).Count
$native = Get-Content "/proc/$PID/maps" | Where-Object { $_ -match 'e_sqlite3' } | Select-Object -First 1
"$count|$(($native -split '\s+')[-1])"
'@ -ArgumentList $env:IOTADMIN_MODULE_PATH, $inventory
        $count, $native = (Wait-FreshPwsh $child) -split '\|'
        $count | Should -Be '1'
        $moduleBase = Split-Path $env:IOTADMIN_MODULE_PATH
        $native | Should -BeLike (Join-Path $moduleBase 'runtimes/*/native/libe_sqlite3.so')
    }

    It 'Uses $env:IOTADMIN_INVENTORY when no -InventoryPath is given' {
        $inventory = New-TestInventoryPath
        $runInventory = $env:IOTADMIN_INVENTORY
        $env:IOTADMIN_INVENTORY = $inventory
        try {
            Add-IoTDevice -Address 10.0.0.7 -Name from-env
            (Get-IoTDevice -Name from-env).Address | Should -Be '10.0.0.7'
        }
        finally {
            $env:IOTADMIN_INVENTORY = $runInventory
        }

        Test-Path $inventory | Should -BeTrue
    }

    It 'Refuses -Vault without SecretManagement before touching anything' {
        $inventory = New-TestInventoryPath
        { Invoke-IoTDecommission -Address 10.0.0.9 -InventoryPath $inventory -Vault Any -Confirm:$false } |
            Should -Throw -ErrorId 'SecretManagementMissing,IoTAdmin.Commands.InvokeIoTDecommissionCommand'
        Test-Path $inventory | Should -BeFalse
    }

    It 'Refuses a folder given as the inventory with a clear error' {
        $folder = Join-Path $work "inventory-folder-$PID"
        New-Item -ItemType Directory -Path $folder -Force | Out-Null
        { Get-IoTDevice -InventoryPath $folder } |
            Should -Throw -ErrorId 'InventoryPathIsFolder,IoTAdmin.Commands.GetIoTDeviceCommand'
        { Add-IoTDevice -InventoryPath $folder -Address 10.0.0.8 -Confirm:$false } |
            Should -Throw -ErrorId 'InventoryPathIsFolder,IoTAdmin.Commands.AddIoTDeviceCommand'
        @(Get-ChildItem $folder).Count | Should -Be 0
    }

    It 'Reads a missing inventory as empty without creating it' {
        $inventory = New-TestInventoryPath
        Get-IoTDevice -InventoryPath $inventory | Should -BeNullOrEmpty
        Test-Path $inventory | Should -BeFalse
    }

    It 'Refuses a damaged file with InventoryCorrupt and leaves it unchanged' {
        $inventory = New-TestInventoryPath
        [IO.File]::WriteAllBytes($inventory, [byte[]](1..4096 | ForEach-Object { $_ % 251 }))
        $before = (Get-FileHash $inventory -Algorithm SHA256).Hash

        $thrown = { Get-IoTDevice -InventoryPath $inventory } | Should -Throw -PassThru
        $thrown.FullyQualifiedErrorId | Should -BeLike 'InventoryCorrupt,*'
        $thrown.Exception.Message | Should -BeLike "*$inventory*left untouched*"
        (Get-FileHash $inventory -Algorithm SHA256).Hash | Should -Be $before
    }
}

Describe 'Adding, filtering and changing entries' -Tag 'CI' {
    BeforeAll {
        $script:inventory = New-TestInventoryPath
        @(
            [pscustomobject]@{ Address = '10.1.0.1'; Name = 'cam-gate'; Profile = 'Camera'; Tags = 'cctv;north' }
            [pscustomobject]@{ Address = '10.1.0.2'; Name = 'cam-yard'; Profile = 'Camera'; Tags = 'cctv' }
            [pscustomobject]@{ Address = '10.1.0.3'; Name = 'ahu-1'; Profile = 'BuildingControl'; Tags = 'north' }
        ) | Add-IoTDevice -InventoryPath $inventory -Owner 'Facility'
    }

    It 'Filters by <Filter>' -ForEach @(
        @{ Filter = 'name wildcard'; Parameters = @{ Name = 'CAM-*' }; Expected = '10.1.0.1', '10.1.0.2' }
        @{ Filter = 'address wildcard'; Parameters = @{ Address = '10.1.0.[23]' }; Expected = '10.1.0.2', '10.1.0.3' }
        @{ Filter = 'tag'; Parameters = @{ Tag = 'north' }; Expected = '10.1.0.1', '10.1.0.3' }
        @{ Filter = 'profile'; Parameters = @{ Profile = 'BuildingControl' }; Expected = @('10.1.0.3') }
        @{ Filter = 'state'; Parameters = @{ State = 'Planned' }; Expected = '10.1.0.1', '10.1.0.2', '10.1.0.3' }
        @{ Filter = 'tag and profile'; Parameters = @{ Tag = 'north'; Profile = 'Camera' }; Expected = @('10.1.0.1') }
    ) {
        @(Get-IoTDevice -InventoryPath $inventory @Parameters).IPAddress | Should -Be $Expected
    }

    It 'Merges a known address instead of duplicating it' {
        Add-IoTDevice -InventoryPath $inventory -Address 10.1.0.1 -Location 'Gate 1' -Tag 'entrance'
        $entries = @(Get-IoTDevice -InventoryPath $inventory -Address 10.1.0.1 -IncludeHistory)
        $entries.Count | Should -Be 1
        $entries[0].Location | Should -Be 'Gate 1'
        $entries[0].Name | Should -Be 'cam-gate'
        $entries[0].Tags.ToString() | Should -Be 'cctv;entrance;north'
        $entries[0].History.Action | Should -Be 'Added', 'Merged'
    }

    It 'Changes, clears and records with Set-IoTDevice' {
        $changed = Set-IoTDevice -InventoryPath $inventory -Address 10.1.0.2 -Owner 'Security' -Clear Tags -PassThru
        $changed.Owner | Should -Be 'Security'
        @($changed.Tags).Count | Should -Be 0
        $changed.History[-1].Detail | Should -BeLike "*Owner: 'Facility' -> 'Security'*"
    }

    It 'Refuses a state change the lifecycle does not allow' {
        Set-IoTDevice -InventoryPath $inventory -Address 10.1.0.3 -State Productive -ErrorVariable refused `
            -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'InvalidLifecycleTransition,*'
        (Get-IoTDevice -InventoryPath $inventory -Address 10.1.0.3).State.ToString() | Should -Be 'Planned'
    }

    It 'Deletes with Remove-IoTDevice and reports an unknown address' {
        Remove-IoTDevice -InventoryPath $inventory -Address 10.1.0.2 -Confirm:$false
        Remove-IoTDevice -InventoryPath $inventory -Address 10.1.0.2 -Confirm:$false -ErrorVariable missing `
            -ErrorAction SilentlyContinue
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'DeviceNotFound,*'
        @(Get-IoTDevice -InventoryPath $inventory).IPAddress | Should -Not -Contain '10.1.0.2'
    }

    It 'Changes nothing under -WhatIf' {
        Remove-IoTDevice -InventoryPath $inventory -Address 10.1.0.3 -WhatIf
        Set-IoTDevice -InventoryPath $inventory -Address 10.1.0.3 -Owner 'Nobody' -WhatIf
        (Get-IoTDevice -InventoryPath $inventory -Address 10.1.0.3).Owner | Should -Be 'Facility'
    }
}

Describe 'CSV round trips' -Tag 'CI' {
    BeforeAll {
        $script:source = New-TestInventoryPath
        Add-IoTDevice -InventoryPath $source -Address 10.2.0.1 -Name 'gw-a' -Profile Gateway -Owner 'Net team' `
            -Location 'Rack 4' -Tag 'wan', 'core' -CredentialReference 'vault:gw-a' -Vendor 'HomeGate' -Model 'HG-3000'
        Add-IoTDevice -InventoryPath $source -Address 10.2.0.2 -Name 'cam-b' -Profile Camera
        $script:csv = Join-Path $work 'export.csv'
        Get-IoTDevice -InventoryPath $source | Export-Csv -Path $csv -NoTypeInformation
    }

    It 'Reads an export back into a new inventory field for field' {
        $target = New-TestInventoryPath
        Import-Csv $csv | Add-IoTDevice -InventoryPath $target
        $fields = 'Address', 'Name', 'Vendor', 'Model', 'Profile', 'Owner', 'Location', 'CredentialReference'
        $columns = $fields + @{ n = 'Tags'; e = { "$($_.Tags)" } }
        $expected = Get-IoTDevice -InventoryPath $source | Select-Object $columns
        $actual = Get-IoTDevice -InventoryPath $target | Select-Object $columns
        ($actual | ConvertTo-Json) | Should -Be ($expected | ConvertTo-Json)
    }

    It 'Merges duplicate addresses of one file into one entry' {
        $target = New-TestInventoryPath
        $path = Join-Path $work 'duplicates.csv'
        "Address,Name,Tags`n10.3.0.1,first,a`n10.3.0.1,,b" | Set-Content $path
        Import-Csv $path | Add-IoTDevice -InventoryPath $target
        $entries = @(Get-IoTDevice -InventoryPath $target)
        $entries.Count | Should -Be 1
        $entries[0].Name | Should -Be 'first'
        $entries[0].Tags.ToString() | Should -Be 'a;b'
    }

    It 'Ignores extra columns' {
        $target = New-TestInventoryPath
        $path = Join-Path $work 'extra.csv'
        "Address,Name,Colour`n10.3.0.2,lamp,green" | Set-Content $path
        Import-Csv $path | Add-IoTDevice -InventoryPath $target
        (Get-IoTDevice -InventoryPath $target).Name | Should -Be 'lamp'
    }

    It 'Gives a clear error for each row without an address and adds nothing from them' {
        $target = New-TestInventoryPath
        $path = Join-Path $work 'no-address.csv'
        "Name,Owner`nlamp,me`nfan,you" | Set-Content $path
        Import-Csv $path | Add-IoTDevice -InventoryPath $target -ErrorVariable bad -ErrorAction SilentlyContinue
        @($bad).Count | Should -Be 2
        "$($bad[0])" | Should -Match 'Address'
        @(Get-IoTDevice -InventoryPath $target).Count | Should -Be 0
    }

    It 'Rejects a bad address or profile per row and keeps the good rows' {
        $target = New-TestInventoryPath
        $path = Join-Path $work 'bad-values.csv'
        "Address,Profile`nnot-an-ip,Camera`n10.3.0.3,Toaster`n10.3.0.4,Camera" | Set-Content $path
        Import-Csv $path | Add-IoTDevice -InventoryPath $target -ErrorVariable bad -ErrorAction SilentlyContinue
        $ids = $bad.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] }
        $ids | Should -Be 'InvalidAddress', 'InvalidProfile'
        @(Get-IoTDevice -InventoryPath $target).IPAddress | Should -Be @('10.3.0.4')
    }
}

Describe 'Two pwsh processes writing to one inventory at once' -Tag 'CI' {
    It 'Loses no row and no tag' {
        $inventory = New-TestInventoryPath
        $writer = @'
param($ModulePath, $InventoryPath, $Writer)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
foreach ($round in 1..20) {
    1..10 | ForEach-Object { [pscustomobject]@{ Address = "10.$Writer.$round.$_"; Tags = "w$Writer" } } |
        Add-IoTDevice -InventoryPath $InventoryPath
    Add-IoTDevice -InventoryPath $InventoryPath -Address 10.99.0.1 -Tag "w$Writer-$round"
}
'@
        $children = 1, 2 | ForEach-Object {
            Invoke-FreshPwsh -Script $writer -ArgumentList $env:IOTADMIN_MODULE_PATH, $inventory, $_
        }
        foreach ($child in $children) {
            Wait-FreshPwsh $child | Out-Null
        }

        @(Get-IoTDevice -InventoryPath $inventory -Tag w1).Count | Should -Be 200
        @(Get-IoTDevice -InventoryPath $inventory -Tag w2).Count | Should -Be 200
        $shared = Get-IoTDevice -InventoryPath $inventory -Address 10.99.0.1 -IncludeHistory
        @($shared.Tags).Count | Should -Be 40
        @($shared.History).Count | Should -Be 40
    }
}

Describe 'The lifecycle of the lab devices' -Tag 'Lab' {
    BeforeAll {
        $script:inventory = New-TestInventoryPath
        $script:lab = Get-LabDescription
        $script:camera = Get-LabDevice 'cam1'
        $script:controller = Get-LabDevice 'hvac1'
        $script:gateway = Get-LabDevice 'gw1'
        $script:discovered = Get-IoTDevice -Discover -Subnet $lab.bridge.subnet -InterfaceAddress $lab.bridge.address `
            -Timeout 4 -ErrorAction SilentlyContinue
        $discovered | Add-IoTDevice -InventoryPath $inventory -Tag 'lab' -Owner 'Lab team'
    }

    It 'Adds every lab device once, with the profile discovery gave it' {
        $discovered | Add-IoTDevice -InventoryPath $inventory -Location 'Lab rack'
        foreach ($device in $lab.devices) {
            $entries = @(Get-IoTDevice -InventoryPath $inventory -Address $device.address)
            $entries.Count | Should -Be 1 -Because "$($device.name) must not be duplicated"
            $entries[0].Profile.ToString() | Should -Be $device.profile
            $entries[0].Location | Should -Be 'Lab rack'
            $entries[0].State.ToString() | Should -Be 'Planned'
        }
    }

    It 'Refuses to approve cam1, whose baseline fails, and records the refusal' {
        Approve-IoTDevice -InventoryPath $inventory -Address $camera.address -Note 'CHG-1' -Timeout 2 `
            -ErrorVariable refused -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'ApprovalRefused,*'
        "$($refused[0])" | Should -Match 'IOT-CRED-HTTP \(Fail\)'
        $entry = Get-IoTDevice -InventoryPath $inventory -Address $camera.address -IncludeHistory
        $entry.State.ToString() | Should -Be 'Planned'
        $entry.History[-1].Action | Should -Be 'ApprovalRefused'
    }

    It 'Approves hvac1 and records who, when, the baseline result and the note' {
        $before = [DateTimeOffset]::UtcNow.AddSeconds(-1)
        $approved = Approve-IoTDevice -InventoryPath $inventory -Address $controller.address -Timeout 2 `
            -Note 'CHG-2 AHU go-live' -WarningVariable unchecked -WarningAction SilentlyContinue
        $approved.State.ToString() | Should -Be 'Approved'
        $approved.ApprovedBy | Should -Be ([Environment]::UserName)
        $approved.ApprovedAt | Should -BeGreaterThan $before
        $approved.ApprovalBaseline | Should -Match '\d+ Pass'
        $approved.ApprovalBaseline | Should -Not -Match 'Fail'
        $approved.ApprovalNote | Should -Be 'CHG-2 AHU go-live'

        # Without a catalogue the firmware rules were not checked: the record and a warning say so.
        $approved.ApprovalBaseline | Should -Match 'not checked: .*IOT-FW-'
        "$unchecked" | Should -Match 'not checked: .*IOT-FW-.*-FirmwareCatalog'
    }

    It 'Puts the approved hvac1 into production' {
        $productive = Set-IoTDevice -InventoryPath $inventory -Address $controller.address -State Productive -PassThru
        $productive.State.ToString() | Should -Be 'Productive'
        $productive.History[-1].Detail | Should -Be 'Approved -> Productive'
    }

    It 'Approves gw1 only when each of its failures has a waiver in force' {
        Approve-IoTDevice -InventoryPath $inventory -Address $gateway.address -Note 'no waiver' -Timeout 2 `
            -ErrorVariable refused -ErrorAction SilentlyContinue
        "$($refused[0])" | Should -Match 'IOT-UPNP-IGD'

        Set-IoTDevice -InventoryPath $inventory -Address $gateway.address -Tag 'lab', 'waived-gw'
        $baseline = Join-Path $work 'waivers.psd1'
        Set-Content -Path $baseline -Value @"
@{
    Name = 'Lab-Waivers'
    Extends = 'SYS.4.4-Basic'
    Waivers = @(
        @{ Rule = 'IOT-UPNP-IGD'; Tag = 'waived-gw'; Reason = 'Lab gateway'; Owner = 'lab'; Expires = '2099-12-31' }
        @{ Rule = 'IOT-MQTT-ANON'; Tag = 'waived-gw'; Reason = 'Lab broker'; Owner = 'lab'; Expires = '2099-12-31' }
        @{ Rule = 'IOT-SSH-STDPORT'; Tag = 'waived-gw'; Reason = 'LAN only'; Owner = 'lab'; Expires = '2099-12-31' }
    )
}
"@
        $approved = Approve-IoTDevice -InventoryPath $inventory -Address $gateway.address -Baseline $baseline `
            -Timeout 2 -Note 'CHG-3 with waivers'
        $approved.State.ToString() | Should -Be 'Approved'
        $approved.ApprovalBaseline | Should -Match 'Waived'
        $approved.ApprovalBaseline | Should -Match 'IOT-UPNP-IGD by waiver'
    }
}

Describe 'Decommissioning a lab device' -Tag 'Lab' {
    BeforeAll {
        # gw1 is wiped here, so it starts and ends in factory state for everyone else.
        $script:labScript = Join-Path $PSScriptRoot 'lab/lab.sh'
        & bash $labScript reset gw1 | Out-Null
        $script:gateway = Get-LabDevice 'gw1'
        $script:disk = $gateway.disk
        $script:inventory = New-TestInventoryPath
        $script:knownHosts = Join-Path $work 'known_hosts_gw1'
        $script:backups = Join-Path $work 'backups'
        $script:paired = [IO.File]::ReadAllBytes((Join-Path $disk 'data/paired-devices.txt'))
        $script:pairedHash = (Get-FileHash (Join-Path $disk 'data/paired-devices.txt') -Algorithm SHA256).Hash
        Add-IoTDevice -InventoryPath $inventory -Address $gateway.address -Name gw1 -Profile Gateway `
            -CredentialReference 'lab.json:gw1/ssh'
        $script:ruleset = Join-Path $work 'segment.nft'
        Export-IoTFirewallRule -Address $gateway.address, '10.47.0.11' -ManagementHost '10.47.0.1' -Path $ruleset `
            -InventoryPath $inventory | Out-Null
        $script:rulesetBefore = Get-Content -Raw $ruleset

        # Microsoft.PowerShell.SecretManagement is not served to this build: a stand-in with its two commands
        # shows which secrets the decommission removes, and that another device's stay.
        $global:IoTAdminTestVault = @{ "IoTAdmin/$($gateway.address)/root" = 1; 'IoTAdmin/10.47.0.11/root' = 1 }
        function global:Get-SecretInfo([string] $Name, [string] $Vault) {
            $global:IoTAdminTestVault.Keys | Where-Object { $_ -like $Name } | ForEach-Object {
                [pscustomobject]@{ Name = $_; VaultName = $Vault } }
        }
        function global:Remove-Secret([string] $Name, [string] $Vault) { $global:IoTAdminTestVault.Remove($Name) }
        $password = ConvertTo-SecureString $gateway.credentials.ssh.password -AsPlainText -Force
        $script:ssh = @{
            Credential       = [pscredential]::new('root', $password)
            KnownHostsPath   = $knownHosts
            AcceptNewHostKey = $true
            InventoryPath    = $inventory
            BackupPath       = $backups
            Vault            = 'TestVault'
        }
    }

    AfterAll {
        Remove-Item Function:Get-SecretInfo, Function:Remove-Secret, Variable:IoTAdminTestVault
        & bash $labScript reset gw1 | Out-Null
    }

    It 'Shows the plan under -WhatIf and touches nothing' {
        Invoke-IoTDecommission -Address $gateway.address @ssh -FactoryResetCommand 'true' -WhatIf
        Test-Path $backups | Should -BeFalse
        Test-Path (Join-Path $disk 'data/paired-devices.txt') | Should -BeTrue
        (Get-IoTDevice -InventoryPath $inventory -Address $gateway.address).State.ToString() | Should -Be 'Planned'
        Get-Content -Raw $ruleset | Should -Be $rulesetBefore
    }

    It 'Backs up and verifies, then wipes, resets and records every step' {
        $script:report = Invoke-IoTDecommission -Address $gateway.address @ssh -Confirm:$false `
            -FactoryResetCommand 'sync && echo factory-reset-done'
        $report.Completed | Should -BeTrue
        $report.Steps.Name | Should -Be 'Backup', 'Wipe', 'FactoryReset', 'HostKey', 'FirewallRules', 'Inventory',
            'VaultSecrets'
        $report.Steps[2].Detail | Should -Match 'factory-reset-done'
        @(Get-ChildItem (Join-Path $disk 'data') -Force).Count | Should -Be 0
        $entry = Get-IoTDevice -InventoryPath $inventory -Address $gateway.address -IncludeHistory
        $entry.State.ToString() | Should -Be 'Decommissioned'
        $entry.CredentialReference | Should -BeNullOrEmpty
        foreach ($action in 'Decommission.Backup', 'Decommission.Wipe', 'Decommission.FactoryReset',
            'Decommission.HostKey', 'Decommission.FirewallRules', 'Decommissioned') {
            $entry.History.Action | Should -Contain $action
        }
    }

    It 'Leaves a backup whose hashes match the device' {
        $archive = Join-Path $report.BackupFolder 'backup.tar'
        (Get-FileHash $archive -Algorithm SHA256).Hash | Should -Be $report.BackupSha256
        (Get-Content (Join-Path $report.BackupFolder 'backup.tar.sha256')) | Should -BeLike "$($report.BackupSha256)*"
        $sums = Get-Content (Join-Path $report.BackupFolder 'SHA256SUMS')
        $line = $sums | Where-Object { $_ -like '* data/paired-devices.txt' }
        $line.Substring(0, 64) | Should -Be $pairedHash.ToLowerInvariant()
        $report.BackupFileCount | Should -BeGreaterThan 10
        if (-not $IsWindows) {
            # The backup holds /etc (password hashes, keys): only its owner may read it.
            (Get-Item $report.BackupFolder).UnixMode | Should -Be 'drwx------'
        }
    }

    It 'Takes the device out of the exported ruleset, which nft still accepts' {
        $report.Steps[4].Detail | Should -BeLike "removed from 1 exported ruleset(s) ($ruleset)*"
        $text = Get-Content -Raw $ruleset
        $text | Should -Not -Match ([regex]::Escape($gateway.address) + '\b')
        $text | Should -Match 'ip daddr 10\.47\.0\.11 tcp dport'
        # nft -c needs CAP_NET_ADMIN: a network namespace of its own keeps the host's firewall out of it.
        $output = & unshare --net nft -c -f $ruleset 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output | Out-String)
    }

    It "Removes the device's secrets from the vault and keeps the others" {
        $report.Steps[6].Detail | Should -Be "removed IoTAdmin/$($gateway.address)/root from vault 'TestVault'"
        @($global:IoTAdminTestVault.Keys) | Should -Be 'IoTAdmin/10.47.0.11/root'
    }

    It 'Forgets the pinned host key' {
        Test-Path $knownHosts | Should -BeTrue
        Get-Content $knownHosts | Where-Object { $_ -match [regex]::Escape($gateway.address) } | Should -BeNullOrEmpty
    }

    It 'Refuses a copy of the backup whose archive was changed, before touching the device' {
        $copy = Join-Path $work 'tampered-backup'
        Copy-Item -Recurse $report.BackupFolder $copy
        [IO.File]::AppendAllText((Join-Path $copy 'backup.tar'), 'x')
        $restore = @{ Credential = $ssh.Credential; KnownHostsPath = $knownHosts; AcceptNewHostKey = $true }
        Restore-IoTDeviceBackup -Address $gateway.address -Path $copy @restore -Confirm:$false `
            -ErrorVariable refused -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'BackupCorrupt*'
        "$($refused[0])" | Should -Match 'SHA-256'
    }

    It 'Restores the backup onto the device over SSH, every file verified' {
        $restore = @{ Credential = $ssh.Credential; KnownHostsPath = $knownHosts; AcceptNewHostKey = $true }
        $restored = $report | Restore-IoTDeviceBackup @restore -Confirm:$false
        $restored.FilesVerified | Should -Be $report.BackupFileCount
        [IO.File]::ReadAllBytes((Join-Path $disk 'data/paired-devices.txt')) | Should -Be $paired
    }
}

Describe 'Decommissioning a device that does not answer' -Tag 'Lab' {
    It 'Gives a clear error and leaves the inventory and the backups unchanged' {
        $inventory = New-TestInventoryPath
        $backups = Join-Path $work 'backups-unreachable'
        Add-IoTDevice -InventoryPath $inventory -Address 10.47.0.99 -Name ghost -Profile Gateway
        $before = Get-IoTDevice -InventoryPath $inventory -IncludeHistory | ConvertTo-Json -Depth 5
        $password = ConvertTo-SecureString 'not-used' -AsPlainText -Force
        Invoke-IoTDecommission -Address 10.47.0.99 -InventoryPath $inventory -BackupPath $backups -Timeout 3 `
            -Credential ([pscredential]::new('root', $password)) -AcceptNewHostKey -FactoryResetCommand 'true' `
            -KnownHostsPath (Join-Path $work 'known_hosts_ghost') -Confirm:$false -ErrorVariable failed `
            -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @($failed).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'Ssh*'
        "$($failed[0])" | Should -Match '10\.47\.0\.99'
        Get-IoTDevice -InventoryPath $inventory -IncludeHistory | ConvertTo-Json -Depth 5 | Should -Be $before
        Test-Path $backups | Should -BeFalse
    }
}
