# -WhatIf on the inventory cmdlets: a preview reads the inventory but creates, migrates and writes nothing, and
# a missing entry is reported as DeviceNotFound as the real change would report it. No lab needed.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 3.0
    Import-Module $env:IOTADMIN_MODULE_PATH -Force

    function Get-FolderState {
        # Names, sizes and hashes of every file, so any write (also to -wal or -shm files) shows.
        param([string] $Path)

        Get-ChildItem -LiteralPath $Path -File | Sort-Object Name | ForEach-Object {
            "$($_.Name) $($_.Length) $((Get-FileHash -LiteralPath $_.FullName).Hash)"
        }
    }
}

Describe 'Inventory cmdlets under -WhatIf' -Tag 'CI' {
    Context 'No inventory file yet' {
        BeforeEach {
            $script:folder = Join-Path $TestDrive "whatif-only-$([guid]::NewGuid().ToString('N'))"
            $script:inventory = Join-Path $folder 'inv.db'
        }

        It 'Add-IoTDevice creates no folder and no file' {
            Add-IoTDevice -Address 10.47.0.50 -Owner 'Facility' -InventoryPath $inventory -WhatIf

            Test-Path -LiteralPath $folder | Should -BeFalse
        }

        It 'Creates nothing when -WhatIf comes through $WhatIfPreference' {
            $WhatIfPreference = $true
            Add-IoTDevice -Address 10.47.0.50 -InventoryPath $inventory

            Test-Path -LiteralPath $folder | Should -BeFalse
        }

        It '<Command> reports DeviceNotFound as without -WhatIf and creates nothing' -TestCases @(
            @{ Command = 'Set-IoTDevice'; Extra = @{ Owner = 'Nobody' } }
            @{ Command = 'Remove-IoTDevice'; Extra = @{} }
        ) {
            param($Command, $Extra)

            & $Command -Address 10.47.0.50 -InventoryPath $inventory @Extra -WhatIf -ErrorAction SilentlyContinue `
                -ErrorVariable failed

            $failed.Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'DeviceNotFound,*'
            Test-Path -LiteralPath $folder | Should -BeFalse
        }
    }

    Context 'An existing inventory' {
        BeforeAll {
            $script:folder = Join-Path $TestDrive 'existing'
            $script:inventory = Join-Path $folder 'inv.db'
            Add-IoTDevice -Address 10.47.0.11 -Name 'cam1' -Owner 'Facility' -InventoryPath $inventory
        }

        It 'Add, Set and Remove with -WhatIf change no byte and add no file' {
            $before = Get-FolderState $folder

            Add-IoTDevice -Address 10.47.0.50 -InventoryPath $inventory -WhatIf
            Set-IoTDevice -Address 10.47.0.11 -Owner 'Nobody' -InventoryPath $inventory -WhatIf
            Remove-IoTDevice -Address 10.47.0.11 -InventoryPath $inventory -WhatIf

            Get-FolderState $folder | Should -Be $before
            (Get-IoTDevice -Address 10.47.0.11 -InventoryPath $inventory).Owner | Should -Be 'Facility'
            Get-IoTDevice -Address 10.47.0.50 -InventoryPath $inventory | Should -BeNullOrEmpty
        }

        It 'A missing entry gives the same DeviceNotFound with and without -WhatIf' {
            Set-IoTDevice -Address 10.47.0.99 -Owner 'x' -InventoryPath $inventory -WhatIf `
                -ErrorAction SilentlyContinue -ErrorVariable preview
            Set-IoTDevice -Address 10.47.0.99 -Owner 'x' -InventoryPath $inventory `
                -ErrorAction SilentlyContinue -ErrorVariable real

            $preview.Count | Should -Be 1
            $preview[0].FullyQualifiedErrorId | Should -Be $real[0].FullyQualifiedErrorId
            $preview[0].Exception.Message | Should -Be $real[0].Exception.Message
        }
    }
}
