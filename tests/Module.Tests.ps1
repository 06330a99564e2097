# The module as a user meets it: the manifest, the exported cmdlets and their help.

BeforeDiscovery {
    $modulePath = $env:IOTADMIN_MODULE_PATH
    Import-Module $modulePath -Force
    $script:commands = Get-Command -Module IoTAdmin | ForEach-Object { @{ Name = $_.Name } }
}

BeforeAll {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 3.0
    Import-Module $env:IOTADMIN_MODULE_PATH -Force
}

Describe 'IoTAdmin module' -Tag 'CI' {
    It 'Has a valid manifest that exports exactly the listed cmdlets' {
        $manifest = Test-ModuleManifest -Path $env:IOTADMIN_MODULE_PATH
        $exported = (Get-Command -Module IoTAdmin).Name | Sort-Object
        $exported | Should -Be ($manifest.ExportedCmdlets.Keys | Sort-Object)
        $exported | Should -Contain 'Get-IoTDevice'
        $exported | Should -Contain 'Test-IoTBaseline'
        $exported | Should -Contain 'Export-IoTReport'
    }

    It 'Uses only approved verbs' {
        $approved = (Get-Verb).Verb
        foreach ($command in Get-Command -Module IoTAdmin) {
            $approved | Should -Contain $command.Verb -Because "$($command.Name) must use an approved verb"
        }
    }

    It 'Ships no PowerShell reference assembly beside the module' {
        $moduleBase = Split-Path $env:IOTADMIN_MODULE_PATH
        Get-ChildItem $moduleBase -Filter 'System.Management.Automation*' | Should -BeNullOrEmpty
    }
}

Describe 'Help of <Name>' -Tag 'CI' -ForEach $commands {
    BeforeAll {
        $help = Get-Help $Name -Full
        $common = [System.Management.Automation.Cmdlet]::CommonParameters +
            [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $parameters = (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common }
    }

    It 'Has a synopsis of its own' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name\s"
    }

    It 'Has a description' {
        ($help.Description | Out-String).Trim().Length | Should -BeGreaterThan 40
    }

    It 'Has at least one example with code' {
        $examples = @(Get-Help $Name -Examples).examples.example
        $examples.Count | Should -BeGreaterThan 0
        $examples[0].code | Should -Match $Name
    }

    It 'Describes every parameter' {
        foreach ($parameter in $parameters) {
            $entry = $help.parameters.parameter | Where-Object name -eq $parameter
            $entry | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs help"
            ($entry.description | Out-String).Trim() |
                Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }
}

Describe 'Change-making cmdlets' -Tag 'CI' {
    It 'Support -WhatIf and -Confirm' {
        $changingVerbs = 'Set', 'Export', 'Disable', 'Invoke', 'Remove', 'Add'
        $changing = Get-Command -Module IoTAdmin | Where-Object { $_.Verb -in $changingVerbs }
        foreach ($command in $changing) {
            $command.Parameters.Keys | Should -Contain 'WhatIf' -Because "$($command.Name) changes something"
            $command.Parameters.Keys | Should -Contain 'Confirm'
        }
    }
}

Describe 'Rule documentation' -Tag 'CI' {
    BeforeAll {
        $rulesHelp = Get-Content -Raw (Join-Path $PSScriptRoot '../docs/about_IoTAdmin_Rules.md')
        $documented = [regex]::Matches($rulesHelp, '(?m)^### (IOT-[A-Z0-9-]+)') | ForEach-Object { $_.Groups[1].Value }
        # An address in the lab's subnet where nothing answers: every rule reports Error with its metadata,
        # and no probe reaches a real service.
        $results = Test-IoTBaseline -Address 10.47.0.250 -Timeout 1 -ErrorAction SilentlyContinue
        $implemented = $results.RuleId | Sort-Object -Unique
    }

    It 'Documents every rule the module checks' {
        $implemented | Should -Not -BeNullOrEmpty
        foreach ($id in $implemented) {
            $documented | Should -Contain $id -Because "$id needs a section in about_IoTAdmin_Rules"
        }
    }

    It 'Documents no rule that does not exist' {
        foreach ($id in $documented) {
            $implemented | Should -Contain $id
        }
    }

    It 'Names the measures each rule implements as the rule itself does' {
        foreach ($result in $results | Sort-Object RuleId -Unique) {
            $pattern = "(?m)^### $([regex]::Escape($result.RuleId)) \(([^;]+);"
            $heading = [regex]::Match($rulesHelp, $pattern).Groups[1].Value
            $heading | Should -Be ($result.Measures -join ', ')
        }
    }

    It 'Ships the rules topic as about help' {
        Get-Help about_IoTAdmin_Rules | Out-String | Should -Match 'IOT-CRED-SSH'
    }
}
