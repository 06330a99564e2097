# The action log, Test-IoTTraffic and Watch-IoTDevice against the live lab: SNMP writes to cam1 are recorded
# and every kind of tampering is caught; flows cam1 really makes (logged by nftables in its namespace and
# exported by softflowd) are judged; restarting cam1 raises a reboot alert.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version 3.0
    . (Join-Path $PSScriptRoot 'LabFixture.ps1')
    Import-Module $env:IOTADMIN_MODULE_PATH -Force

    $script:cam = Get-LabDevice cam1
    $script:hvac = Get-LabDevice hvac1
    $script:labScript = Join-Path $PSScriptRoot 'lab/lab.sh'
    $script:public = New-IoTSnmpCredential -Community ([pscredential]::new('community',
            (ConvertTo-SecureString 'public' -AsPlainText -Force)))

    function Invoke-InCam([string[]] $Command) {
        & ip netns exec $cam.netns @Command
    }
}

Describe 'Action log' -Tag 'Lab' {
    BeforeAll {
        $script:savedEnvironment = @{}
        foreach ($name in 'IOTADMIN_ACTION_LOG', 'IOTADMIN_ACTION_LOG_KEY', 'IOTADMIN_ACTION_LOG_ANCHOR',
            'IOTADMIN_ACTION_LOG_SYSLOG') {
            $savedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $null)
        }

        $script:logPath = Join-Path $TestDrive 'logs/actions.jsonl'
        $script:keyPath = Join-Path $TestDrive 'keys/action-log.key'
        $env:IOTADMIN_ACTION_LOG = $logPath
        $env:IOTADMIN_ACTION_LOG_KEY = $keyPath

        # cam1's 'public' is read-only: each SET is refused, and each attempt is an entry.
        foreach ($room in 1..4) {
            Set-IoTSnmpValue -Address $cam.address -Oid sysLocation.0 -Value "room $room" -Credential $public `
                -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable +script:setErrors
        }

        $script:anchorPath = (Get-ChildItem (Join-Path $TestDrive 'keys') -Filter '*.head').FullName

        function Test-TamperedCopy([scriptblock] $Change) {
            $lines = [System.Collections.Generic.List[string]]::new([string[]](Get-Content $logPath))
            & $Change $lines
            $copy = Join-Path $TestDrive "tampered-$([guid]::NewGuid().ToString('N')).jsonl"
            [System.IO.File]::WriteAllLines($copy, [string[]]$lines.ToArray())
            return Test-IoTActionLog -Path $copy -AnchorPath $anchorPath
        }
    }

    AfterAll {
        foreach ($name in $savedEnvironment.Keys) {
            [Environment]::SetEnvironmentVariable($name, $savedEnvironment[$name])
        }
    }

    It 'Records each SET attempt: who, which device, what, the outcome, with the credential masked' {
        $setErrors.Count | Should -Be 4
        $entries = @(Get-IoTActionLog)
        $entries.Count | Should -Be 4
        $entries.Sequence | Should -Be (1..4)
        $entries[0].Action | Should -Be 'Set-IoTSnmpValue'
        $entries[0].Device | Should -Be $cam.address
        $entries[0].Outcome | Should -Be 'Failed'
        $entries[0].Actor | Should -Match ([regex]::Escape([Environment]::UserName))
        $entries[2].Parameters['Value'] | Should -Be 'room 3'
        $entries[0].Parameters['Credential'] | Should -Be '********'
        Get-Content -Raw $logPath | Should -Not -Match '"public"'
    }

    It 'Keeps the key owner-only and away from the log' {
        (Split-Path $keyPath) | Should -Not -Be (Split-Path $logPath)
        [System.IO.File]::GetUnixFileMode($keyPath) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'Filters by device, action and time' {
        @(Get-IoTActionLog -Device $cam.address -Action 'Set-*').Count | Should -Be 4
        @(Get-IoTActionLog -Device '10.47.0.99').Count | Should -Be 0
        @(Get-IoTActionLog -After (Get-Date).AddMinutes(5)).Count | Should -Be 0
    }

    It 'Calls the untouched log intact' {
        $result = Test-IoTActionLog
        $result.IsIntact | Should -BeTrue
        $result.EntryCount | Should -Be 4
        Test-IoTActionLog -Quiet | Should -BeTrue
    }

    It 'Catches a log whose entry was <Name> and says where' -ForEach @(
        @{ Name = 'edited'; Kind = 'Edited'; Line = 2
            Change = { param($l) $l[1] = $l[1].Replace('"outcome":"Failed"', '"outcome":"Success"') } }
        @{ Name = 'deleted'; Kind = 'Deleted'; Line = 2; Change = { param($l) $l.RemoveAt(1) } }
        @{ Name = 'inserted (replayed)'; Kind = 'Inserted'; Line = 3; Change = { param($l) $l.Insert(2, $l[0]) } }
        @{ Name = 'reordered'; Kind = 'Reordered'; Line = 2
            Change = { param($l) $second = $l[1]; $l[1] = $l[2]; $l[2] = $second } }
        @{ Name = 'truncated (last)'; Kind = 'Truncated'; Line = 0; Change = { param($l) $l.RemoveAt($l.Count - 1) } }
    ) {
        $result = Test-TamperedCopy $Change

        $result.IsIntact | Should -BeFalse
        $result.Problems[0].Kind | Should -Be $Kind
        $result.Problems[0].Line | Should -Be $Line
    }

    It 'Keeps one unbroken chain when three processes append at once' {
        $module = $env:IOTADMIN_MODULE_PATH
        $jobs = 1..3 | ForEach-Object {
            Start-Job -ArgumentList $module, $logPath, $keyPath, $_ -ScriptBlock {
                param($Module, $Log, $Key, $Writer)
                Import-Module $Module
                $options = [IoTAdmin.Engine.ActionLog.ActionLogOptions]::new($Log, $Key, $null)
                $appender = [IoTAdmin.Engine.ActionLog.ActionLogWriter]::new($options, $null)
                foreach ($i in 1..20) {
                    $null = $appender.Append([IoTAdmin.Engine.ActionLog.ActionRecord]::new('Concurrent', "job$Writer",
                            'Success'))
                }
            }
        }
        $null = $jobs | Wait-Job -Timeout 60
        $jobs | Receive-Job -ErrorAction Stop
        $jobs | Remove-Job -Force

        $result = Test-IoTActionLog
        $result.Problems | Should -BeNullOrEmpty
        $result.EntryCount | Should -Be 64
    }
}

Describe 'Test-IoTTraffic against flows cam1 makes' -Tag 'Lab' {
    BeforeAll {
        $script:nonce = 'IOTT' + (Get-Random -Maximum 99999999)
        $script:mgmtPort = 47000 + (Get-Random -Maximum 999)
        $script:oldLogAllNetns = (& sysctl -n net.netfilter.nf_log_all_netns)
        # Kernel log lines from a namespace other than the host's are only written with this switch.
        & sysctl -qw net.netfilter.nf_log_all_netns=1
        $rules = "table inet iotadmin_t8 {`n chain out {`n type filter hook output priority 0;`n" +
        "  ip daddr 10.47.0.0/24 ct state new log prefix `"$nonce `"`n }`n}`n"
        $rules | & ip netns exec $cam.netns nft -f -

        # softflowd reads a capture of cam1's interface taken while the flows happen (live, its libpcap
        # holds packets until a whole buffer block fills, which a few test flows never do).
        $script:flowPort = 47000 + (Get-Random -Maximum 999) + 1000
        $script:capture = Join-Path $TestDrive 'cam1-eth0.pcap'
        $capturer = Join-Path $TestDrive 'capture.py'
        @(
            'import socket, struct, sys, time'
            's = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))'
            's.bind(("eth0", 0)); s.settimeout(0.2)'
            'out = open(sys.argv[1], "wb"); out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))'
            'end = time.time() + float(sys.argv[2])'
            'while time.time() < end:'
            '    try: data = s.recv(65535)'
            '    except socket.timeout: continue'
            '    t = time.time()'
            '    out.write(struct.pack("<IIII", int(t), int(t % 1 * 1e6), len(data), len(data)) + data)'
            'out.close()'
        ) | Set-Content $capturer
        $capturing = Start-Process -FilePath ip -PassThru -ArgumentList 'netns', 'exec', $cam.netns, 'python3',
        $capturer, $capture, '3'
        Start-Sleep -Milliseconds 700

        # One connection to the management host (allowed), one to hvac1's web server (forbidden).
        Invoke-InCam nc, '-z', '-w', '1', '10.47.0.1', "$mgmtPort"
        Invoke-InCam nc, '-z', '-w', '1', $hvac.address, '443'
        Start-Sleep -Milliseconds 300
        $null = $capturing.WaitForExit(10000)

        $script:firewallLog = Join-Path $TestDrive 'kern.log'
        & dmesg | Where-Object { $_ -match $nonce } | Set-Content $firewallLog
        $script:policy = @{ Camera = '10.47.0.1'; General = '10.47.0.1' }
        $script:devices = [pscustomobject]@{ Address = $cam.address; Profile = 'Camera'; Name = 'cam1' }
    }

    AfterAll {
        & ip netns exec $cam.netns nft delete table inet iotadmin_t8
        & sysctl -qw "net.netfilter.nf_log_all_netns=$oldLogAllNetns"
    }

    It 'Logged both flows in the device namespace' {
        $lines = Get-Content $firewallLog
        ($lines -match "DST=10\.47\.0\.1 .*DPT=$mgmtPort\b").Count | Should -BeGreaterThan 0
        ($lines -match "DST=$([regex]::Escape($hvac.address)) .*DPT=443\b").Count | Should -BeGreaterThan 0
    }

    It 'Flags the forbidden flow to hvac1 with the log line as evidence' {
        $findings = @(Test-IoTTraffic -Path $firewallLog -Device $devices -Policy $policy)

        $forbidden = $findings | Where-Object { $_.Destination -eq $hvac.address -and $_.DestinationPort -eq 443 }
        $forbidden | Should -Not -BeNullOrEmpty
        $forbidden.Verdict | Should -Be 'Forbidden'
        $forbidden.Profile | Should -Be 'Camera'
        $forbidden.Evidence | Should -Match $nonce
        $forbidden.Measures | Should -Be 'M12, M17'
    }

    It 'Does not flag the allowed flow to the management host' {
        $findings = @(Test-IoTTraffic -Path $firewallLog -Device $devices -Policy $policy -IncludeAllowed)

        $management = $findings | Where-Object Destination -eq '10.47.0.1'
        $management | Should -Not -BeNullOrEmpty
        $management.Verdict | Should -Be 'Allowed'
        ($findings | Where-Object Verdict -eq 'Forbidden').Destination | Should -Not -Contain '10.47.0.1'
    }

    It 'Reports a garbled line as an error and still reads the rest' {
        $damaged = Join-Path $TestDrive 'damaged.log'
        @('Dec  3 12:00:00 gw kernel: IN= OUT=eth0 SRC=10.47.0.11 DST=10.47.0') + (Get-Content $firewallLog) |
            Set-Content $damaged

        $findings = @(Test-IoTTraffic -Path $damaged -Device $devices -Policy $policy -ErrorVariable readErrors `
                -ErrorAction SilentlyContinue)

        $readErrors.Count | Should -Be 1
        $readErrors[0].FullyQualifiedErrorId | Should -Match '^TrafficRecordInvalid'
        $readErrors[0].TargetObject | Should -Be 'damaged.log:1'
        $findings.Destination | Should -Contain $hvac.address
    }

    It 'Judges the same flows from softflowd''s NetFlow v9 export of them' {
        # softflowd exports once the collector below is listening. It runs in the test folder with relative
        # names: given the long absolute path of its control socket it never exits after the capture ends.
        $softflowd = "softflowd -d -r '$(Split-Path -Leaf $capture)' -n 10.47.0.1:$flowPort -v 9 -p sf.pid -c sf.ctl"
        $export = Start-Process -FilePath bash -PassThru -ArgumentList "-c `"sleep 1.5; cd '$TestDrive'; $softflowd`""
        $findings = @(Test-IoTTraffic -ListenPort $flowPort -ListenAddress 10.47.0.1 -Duration 5 -Device $devices `
                -Policy $policy -IncludeAllowed)
        if (-not $export.WaitForExit(10000)) {
            # A softflowd that never ends would hold the test run's output open after the last test.
            $export.Kill($true)
        }

        $hvacFlow = @($findings | Where-Object { $_.Destination -eq $hvac.address -and $_.DestinationPort -eq 443 })
        $hvacFlow.Count | Should -Be 1
        $hvacFlow[0].Verdict | Should -Be 'Forbidden'
        $hvacFlow[0].Evidence | Should -Match 'NetFlow v9'
        $management = @($findings |
                Where-Object { $_.Destination -eq '10.47.0.1' -and $_.DestinationPort -eq $mgmtPort })
        $management.Count | Should -Be 1
        $management[0].Verdict | Should -Be 'Allowed'
    }
}

Describe 'Watch-IoTDevice' -Tag 'Lab' {
    It 'Raises a reboot alert when cam1 restarts' {
        $restart = Start-Process -FilePath bash -ArgumentList "-c `"sleep 5; bash '$labScript' restart cam1`"" `
            -PassThru -RedirectStandardOutput (Join-Path $TestDrive 'restart.out') `
            -RedirectStandardError (Join-Path $TestDrive 'restart.err')
        try {
            $alerts = @(Watch-IoTDevice -Address $cam.address -Name cam1 -Credential $public -Interval 2 -Count 14)
        }
        finally {
            $null = $restart.WaitForExit(60000)
        }

        $restart.ExitCode | Should -Be 0 -Because (Get-Content -Raw (Join-Path $TestDrive 'restart.err'))
        $reboot = $alerts | Where-Object Kind -eq 'Rebooted'
        $reboot | Should -Not -BeNullOrEmpty
        $reboot[0].Device | Should -Be $cam.address
        $reboot[0].Name | Should -Be 'cam1'
        $reboot[0].Value | Should -BeLessThan $reboot[0].PreviousValue
    }

    It 'Alerts once when a reading is outside its limits' {
        # The lab sets cam1's sysServices to 72.
        $limit = @{ Name = 'Services'; Oid = 'sysServices.0'; Max = 50 }

        $alerts = @(Watch-IoTDevice -Address $cam.address -Credential $public -Threshold $limit -Interval 1 -Count 2)

        $alerts.Count | Should -Be 1
        $alerts[0].Kind | Should -Be 'ThresholdExceeded'
        $alerts[0].Value | Should -Be 72
    }

    It 'Warns and alerts once when hvac1 refuses a wrong SNMPv3 passphrase' {
        $snmp = $hvac.credentials.snmp
        $wrongPassphrase = 'wrong-passphrase-4711'
        $user = [pscredential]::new($snmp.user, (ConvertTo-SecureString $wrongPassphrase -AsPlainText -Force))
        $bad = New-IoTSnmpCredential -Credential $user -AuthProtocol Sha1 -PrivProtocol Aes128 `
            -PrivPassphrase (ConvertTo-SecureString $snmp.privPassphrase -AsPlainText -Force)
        $limit = @{ Name = 'Uptime'; Oid = '1.3.6.1.2.1.1.3.0'; Max = 1 }

        $alerts = @(Watch-IoTDevice -Address $hvac.address -Credential $bad -Threshold $limit -Interval 1 -Count 3 `
                -WarningVariable warnings -WarningAction SilentlyContinue)

        $alerts.Count | Should -Be 1
        $alerts[0].Kind | Should -Be 'ReadingFailed'
        $alerts[0].Message | Should -Match 'passphrase'
        $alerts[0].Message | Should -Not -Match 'Exception|wrong-passphrase-4711'
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match ([regex]::Escape($hvac.address))
    }

    It 'Posts an alert for a silent address to a loopback webhook' {
        $port = Get-Random -Minimum 20000 -Maximum 40000
        # The listener answers from its own runspace, so the cmdlet's POST completes while it runs.
        $receiver = [powershell]::Create().AddScript({
                param($Prefix)
                $listener = [System.Net.HttpListener]::new()
                $listener.Prefixes.Add($Prefix)
                $listener.Start()
                try {
                    $request = $listener.GetContextAsync()
                    if (-not $request.Wait(20000)) {
                        return $null
                    }

                    $body = [System.IO.StreamReader]::new($request.Result.Request.InputStream).ReadToEnd()
                    $request.Result.Response.StatusCode = 204
                    $request.Result.Response.Close()
                    return $body
                }
                finally {
                    $listener.Stop()
                }
            }).AddArgument("http://127.0.0.1:$port/alerts/")
        $pending = $receiver.BeginInvoke()
        Start-Sleep -Milliseconds 500

        $alerts = @(Watch-IoTDevice -Address 10.47.0.250 -Count 1 -WebhookUri "http://127.0.0.1:$port/alerts/")
        $body = $receiver.EndInvoke($pending) | Select-Object -First 1 | ConvertFrom-Json
        $receiver.Dispose()

        $alerts[0].Kind | Should -Be 'Unreachable'
        $body.kind | Should -Be 'Unreachable'
        $body.device | Should -Be '10.47.0.250'
    }
}

Describe 'Get-IoTDeviceLog' -Tag 'Lab' {
    BeforeAll {
        $script:knownHosts = Join-Path $TestDrive 'known_hosts'
        $password = ConvertTo-SecureString $cam.credentials.ssh.password -AsPlainText -Force
        $script:root = [pscredential]::new('root', $password)
        # A failed login the device must have logged: a wrong password from the host.
        $env:SSHPASS = 'not-the-password-8'
        & sshpass -e ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 `
            -o PreferredAuthentications=password -o PubkeyAuthentication=no "root@$($cam.address)" true 2>$null
        Remove-Item Env:SSHPASS
    }

    It 'Reads cam1''s dropbear log and finds the failed login with user and client' {
        $events = @(Get-IoTDeviceLog -Address $cam.address -Credential $root -AcceptNewHostKey `
                -KnownHostsPath $knownHosts -After (Get-Date).AddMinutes(-10))

        $failed = @($events | Where-Object { $_.Kind -eq 'FailedLogin' -and $_.User -eq 'root' })
        $failed | Should -Not -BeNullOrEmpty
        $failed[-1].SourceAddress | Should -Be '10.47.0.1'
        $failed[-1].Program | Should -Be 'dropbear'
        $failed[-1].Source | Should -Be '/var/log/dropbear.log'
        $failed[-1].Device | Should -Be $cam.address
    }

    It 'Filters by kind' {
        $events = @(Get-IoTDeviceLog -Address $cam.address -Credential $root -KnownHostsPath $knownHosts `
                -Kind FailedLogin)
        $events | Should -Not -BeNullOrEmpty
        $events.Kind | Sort-Object -Unique | Should -Be 'FailedLogin'
    }
}
