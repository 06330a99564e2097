# Parameter safety of every cmdlet: -Debug only adds output and never prompts, not even in a
# non-interactive host; a $null where a list or an object belongs is a parameter-binding error, never a
# .NET exception from inside the cmdlet. Everything here talks to loopback only.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 3.0
    Import-Module $env:IOTADMIN_MODULE_PATH -Force

    # pwsh as schedulers start it; here it may only exist as the repository's dotnet tool.
    $script:pwshCommand = @(if (Get-Command pwsh -CommandType Application -ErrorAction Ignore) { 'pwsh' }
        else { 'dotnet', 'tool', 'run', 'pwsh', '--' })

    function Invoke-NonInteractive([string] $Command) {
        # Runs the command in a child pwsh -NonInteractive with the module loaded; returns all it printed,
        # followed by one 'ERRORID <id>' line per error it recorded.
        $script = "Import-Module '$env:IOTADMIN_MODULE_PATH'; $Command; " +
            "`$Error | ForEach-Object { 'ERRORID ' + `$_.FullyQualifiedErrorId }"
        $arguments = @($pwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $script)
        Push-Location (Join-Path $PSScriptRoot '..')
        try {
            return (& $pwshCommand[0] @arguments 2>&1 | Out-String)
        }
        finally {
            Pop-Location
        }
    }

    function Get-UnusedUdpPort {
        $socket = [System.Net.Sockets.UdpClient]::new(
            [System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
        try {
            return $socket.Client.LocalEndPoint.Port
        }
        finally {
            $socket.Dispose()
        }
    }

    function Get-BindingError([scriptblock] $Command) {
        # The error the command stops with, or $null when it does not stop.
        try {
            & $Command | Out-Null
        }
        catch {
            return $_
        }

        return $null
    }
}

Describe '-Debug' -Tag 'CI' {
    BeforeAll {
        $script:promptError = 'NonInteractive mode|Read and Prompt'
        $script:badLog = Join-Path $TestDrive 'bad-actions.jsonl'
        Set-Content -Path $badLog -Value 'not an entry'
    }

    It 'Writes verbose messages and the real error of Get-IoTSnmpValue without a prompt' {
        $port = Get-UnusedUdpPort
        $output = Invoke-NonInteractive (
            "Get-IoTSnmpValue -Address 127.0.0.1 -Port $port -Oid sysName.0 -Timeout 1 -Retries 0 -Debug")

        $output | Should -Not -Match $promptError
        $output | Should -Match 'VERBOSE: Reading 1 OID'
        $output | Should -Match 'ERRORID SnmpTimeout,'
    }

    It 'Returns the result of Test-IoTBaseline without a prompt' {
        $output = Invoke-NonInteractive ('Test-IoTBaseline -Address 127.0.0.1 -Rule IOT-TELNET-OPEN -Timeout 1 ' +
            "-Debug | Where-Object RuleId -eq 'IOT-TELNET-OPEN' | ForEach-Object { 'OUTCOME ' + `$_.Outcome }")

        $output | Should -Not -Match $promptError
        $output | Should -Not -Match 'ERRORID'
        $output | Should -Match 'OUTCOME (Pass|Fail)'
    }

    It 'Writes warnings without a prompt' {
        $output = Invoke-NonInteractive "Get-IoTActionLog -Path '$badLog' -Debug"

        $output | Should -Not -Match $promptError
        $output | Should -Match 'WARNING: Line 1 of'
        $output | Should -Not -Match 'ERRORID'
    }

    It 'Hands its messages to a host without a user interface as records' {
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddCommand('Import-Module').AddParameter('Name', $env:IOTADMIN_MODULE_PATH).AddStatement()
            $null = $shell.AddCommand('Get-IoTActionLog').AddParameter('Path', $badLog).AddParameter('Debug', $true)
            $null = $shell.Invoke()

            $shell.Streams.Error.Count | Should -Be 0
            @($shell.Streams.Warning).Message | Should -Match 'Line 1 of'
        }
        finally {
            $shell.Dispose()
        }
    }
}

Describe '$null arguments' -Tag 'CI' {
    It 'Rejects <Case> while binding' -ForEach @(
        @{ Case = 'Test-IoTBaseline -Credential $null'
            Command = { Test-IoTBaseline -Address 127.0.0.1 -Rule IOT-TELNET-OPEN -Credential $null } }
        @{ Case = 'Test-IoTBaseline -Credential @($null)'
            Command = { Test-IoTBaseline -Address 127.0.0.1 -Rule IOT-TELNET-OPEN -Credential @($null) } }
        @{ Case = 'Test-IoTBaseline -Community $null'
            Command = { Test-IoTBaseline -Address 127.0.0.1 -Rule IOT-TELNET-OPEN -Community $null } }
        @{ Case = 'Test-IoTBaseline -SnmpCredential $null'
            Command = { Test-IoTBaseline -Address 127.0.0.1 -Rule IOT-TELNET-OPEN -SnmpCredential $null } }
        @{ Case = 'Test-IoTCredential -Credential $null'
            Command = { Test-IoTCredential -Address 127.0.0.1 -Credential $null } }
        @{ Case = 'Test-IoTCredential -Protocol $null'
            Command = { Test-IoTCredential -Address 127.0.0.1 -Protocol $null } }
        @{ Case = 'Get-IoTDevice -Discover -Community $null'
            Command = { Get-IoTDevice -Discover -Community $null } }
        @{ Case = 'Get-IoTDevice -Discover -Protocol $null'
            Command = { Get-IoTDevice -Discover -Protocol $null } }
        @{ Case = 'Get-IoTDevice -State $null'; Command = { Get-IoTDevice -State $null } }
        @{ Case = 'Get-IoTFirmware -SnmpCredential $null'
            Command = { Get-IoTFirmware -Address 127.0.0.1 -SnmpCredential $null } }
        @{ Case = 'Get-IoTFirmware -Community $null'
            Command = { Get-IoTFirmware -Address 127.0.0.1 -Community $null } }
        @{ Case = 'Get-IoTSshHostKey -Address $null'; Command = { Get-IoTSshHostKey -Address $null } }
        @{ Case = 'Get-IoTBaseline -Profile $null'; Command = { Get-IoTBaseline -Profile $null } }
        @{ Case = 'Get-IoTActionLog -Device @($null)'; Command = { Get-IoTActionLog -Device @($null) } }
        @{ Case = 'Export-IoTFirewallRule -UpdateServer $null'
            Command = { Export-IoTFirewallRule -Address 127.0.0.1 -ManagementHost 127.0.0.1 -UpdateServer $null } }
        @{ Case = 'Test-IoTTraffic -Allow $null'
            Command = { Test-IoTTraffic -Path 'flows.csv' -Device 127.0.0.1 -Allow $null } }
        @{ Case = 'Update-IoTFirmware -SnmpCredential $null'
            Command = { Update-IoTFirmware -Address 127.0.0.1 -FirmwareCatalog 'c.json' -SnmpCredential $null } }
        @{ Case = 'Set-IoTConfiguration -NewCredential $null'
            Command = { Set-IoTConfiguration -Path 'c.psd1' -Address 127.0.0.1 -NewCredential $null } }
        @{ Case = 'Watch-IoTDevice -Threshold $null'
            Command = { Watch-IoTDevice -Address 127.0.0.1 -Count 1 -Threshold $null } }
        @{ Case = 'Set-IoTPassword -Symbols $null'
            Command = { Set-IoTPassword -Address 127.0.0.1 -Generate -Symbols $null -WhatIf } }
        @{ Case = 'Get-IoTDeviceLog -LogPath $null'
            Command = { Get-IoTDeviceLog -Address 127.0.0.1 -LogPath $null } }
    ) {
        $failure = Get-BindingError $Command

        $failure | Should -Not -BeNullOrEmpty -Because "$Case must not run"
        $failure.Exception | Should -BeOfType ([System.Management.Automation.ParameterBindingException])
        $failure.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError*'
    }

    It 'Leaves no array parameter without a null check unless $null means something there' {
        # Tags bind by property name from CSV rows and devices: a row without tags means no tags. -Kind $null
        # means every kind.
        $nullMeansSomething = 'Add-IoTDevice -Tag', 'Set-IoTDevice -Tag', 'Test-IoTBaseline -Tag',
            'Set-IoTConfiguration -Tag', 'Test-IoTConfiguration -Tag', 'Get-IoTDeviceLog -Kind'
        $checks = [System.Management.Automation.ValidateArgumentsAttribute]
        $unchecked = foreach ($command in Get-Command -Module IoTAdmin) {
            foreach ($parameter in $command.Parameters.Values | Where-Object { $_.ParameterType.IsArray }) {
                # PowerShell refuses $null for a parameter that is mandatory in all its sets, unless AllowNull.
                $optional = $parameter.Attributes | Where-Object {
                    $_ -is [System.Management.Automation.ParameterAttribute] -and -not $_.Mandatory }
                $allowsNull = $parameter.Attributes | Where-Object { $_ -is [AllowNull] }
                $validated = $parameter.Attributes | Where-Object { $_ -is $checks }
                $name = "$($command.Name) -$($parameter.Name)"
                if (($optional -or $allowsNull) -and -not $validated -and $name -notin $nullMeansSomething) {
                    $name
                }
            }
        }

        $unchecked | Should -BeNullOrEmpty
    }
}

Describe 'Arguments refused before any device is touched' -Tag 'CI' {
    It 'Refuses a new password chpasswd cannot take, naming why, without a raw exception' {
        $login = [pscredential]::new('root', (ConvertTo-SecureString 'old-password' -AsPlainText -Force))
        $colon = ConvertTo-SecureString 'abc:def12345' -AsPlainText -Force
        $thrown = { Set-IoTPassword -Address 127.0.0.1 -Credential $login -NewPassword $colon -Confirm:$false } |
            Should -Throw -ErrorId 'NewPasswordUnsuitable,IoTAdmin.Commands.SetIoTPasswordCommand' -PassThru
        $thrown.Exception.Message | Should -Match 'colon'
        $thrown.Exception.Message | Should -Not -Match 'abc:def'
    }

    It 'Takes plain address strings from the pipeline, one error per unreachable device' {
        $login = [pscredential]::new('root', (ConvertTo-SecureString 'old-password' -AsPlainText -Force))
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $unused = $listener.LocalEndpoint.Port
        $listener.Stop()
        '127.0.0.1', '127.0.0.2' | Get-IoTAccount -Credential $login -Port $unused -Timeout 1 `
            -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @($failed | ForEach-Object TargetObject) | Should -Be @('127.0.0.1', '127.0.0.2')
        $failed | ForEach-Object FullyQualifiedErrorId | Should -Not -Match 'InputObjectNotBound'
    }
}
