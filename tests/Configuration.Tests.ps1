# Configuration runs against the live lab: the insecure camera cam1 is brought to a desired state
# (password, telnetd off, SNMPv3 only, NTP and syslog targets), a second run changes nothing, -WhatIf
# touches nothing, the DSC v3 resource reports drift in JSON, and a scheduled-style run under
# pwsh -NonInteractive completes without a prompt. cam1 is reset before and after.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 3.0
    . (Join-Path $PSScriptRoot 'LabFixture.ps1')
    Import-Module $env:IOTADMIN_MODULE_PATH -Force

    $script:labScript = Join-Path $PSScriptRoot 'lab/lab.sh'
    & bash $labScript reset cam1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'lab.sh reset cam1 failed' }

    $script:cam = Get-LabDevice cam1
    $script:disk = "/var/lib/iotadmin-lab/cam1"
    # pwsh as dsc and schedulers start it; here it may only exist as the repository's dotnet tool.
    $script:pwshCommand = @(if (Get-Command pwsh -CommandType Application -ErrorAction Ignore) { 'pwsh' }
        else { 'dotnet', 'tool', 'run', 'pwsh', '--' })
    $script:moduleBase = Split-Path $env:IOTADMIN_MODULE_PATH

    function New-Secret {
        # Letters and digits only; long enough for SNMPv3 and distinctive enough to search for.
        return -join ((1..20) | ForEach-Object { [char[]] 'abcdefghkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789' |
                    Get-Random })
    }

    function ConvertTo-Credential([string] $User, [string] $Password) {
        return [pscredential]::new($User, (ConvertTo-SecureString $Password -AsPlainText -Force))
    }

    $script:oldLogin = ConvertTo-Credential root $cam.credentials.ssh.password
    $script:newPassword = "Cfg$(New-Secret)"
    $script:newLogin = ConvertTo-Credential root $newPassword
    $script:snmpAuth = "Auth$(New-Secret)"
    $script:snmpPriv = "Priv$(New-Secret)"
    $script:secrets = @($newPassword, $snmpAuth, $snmpPriv)

    $script:documentPath = Join-Path $TestDrive 'cameras.psd1'
    Set-Content -Path $documentPath -Value @"
@{
    Name     = 'Lab cameras'
    Defaults = @{
        Accounts     = @(@{ Name = 'root'; MaxPasswordAgeDays = 365 })
        ServicesOff  = @('telnetd')
        Snmp         = @{ V3Only = `$true; Users = @('iotmon') }
        AllowedPorts = @(22, 80, 554, 8080)
        Ntp          = @('10.47.0.1')
        Syslog       = @('10.47.0.1:514')
    }
    Devices  = @{ '$($cam.address)' = @{ Profile = 'Camera' } }
}
"@
    $script:knownHosts = Join-Path $TestDrive 'known_hosts'
    $script:common = @{ Path = $documentPath; KnownHostsPath = $knownHosts; AcceptNewHostKey = $true; Timeout = 20 }
    $script:setSecrets = @{
        NewCredential = $newLogin
        SnmpUser      = ConvertTo-Credential iotmon $snmpAuth
        SnmpPrivacy   = ConvertTo-Credential iotmon $snmpPriv
    }

    $script:oldLoginFile = Join-Path $TestDrive 'old-login.clixml'
    $oldLogin | Export-Clixml -Path $oldLoginFile
    $script:newLoginFile = Join-Path $TestDrive 'new-login.clixml'
    $newLogin | Export-Clixml -Path $newLoginFile

    function Test-TcpOpen([int] $Port) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try {
            return $client.ConnectAsync($cam.address, $Port).Wait(3000) -and $client.Connected
        } catch {
            return $false
        } finally {
            $client.Dispose()
        }
    }

    function Invoke-Child {
        # A child pwsh as dsc, systemd or cron start it: -NonInteractive, stdin closed, output captured.
        param([string[]] $Arguments, [string] $InputText = '', [string] $WorkingDirectory = $PSScriptRoot,
            [switch] $Verbatim)
        $info = [System.Diagnostics.ProcessStartInfo]::new($pwshCommand[0])
        $leading = if ($Verbatim) { @() } else { @('-NoLogo', '-NoProfile', '-NonInteractive') }
        foreach ($argument in @($pwshCommand | Select-Object -Skip 1) + $leading + $Arguments) {
            $info.ArgumentList.Add($argument)
        }

        $info.WorkingDirectory = $WorkingDirectory

        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.Environment['IOTADMIN_MODULE_PATH'] = $env:IOTADMIN_MODULE_PATH
        $info.Environment['IOTADMIN_KNOWN_HOSTS'] = $knownHosts
        $process = [System.Diagnostics.Process]::Start($info)
        $process.StandardInput.Write($InputText)
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit(180000)) {
            $process.Kill($true)
            throw "The child pwsh did not finish: $($Arguments -join ' ')"
        }

        return [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Error = $stderr.Result }
    }

    function Invoke-DscResource([string] $Operation, [hashtable] $Instance) {
        # As dsc does: the command and arguments from the manifest, run in the manifest's folder, the
        # instance as one line of JSON on stdin.
        $folder = Join-Path $moduleBase 'dsc'
        $manifest = Get-Content -Raw (Join-Path $folder 'IoTAdmin.DeviceConfiguration.dsc.resource.json') |
            ConvertFrom-Json
        $method = $manifest.$Operation
        $method.executable | Should -Be 'pwsh'
        $method.input | Should -Be 'stdin'
        return Invoke-Child -Arguments @($method.args) -Verbatim -WorkingDirectory $folder `
            -InputText ($Instance | ConvertTo-Json -Compress)
    }

    function Get-SnmpConf { Get-Content -Raw "$disk/etc/snmp/snmpd.conf" }

    $script:before = Test-IoTConfiguration @common -Credential $oldLogin -Verbose 4>&1 |
        Tee-Object -Variable beforeStream | Where-Object { $_ -is [IoTAdmin.Engine.Configuration.ConfigurationResult] }
    $script:streamText = $beforeStream | Out-String -Width 400
}

AfterAll {
    & bash $labScript reset cam1 | Out-Null
}

Describe 'Test-IoTConfiguration on the factory camera' -Tag 'Lab' {
    It 'Reports <_> as drift' -ForEach @('Accounts', 'ServicesOff', 'Snmp', 'AllowedPorts', 'Ntp', 'Syslog') {
        $result = $before | Where-Object Setting -eq $_
        $result.Status | Should -BeIn @('Drift', 'NotRemediable') -Because "$_ is not set up on the factory camera"
        $result.InDesiredState | Should -BeFalse
    }

    It 'Says what it saw: telnetd running, the public community, port 23 open, the default password' {
        ($before | Where-Object Setting -eq 'ServicesOff').Actual | Should -Match 'telnetd: enabled, running'
        ($before | Where-Object Setting -eq 'Snmp').Actual | Should -Match 'v1/v2c on'
        ($before | Where-Object Setting -eq 'AllowedPorts').Actual | Should -Match '\b23\b'
        ($before | Where-Object Setting -eq 'Accounts').Actual | Should -Match 'default password'
    }

    It 'Plans no remedy for AllowedPorts but explains it' {
        $ports = $before | Where-Object Setting -eq 'AllowedPorts'
        $ports.Status | Should -Be 'NotRemediable'
        $ports.Message | Should -Match 'ServicesOff'
    }
}

Describe 'Set-IoTConfiguration -WhatIf' -Tag 'Lab' {
    BeforeAll {
        $script:snmpBefore = Get-SnmpConf
        $script:shadowBefore = Get-Content -Raw "$disk/etc/shadow"
        $script:whatIf = Set-IoTConfiguration @common -Credential $oldLogin @setSecrets -WhatIf
        $script:whatIfChild = Invoke-Child -Arguments @('-Command', @"
Import-Module `$env:IOTADMIN_MODULE_PATH
`$login = Import-Clixml '$oldLoginFile'
Set-IoTConfiguration -Path '$documentPath' -KnownHostsPath '$knownHosts' -Credential `$login -WhatIf |
    Out-Null
"@)
    }

    It 'Lists the exact operations, secrets masked' {
        $operations = @($whatIf | ForEach-Object Operations | ForEach-Object { $_.ToString() })
        $operations | Should -Contain ($operations | Where-Object { $_ -match 'Disable service telnetd' })
        ($operations -join "`n") | Should -Match 'createUser iotmon SHA-256 "\*{8}" AES "\*{8}"'
        ($operations -join "`n") | Should -Match "comment out 'rocommunity public default'"
        ($operations -join "`n") | Should -Match 'Rotate the password of root'
        ($whatIf | Where-Object { $_.Operations.Count -gt 0 }).Status | Sort-Object -Unique | Should -Be 'WouldChange'
        $whatIfChild.Output | Should -Match 'What if: .*Disable service telnetd'
        $whatIfChild.ExitCode | Should -Be 0
    }

    It 'Leaves the camera untouched' {
        Get-SnmpConf | Should -Be $snmpBefore
        Get-Content -Raw "$disk/etc/shadow" | Should -Be $shadowBefore
        Test-TcpOpen 23 | Should -BeTrue
    }
}

Describe 'The DSC v3 resource before the change' -Tag 'Lab' {
    It 'test writes the drift as JSON with _inDesiredState false and exit code 0' {
        $run = Invoke-DscResource test @{ address = $cam.address; configurationPath = $documentPath
            credentialPath = $oldLoginFile; settings = @('ServicesOff', 'Snmp') }
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $lines = @($run.Output.Trim() -split "`n")
        $lines.Count | Should -Be 2
        $state = $lines[0] | ConvertFrom-Json
        $state._inDesiredState | Should -BeFalse
        $state.address | Should -Be $cam.address
        ($state.results | Where-Object setting -eq 'ServicesOff').status | Should -Be 'Drift'
        ($lines[1] | ConvertFrom-Json) | Should -Be @('results')
    }

    It 'rejects an instance without its required properties with exit code 1' {
        $run = Invoke-DscResource test @{ address = $cam.address }
        $run.ExitCode | Should -Be 1
        $run.Error | Should -Match 'configurationPath'
    }
}

Describe 'A scheduled-style audit under pwsh -NonInteractive' -Tag 'Lab' {
    It 'Completes without a prompt and signals new findings with exit code 1, then known ones with 2' {
        $audit = Join-Path $PSScriptRoot '../examples/scheduled/Invoke-IoTScheduledAudit.ps1'
        $state = Join-Path $TestDrive 'audit-state.json'
        $arguments = @('-File', $audit, '-ConfigurationPath', $documentPath, '-CredentialPath', $oldLoginFile,
            '-KnownHostsPath', $knownHosts, '-StatePath', $state)
        $first = Invoke-Child -Arguments $arguments
        $first.ExitCode | Should -Be 1 -Because $first.Error
        $first.Output | Should -Match 'NEW: 10\.47\.0\.11\|ServicesOff'
        $second = Invoke-Child -Arguments $arguments
        $second.ExitCode | Should -Be 2 -Because $second.Error
    }

    It 'Fails at once with exit code 4 naming the account when the credential cannot be read (BR-11)' {
        $audit = Join-Path $PSScriptRoot '../examples/scheduled/Invoke-IoTScheduledAudit.ps1'
        $broken = Join-Path $TestDrive 'other-account.clixml'
        Set-Content -Path $broken -Value '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCredential</T></TN><Props><S N="UserName">root</S><SS N="Password">not-a-protected-string</SS></Props></Obj></Objs>'
        $run = Invoke-Child -Arguments @('-File', $audit, '-ConfigurationPath', $documentPath,
            '-CredentialPath', $broken, '-CheckCredentialOnly')
        $run.ExitCode | Should -Be 4
        $run.Error | Should -Match ([regex]::Escape([Environment]::UserName))
    }
}

Describe 'Set-IoTConfiguration on the camera' -Tag 'Lab' {
    BeforeAll {
        $script:set = Set-IoTConfiguration @common -Credential $oldLogin @setSecrets -Confirm:$false -Verbose 4>&1 |
            Tee-Object -Variable setStream |
            Where-Object { $_ -is [IoTAdmin.Engine.Configuration.ConfigurationResult] }
        $script:streamText += $setStream | Out-String -Width 400
        $script:second = Set-IoTConfiguration @common -Credential $newLogin @setSecrets -Confirm:$false
    }

    It 'Changes <_> and reads it back in the desired state' -ForEach @('Accounts', 'ServicesOff', 'Snmp', 'Ntp', 'Syslog') {
        $result = $set | Where-Object Setting -eq $_
        $result.Status | Should -Be 'Changed' -Because $result.Message
    }

    It 'Closes the telnet port seen from outside, so AllowedPorts holds after the re-test' {
        ($set | Where-Object Setting -eq 'AllowedPorts').Status | Should -Be 'InDesiredState'
        Test-TcpOpen 23 | Should -BeFalse
    }

    It 'Keeps the SNMPv3 passphrases in a file only root can read' {
        & stat -c '%a' "$disk/etc/snmp/snmpd.conf" | Should -Be '600'
        & stat -c '%a' "$disk/etc/snmp/snmpd.conf.iotadmin-bak" | Should -Be '600'
    }

    It 'Leaves SNMP to the new v3 user only' {
        $v3 = New-IoTSnmpCredential -Credential (ConvertTo-Credential iotmon $snmpAuth) -AuthProtocol Sha256 `
            -PrivProtocol Aes128 -PrivPassphrase (ConvertTo-SecureString $snmpPriv -AsPlainText -Force)
        (Get-IoTSnmpValue -Address $cam.address -Oid sysName.0 -Credential $v3).Value | Should -Be 'cam1'
        & snmpget -v2c -c public -t 1 -r 0 $cam.address 1.3.6.1.2.1.1.5.0 2>&1 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
    }

    It 'Rotated the password: the new one logs in, the old one is refused' {
        $old = Test-IoTConfiguration @common -Credential $oldLogin -Setting ServicesOff -ErrorAction SilentlyContinue `
            -ErrorVariable refused
        $old.Status | Should -Be 'Error'
        "$refused" | Should -Match 'ConfigurationTestFailed|auth|denied|refused'
        ($second | Where-Object Setting -eq 'Accounts').Status | Should -Be 'InDesiredState'
    }

    It 'A second run changes nothing' {
        $second | Where-Object { $_.Status -ne 'InDesiredState' } | Should -BeNullOrEmpty
        @($second | ForEach-Object Operations).Count | Should -Be 0
    }

    It 'The DSC resource test now reports the camera in its desired state' {
        $run = Invoke-DscResource test @{ address = $cam.address; configurationPath = $documentPath
            credentialPath = $newLoginFile }
        $run.ExitCode | Should -Be 0 -Because $run.Error
        ($run.Output.Trim() -split "`n")[0] | ConvertFrom-Json | ForEach-Object _inDesiredState | Should -BeTrue
    }

    It 'A scheduled audit of the configured camera exits 0' {
        $audit = Join-Path $PSScriptRoot '../examples/scheduled/Invoke-IoTScheduledAudit.ps1'
        $run = Invoke-Child -Arguments @('-File', $audit, '-ConfigurationPath', $documentPath, '-CredentialPath',
            $newLoginFile, '-KnownHostsPath', $knownHosts, '-StatePath', (Join-Path $TestDrive 'state2.json'))
        $run.ExitCode | Should -Be 0 -Because "$($run.Output) $($run.Error)"
    }

    It 'Never shows a secret in results, operations, verbose output or errors' {
        $text = $streamText + ($set + $second | Format-List * | Out-String -Width 400) +
            ($set.Operations | Out-String -Width 400)
        foreach ($secret in $secrets) {
            $text | Should -Not -Match ([regex]::Escape($secret))
        }
    }
}

Describe 'SshKeyOnly on the camera' -Tag 'Lab' {
    BeforeAll {
        # Runs last: afterwards the camera only takes this key, until AfterAll resets it.
        $script:key = Join-Path $TestDrive 'cam1_ed25519'
        ssh-keygen -q -t ed25519 -N '' -C 'iotadmin-config-test' -f $key | Out-Null
        $script:keyDocument = Join-Path $TestDrive 'key-only.psd1'
        Set-Content -Path $keyDocument -Value @"
@{
    Name     = 'Key login only'
    Defaults = @{ SshKeyOnly = `$true; AuthorizedKeys = @('$((Get-Content -Raw "$key.pub").Trim())') }
    Devices  = @{ '$($cam.address)' = @{ Profile = 'Camera' } }
}
"@
        $script:keyOnly = @{ Path = $keyDocument; KnownHostsPath = $knownHosts; Setting = 'SshKeyOnly'; Timeout = 20 }
        $script:keyBefore = Test-IoTConfiguration @keyOnly -Credential $newLogin
        $script:keySet = Set-IoTConfiguration @keyOnly -Credential $newLogin -KeyFile $key -Confirm:$false
        $script:keyAfter = Test-IoTConfiguration @keyOnly -KeyFile $key
    }

    It 'Reports password login on and the key missing before the run' {
        $keyBefore.Status | Should -Be 'Drift' -Because $keyBefore.Message
        $keyBefore.Actual | Should -Match 'password login on'
        $keyBefore.Actual | Should -Match 'wanted key\(s\) missing'
    }

    It 'Installs the key, proves it and turns password login off' {
        $keySet.Status | Should -Be 'Changed' -Because $keySet.Message
        $keyAfter.Status | Should -Be 'InDesiredState' -Because $keyAfter.Message
        $keyAfter.Actual | Should -Match 'password login off'
    }

    It 'Refuses the password afterwards while the key still logs in' {
        $password = Test-IoTCredential -Address $cam.address -Protocol Ssh -Credential $newLogin `
            -KnownHostsPath $knownHosts
        $password.Status | Should -BeIn 'NotAccepted', 'NotApplicable'
        (Test-IoTConfiguration @keyOnly -KeyFile $key).InDesiredState | Should -BeTrue
    }
}
