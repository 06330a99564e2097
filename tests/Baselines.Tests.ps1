# Baselines as code against the live lab: built-in SYS.4.4 tiers, an organisation's baseline file
# whose waivers, parameters and checklist answers change the verdicts, saved runs compared after
# the camera's Telnet is switched off, CI report formats validated, and the coverage table.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 3.0
    . (Join-Path $PSScriptRoot 'LabFixture.ps1')
    Import-Module $env:IOTADMIN_MODULE_PATH -Force

    $script:labScript = Join-Path $PSScriptRoot 'lab/lab.sh'
    $script:cam = Get-LabDevice 'cam1'
    $script:gw = Get-LabDevice 'gw1'

    function Get-Result {
        param($Results, [string] $Address, [string] $RuleId)

        $found = @($Results | Where-Object { $_.DeviceAddress -eq $Address -and $_.RuleId -eq $RuleId })
        $found.Count | Should -Be 1 -Because "$Address must have exactly one $RuleId result"
        return $found[0]
    }

    function Invoke-Lab {
        # lab.sh through Python, which closes every inherited descriptor: the lock fd that flock
        # hands down to this run must not live on in the restarted device's daemons.
        & python3 -c 'import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:], close_fds=True))' `
            bash $labScript @args | Out-Null
        $LASTEXITCODE | Should -Be 0 -Because "lab.sh $args must succeed"
    }

    function Wait-TcpPort {
        # A rebooted device is ready when its SSH port accepts again; bounded to about 30 s.
        param([string] $Address, [int] $Port)

        foreach ($attempt in 1..30) {
            $client = [System.Net.Sockets.TcpClient]::new()
            try {
                if ($client.ConnectAsync($Address, $Port).Wait(1000) -and $client.Connected) {
                    return
                }
            }
            catch {
                Start-Sleep -Milliseconds 500
            }
            finally {
                $client.Dispose()
            }
        }

        throw "$Address did not accept TCP $Port within 30 attempts."
    }
}

Describe 'Get-IoTBaseline' -Tag 'CI' {
    It 'Lists the three built-in tiers, each holding the measures of the ones below' {
        $baselines = Get-IoTBaseline
        $baselines.Name | Should -Be @('SYS.4.4-Basic', 'SYS.4.4-Standard', 'SYS.4.4-High')
        $baselines | ForEach-Object { @($_.Measures).Count } | Should -Be @(5, 20, 24)
    }

    It 'Lists every rule with its measures per profile, and the checklist' {
        $rows = Get-IoTBaseline SYS.4.4-Basic -ListRule
        $camera = $rows | Where-Object { $_.Profile -eq 'Camera' -and $_.RuleId -eq 'IOT-TELNET-OPEN' }
        $camera.Severity | Should -Be 'Critical'
        $camera.Measures | Should -Contain 'SYS.4.4.M5'
        $camera.Parameters | Should -Be 'Ports = @(23)'
        ($rows | Where-Object Kind -eq 'Checklist').RuleId | Should -Contain 'ORG-M1-CRITERIA'
    }

    It 'Reports an unknown name as BaselineNotFound' {
        { Get-IoTBaseline 'SYS.4.4-Nope' -ErrorAction Stop } |
            Should -Throw -ErrorId 'BaselineNotFound,IoTAdmin.Commands.GetIoTBaselineCommand'
    }
}

Describe 'New-IoTBaseline' -Tag 'CI' {
    It 'Derives a file PowerShell reads as data and the module loads with its Extends chain' {
        $path = Join-Path $TestDrive 'Contoso.psd1'
        New-IoTBaseline -Name Contoso -From SYS.4.4-Standard -Path $path | Should -Exist

        (Import-PowerShellDataFile $path).Extends | Should -Be 'SYS.4.4-Standard'
        $derived = Get-IoTBaseline -Path $path
        $derived.Chain.Name | Should -Be @('SYS.4.4-Basic', 'SYS.4.4-Standard', 'Contoso')
        @($derived.Checklist).Count | Should -Be @((Get-IoTBaseline SYS.4.4-Standard).Checklist).Count
    }

    It 'Refuses to overwrite without -Force and honours -WhatIf' {
        $path = Join-Path $TestDrive 'Taken.psd1'
        Set-Content $path 'keep me'
        { New-IoTBaseline -Name Taken -Path $path -ErrorAction Stop } |
            Should -Throw -ErrorId 'BaselineFileExists,IoTAdmin.Commands.NewIoTBaselineCommand'
        New-IoTBaseline -Name Taken -Path $path -Force -WhatIf
        Get-Content $path | Should -Be 'keep me'
    }
}

Describe 'Test-IoTBaseline -Baseline with a file that holds code' -Tag 'CI' {
    It 'Refuses the file without running any of it' {
        $marker = Join-Path $TestDrive 'ran.txt'
        $path = Join-Path $TestDrive 'evil.psd1'
        Set-Content $path "@{ Name = 'Evil'; Description = `"`$(Set-Content '$marker' x)`" }"

        { Test-IoTBaseline -Address 127.0.0.1 -Baseline $path -ErrorAction Stop } |
            Should -Throw -ErrorId 'BaselineInvalid,IoTAdmin.Commands.TestIoTBaselineCommand'
        $marker | Should -Not -Exist
    }
}

Describe 'An organisation baseline with waivers, a parameter and checklist answers' -Tag 'Lab' {
    BeforeAll {
        $script:sitePath = Join-Path $TestDrive 'Site.psd1'
        Set-Content $sitePath @"
@{
    Name    = 'Site'
    Extends = 'SYS.4.4-Basic'
    Profiles = @{
        # The site's cameras: Telnet is looked for on the vendor's debug port only.
        Camera = @{ Rules = @{
            'IOT-TELNET-OPEN' = @{ Parameters = @{ Ports = 2323 } }
            'IOT-CRED-HTTP'   = @{ Severity = 'Low' }
        } }
    }
    Waivers = @(
        @{ Rule = 'IOT-UPNP-IGD'; Device = '$($gw.address)'; Reason = 'ISP router replacement in January'
           Owner = 'netops'; Expires = '2099-01-31' }
        @{ Rule = 'IOT-MQTT-ANON'; Profile = 'Gateway'; Reason = 'Broker moved behind VPN'
           Owner = 'iot-team'; Expires = '2020-06-30' }
        @{ Rule = 'IOT-CRED-HTTP'; Tag = 'lobby'; Reason = 'Camera is swapped next week'
           Owner = 'facility'; Expires = '2099-01-31' }
    )
    Checklist = @{
        'ORG-M1-CRITERIA' = @{ Answer = 'Yes'; Evidence = 'Procurement rule P-7'; AnsweredBy = 'kim' }
        'ORG-M3-UPDATES'  = @{ Answer = 'No'; Evidence = 'No update process yet' }
    }
}
"@
        $rules = 'IOT-TELNET-OPEN', 'IOT-CRED-HTTP', 'IOT-UPNP-IGD', 'IOT-MQTT-ANON', 'ORG-*'
        $targets = @(
            [pscustomobject] @{ Address = $cam.address; Profile = 'Camera'; Tag = @('lobby') }
            [pscustomobject] @{ Address = $gw.address; Profile = 'Gateway'; Tag = @() }
        )
        $script:builtIn = $targets |
            Test-IoTBaseline -Baseline SYS.4.4-Basic -Rule $rules -WarningAction SilentlyContinue
        $script:site = $targets | Test-IoTBaseline -Baseline $sitePath -Rule $rules -WarningVariable siteWarnings `
            -WarningAction SilentlyContinue
        $script:siteWarnings = $siteWarnings
    }

    It 'Fails the camera Telnet under the built-in baseline, passes it when told to look at 2323 only' {
        (Get-Result $builtIn $cam.address 'IOT-TELNET-OPEN').Outcome | Should -Be 'Fail'
        (Get-Result $builtIn $cam.address 'IOT-TELNET-OPEN').Severity | Should -Be 'Critical'
        $site = Get-Result $site $cam.address 'IOT-TELNET-OPEN'
        $site.Outcome | Should -Be 'Pass'
        $site.Evidence | Should -Match '2323'
    }

    It 'Waives the gateway UPnP failure with its reason, owner and baseline' {
        (Get-Result $builtIn $gw.address 'IOT-UPNP-IGD').Outcome | Should -Be 'Fail'
        $waived = Get-Result $site $gw.address 'IOT-UPNP-IGD'
        $waived.Outcome | Should -Be 'Waived'
        $waived.Waiver.Reason | Should -Be 'ISP router replacement in January'
        $waived.Waiver.Owner | Should -Be 'netops'
        $waived.Baseline | Should -Be 'Site'
    }

    It 'Waives the camera web login by tag and keeps the severity the file set' {
        $waived = Get-Result $site $cam.address 'IOT-CRED-HTTP'
        $waived.Outcome | Should -Be 'Waived'
        $waived.Severity | Should -Be 'Low'
    }

    It 'Fails the gateway MQTT again because its waiver expired, and warns naming it' {
        $expired = Get-Result $site $gw.address 'IOT-MQTT-ANON'
        $expired.Outcome | Should -Be 'Fail'
        $expired.Waiver.Owner | Should -Be 'iot-team'
        ($siteWarnings -join "`n") | Should -Match 'IOT-MQTT-ANON.*iot-team.*expired on 2020-06-30'
    }

    It 'Reports the checklist answers: evidence passes, No fails, unanswered is an error' {
        (Get-Result $site 'organisation' 'ORG-M1-CRITERIA').Outcome | Should -Be 'Pass'
        (Get-Result $site 'organisation' 'ORG-M1-CRITERIA').Evidence | Should -Match 'P-7'
        (Get-Result $site 'organisation' 'ORG-M3-UPDATES').Outcome | Should -Be 'Fail'
        (Get-Result $site 'organisation' 'ORG-M5-PERIMETER').Outcome | Should -Be 'Error'
    }

    It 'Exports the audit as <Format> XML that validates against its schema' -ForEach @(
        @{ Format = 'JUnit'; Schema = 'JUnit4/junit_schema_4.xsd' }
        @{ Format = 'NUnit'; Schema = 'NUnit3/TestResult.xsd' }
    ) {
        $path = Join-Path $TestDrive "site.$Format.xml"
        $site | Export-IoTReport -Format $Format -Path $path

        $schemas = [System.Xml.Schema.XmlSchemaSet]::new()
        # The NUnit schema redefines types from a file beside it; .NET resolves no file unless told to.
        $schemas.XmlResolver = [System.Xml.XmlUrlResolver]::new()
        $null = $schemas.Add($null, (Join-Path $PSScriptRoot "schemas/$Schema"))
        $settings = [System.Xml.XmlReaderSettings]::new()
        $settings.ValidationType = 'Schema'
        $settings.Schemas = $schemas
        $problems = [System.Collections.Generic.List[string]]::new()
        $settings.add_ValidationEventHandler({ param($sender, $e) $problems.Add($e.Message) })
        $reader = [System.Xml.XmlReader]::Create($path, $settings)
        try {
            while ($reader.Read()) { }
        }
        finally {
            $reader.Dispose()
        }

        $problems | Should -BeNullOrEmpty
        (Get-Content -Raw $path) | Should -Match 'ISP router replacement in January'
    }

    It 'Exports SARIF 2.1.0 that validates, with the waived finding suppressed' {
        $path = Join-Path $TestDrive 'site.sarif'
        $site | Export-IoTReport -Path $path
        # The schema is draft-04, which Test-Json does not read; it uses nothing draft-07 reads otherwise.
        $schema = (Get-Content -Raw (Join-Path $PSScriptRoot 'schemas/Sarif/sarif-2.1.0-rtm.5.json')) -replace
            'http://json-schema.org/draft-04/schema#', 'http://json-schema.org/draft-07/schema#'

        Test-Json -Json (Get-Content -Raw $path) -Schema $schema | Should -BeTrue
        $sarif = Get-Content -Raw $path | ConvertFrom-Json
        $upnp = $sarif.runs[0].results | Where-Object {
            $_.ruleId -eq 'IOT-UPNP-IGD' -and $_.locations[0].logicalLocations[0].fullyQualifiedName -eq $gw.address
        }
        $upnp.suppressions[0].status | Should -Be 'accepted'
    }

    It 'Answers -Quiet with $false while a high failure remains, and -FailOn writes BaselineFailed' {
        $answer = Test-IoTBaseline -Address $gw.address -Profile Gateway -Baseline $sitePath -Rule 'IOT-MQTT-ANON' `
            -Quiet -FailOn High -WarningAction SilentlyContinue
        $answer | Should -BeFalse
        $both = 'IOT-UPNP-IGD', 'IOT-MQTT-ANON'
        { Test-IoTBaseline -Address $gw.address -Profile Gateway -Baseline $sitePath -Rule $both `
            -FailOn High -ErrorAction Stop -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'BaselineFailed,IoTAdmin.Commands.TestIoTBaselineCommand'
    }
}

Describe 'Compare-IoTAudit after the camera Telnet is disabled' -Tag 'Lab' {
    BeforeAll {
        Invoke-Lab reset cam1
        $rules = 'IOT-TELNET-OPEN', 'IOT-CRED-TELNET'
        $script:before = Join-Path $TestDrive 'before.json'
        $script:after = Join-Path $TestDrive 'after.json'
        $null = Test-IoTBaseline -Address $cam.address -Profile Camera -Rule $rules -SavePath $before `
            -WarningAction SilentlyContinue

        # Switch Telnet off the way an admin would: on the device over SSH, then reboot it.
        $password = $cam.credentials.ssh.password
        & sshpass -p $password ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 `
            "root@$($cam.address)" 'chmod -x /etc/init.d/S??telnetd' 2>$null
        $LASTEXITCODE | Should -Be 0 -Because 'the camera accepts its SSH login'
        Invoke-Lab restart cam1
        Wait-TcpPort $cam.address 22

        $null = Test-IoTBaseline -Address $cam.address -Profile Camera -Rule $rules -SavePath $after `
            -WarningAction SilentlyContinue
        $script:changes = Compare-IoTAudit -ReferencePath $before -DifferencePath $after
    }

    AfterAll {
        Invoke-Lab reset cam1
    }

    It 'Shows IOT-TELNET-OPEN getting better, Fail to Pass' {
        $change = $changes | Where-Object RuleId -eq 'IOT-TELNET-OPEN'
        $change.Change | Should -Be 'Better'
        $change.Before | Should -Be 'Fail'
        $change.After | Should -Be 'Pass'
    }

    It 'Shows the Telnet default login getting better too' {
        ($changes | Where-Object RuleId -eq 'IOT-CRED-TELNET').Change | Should -Be 'Better'
    }

    It 'Finds no new finding, the other way round both' {
        Compare-IoTAudit -ReferencePath $before -DifferencePath $after -FailOn Info -Quiet | Should -BeTrue
        Compare-IoTAudit -ReferencePath $after -DifferencePath $before -FailOn High -Quiet | Should -BeFalse
        { Compare-IoTAudit $after $before -FailOn High -ErrorAction Stop } |
            Should -Throw -ErrorId 'NewFindings,IoTAdmin.Commands.CompareIoTAuditCommand'
    }

    It 'Refuses a file that is not a saved run' {
        $other = Join-Path $TestDrive 'other.json'
        Set-Content $other '{"hello": 1}'
        { Compare-IoTAudit $other $after -ErrorAction Stop } |
            Should -Throw -ErrorId 'AuditRunInvalid,IoTAdmin.Commands.CompareIoTAuditCommand'
    }
}

Describe 'examples/Invoke-ScheduledAudit.ps1' -Tag 'Lab' {
    It 'Exits 1 on the first run with a high finding, 2 when the finding is known from the run before' {
        $script = Join-Path $PSScriptRoot '../examples/Invoke-ScheduledAudit.ps1'
        $history = Join-Path $TestDrive 'history'
        $reports = Join-Path $TestDrive 'reports'
        $arguments = @('-NoProfile', '-NonInteractive', '-File', $script, '-Address', $cam.address,
            '-DeviceProfile', 'Camera', '-Baseline', 'SYS.4.4-Basic', '-Rule', 'IOT-TELNET-OPEN', '-FailOn', 'High',
            '-HistoryPath', $history, '-ReportPath', $reports, '-ModulePath', $env:IOTADMIN_MODULE_PATH)
        # A fresh PowerShell from the repository's tool manifest, as a scheduled task would start one.
        Push-Location (Join-Path $PSScriptRoot '..')
        try {
            $first = & dotnet tool run pwsh -- @arguments 2>&1
            $firstCode = $LASTEXITCODE
            Start-Sleep -Seconds 1
            $second = & dotnet tool run pwsh -- @arguments 2>&1
            $secondCode = $LASTEXITCODE
        }
        finally {
            Pop-Location
        }

        $firstCode | Should -Be 1 -Because ($first -join "`n")
        ($first -join "`n") | Should -Match 'NEW .*IOT-TELNET-OPEN'
        $secondCode | Should -Be 2 -Because ($second -join "`n")
        @(Get-ChildItem $history -Filter *.json).Count | Should -Be 2
        Join-Path $reports 'iot-audit.sarif' | Should -Exist
    }
}

Describe 'The SYS.4.4 coverage table' -Tag 'CI' {
    It 'Is up to date with the rules, checklist and cmdlets of the built module' {
        $tool = Join-Path $PSScriptRoot '../tools/Update-CoverageTable.ps1'
        { & $tool -ModulePath $env:IOTADMIN_MODULE_PATH -Check } | Should -Not -Throw
    }

    It 'Lists all 24 measures' {
        $text = Get-Content -Raw (Join-Path $PSScriptRoot '../docs/SYS.4.4-coverage.md')
        $rows = [regex]::Matches($text, '(?m)^\| (SYS\.4\.4\.M\d+) \|') | ForEach-Object { $_.Groups[1].Value }
        $rows | Should -Be (1..24 | ForEach-Object { "SYS.4.4.M$_" })
    }
}
