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
        $env:IOTADMIN_INVENTORY = $inventory
        try {
            Add-IoTDevice -Address 10.0.0.7 -Name from-env
            (Get-IoTDevice -Name from-env).Address | Should -Be '10.0.0.7'
        }
        finally {
            Remove-Item Env:IOTADMIN_INVENTORY
        }

        Test-Path $inventory | Should -BeTrue
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
