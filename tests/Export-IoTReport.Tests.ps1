# Export-IoTReport: the HTML report for auditors and the JSON report for tools, from a lab audit.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 3.0
    . (Join-Path $PSScriptRoot 'LabFixture.ps1')
    Import-Module $env:IOTADMIN_MODULE_PATH -Force

    $lab = Get-LabDescription
    # ForEach-Object, not member access: arrays have an Address method of their own.
    $addresses = $lab.devices | ForEach-Object address
    $script:results = Test-IoTBaseline -Address $addresses -Rule 'IOT-TELNET-OPEN', 'IOT-MQTT-ANON'
}

Describe 'Export-IoTReport -Format Json' -Tag 'Lab' {
    BeforeAll {
        $path = Join-Path $TestDrive 'report.json'
        $results | Export-IoTReport -Format Json -Path $path
        $script:report = Get-Content -Raw $path | ConvertFrom-Json
    }

    It 'Writes a report with a schema version' {
        $report.schemaVersion | Should -Not -BeNullOrEmpty
    }

    It 'Holds every result' {
        @($report.results).Count | Should -Be @($results).Count
    }

    It 'Holds every device audited' {
        @($report.devices).Count | Should -Be @($results.DeviceAddress | Sort-Object -Unique).Count
    }

    It 'Keeps each failure with its outcome as text' {
        $failures = @($report.results | Where-Object outcome -eq 'Fail')
        $failures.Count | Should -Be @($results | Where-Object Outcome -eq 'Fail').Count
        $failures.Count | Should -BeGreaterThan 0
    }
}

Describe 'Export-IoTReport -Format Html' -Tag 'Lab' {
    BeforeAll {
        $path = Join-Path $TestDrive 'report.html'
        $file = $results | Export-IoTReport -Path $path -PassThru
        $script:html = Get-Content -Raw $path
        $script:file = $file
    }

    It 'Takes the format from the extension and returns the file with -PassThru' {
        $file.Name | Should -Be 'report.html'
        $file.PSProvider.Name | Should -Be 'FileSystem'
        $file.Length | Should -BeGreaterThan 0
        $html | Should -Match '<html'
    }

    It 'Names every device audited' {
        foreach ($address in $results.DeviceAddress | Sort-Object -Unique) {
            $html | Should -Match ([regex]::Escape($address))
        }
    }

    It 'Loads nothing from outside the file' {
        $html | Should -Not -Match '<(script|img|link)[^>]+(src|href)\s*=\s*"?https?:'
        $html | Should -Not -Match '<link'
    }
}

Describe 'Export-IoTReport -WhatIf' -Tag 'Lab' {
    It 'Writes no file' {
        $path = Join-Path $TestDrive 'whatif.html'
        $results | Export-IoTReport -Path $path -WhatIf
        Test-Path $path | Should -BeFalse
    }
}

Describe 'Export-IoTReport with bad input' -Tag 'Lab' {
    It 'Refuses a folder as the report path' {
        { $results | Export-IoTReport -Path $TestDrive } |
            Should -Throw -ErrorId 'ReportPathIsFolder,IoTAdmin.Commands.ExportIoTReportCommand'
    }

    It 'Refuses a file name whose extension names no report format' {
        $path = Join-Path $TestDrive 'report.txt'
        { $results | Export-IoTReport -Path $path } |
            Should -Throw -ErrorId 'ReportFormatUnknown,IoTAdmin.Commands.ExportIoTReportCommand'
        Test-Path $path | Should -BeFalse
    }

    It 'Warns when no result reaches it' {
        $path = Join-Path $TestDrive 'empty.html'
        @() | Export-IoTReport -Path $path -WarningVariable emptyWarning -WarningAction SilentlyContinue
        $emptyWarning | Should -Not -BeNullOrEmpty
        Test-Path $path | Should -BeTrue
    }
}
