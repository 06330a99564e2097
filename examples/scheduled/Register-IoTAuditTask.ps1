<#
.SYNOPSIS
    Registers Invoke-IoTScheduledAudit.ps1 as a scheduled task (Windows), a systemd timer or a cron
    job, after proving that the task's account can read the saved credentials.
.DESCRIPTION
    Field report BR-11: credentials saved by the admin (Export-Clixml with DPAPI, a SecretStore vault)
    cannot be decrypted by a task running as SYSTEM or a service account. This script refuses to
    register such a task: it runs the audit script with -CheckCredentialOnly as the task's account
    first (runuser on Linux; on Windows the account must be the one running this script, because
    DPAPI protects for the current user) and stops with the reason when that fails.
.EXAMPLE
    ./Register-IoTAuditTask.ps1 -Scheduler Systemd -ConfigurationPath /etc/iotadmin/fleet.psd1 `
        -CredentialPath /var/lib/iotadmin/login.clixml -User iotaudit -OutputPath /etc/systemd/system
.EXAMPLE
    ./Register-IoTAuditTask.ps1 -Scheduler TaskScheduler -ConfigurationPath C:\IoT\fleet.psd1 -CredentialPath C:\IoT\login.xml
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [ValidateSet('Systemd', 'Cron', 'TaskScheduler')] [string] $Scheduler,
    [Parameter(Mandatory)] [string] $ConfigurationPath,
    [string] $CredentialPath,
    [string] $Vault,
    [string] $CredentialSecret,
    [string] $User = [Environment]::UserName,
    [string] $OutputPath = '.',
    [string] $OnCalendar = 'daily',
    [string] $CronSchedule = '17 3 * * *',
    # TaskScheduler only: the account the task runs as (the one that saved the credentials).
    [pscredential] $TaskCredential
)

$ErrorActionPreference = 'Stop'
if ($Scheduler -eq 'TaskScheduler') {
    if (-not $TaskCredential) { throw 'TaskScheduler needs -TaskCredential, the account the task runs as.' }
    $User = $TaskCredential.GetNetworkCredential().UserName
}

$script = Join-Path $PSScriptRoot 'Invoke-IoTScheduledAudit.ps1'
$pwsh = (Get-Process -Id $PID).Path
$arguments = @('-NoProfile', '-NonInteractive', '-File', $script, '-ConfigurationPath', $ConfigurationPath)
if ($CredentialPath) { $arguments += @('-CredentialPath', $CredentialPath) }
if ($Vault) { $arguments += @('-Vault', $Vault, '-CredentialSecret', $CredentialSecret) }
if ($env:IOTADMIN_MODULE_PATH) { $arguments += @('-ModulePath', $env:IOTADMIN_MODULE_PATH) }

function Assert-AccountCanRead {
    $check = $arguments + '-CheckCredentialOnly'
    if ($Scheduler -eq 'TaskScheduler' -or $User -eq [Environment]::UserName) {
        if ($Scheduler -eq 'TaskScheduler' -and $User -ne [Environment]::UserName) {
            throw ("Refusing to register: the task would run as $User, but the credentials were saved by " +
                "$([Environment]::UserName) and DPAPI lets only that account decrypt them. Register the task " +
                "as $([Environment]::UserName), or save the credentials while logged in as $User.")
        }

        & $pwsh @check
    } else {
        & runuser -u $User -- $pwsh @check
    }

    if ($LASTEXITCODE -ne 0) {
        throw "Refusing to register: account $User cannot read the credentials (exit code $LASTEXITCODE, see above)."
    }
}

Assert-AccountCanRead
$command = ($pwsh, $arguments | ForEach-Object { $_ } | ForEach-Object { if ($_ -match '\s') { "'$_'" } else { $_ } }) -join ' '
switch ($Scheduler) {
    'Systemd' {
        $service = @"
[Unit]
Description=IoTAdmin configuration audit (SYS.4.4 M23)
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
User=$User
ExecStart=$command
# 1 = new findings: recorded as a failed run, so OnFailure= or monitoring can alert on it.
SuccessExitStatus=0 2
"@
        $timer = @"
[Unit]
Description=Run the IoTAdmin configuration audit $OnCalendar

[Timer]
OnCalendar=$OnCalendar
Persistent=true
RandomizedDelaySec=10m

[Install]
WantedBy=timers.target
"@
        if ($PSCmdlet.ShouldProcess($OutputPath, 'Write iotadmin-audit.service and iotadmin-audit.timer')) {
            Set-Content -Path (Join-Path $OutputPath 'iotadmin-audit.service') -Value $service -Encoding ascii
            Set-Content -Path (Join-Path $OutputPath 'iotadmin-audit.timer') -Value $timer -Encoding ascii
            Write-Output 'Now: systemctl daemon-reload; systemctl enable --now iotadmin-audit.timer'
        }
    }
    'Cron' {
        $line = "$CronSchedule $User $command >> /var/log/iotadmin-audit.log 2>&1"
        if ($PSCmdlet.ShouldProcess($OutputPath, 'Write the cron file iotadmin-audit')) {
            Set-Content -Path (Join-Path $OutputPath 'iotadmin-audit') -Value $line -Encoding ascii
            Write-Output "Copy $(Join-Path $OutputPath 'iotadmin-audit') to /etc/cron.d/ (root-owned, mode 644)."
        }
    }
    'TaskScheduler' {
        $action = New-ScheduledTaskAction -Execute $pwsh -Argument (($arguments | ForEach-Object { "`"$_`"" }) -join ' ')
        $trigger = New-ScheduledTaskTrigger -Daily -At 3:17am
        if ($PSCmdlet.ShouldProcess('IoTAdmin audit', 'Register-ScheduledTask')) {
            # A password logon loads the account's profile and DPAPI keys (S4U logons do not get them).
            # The task's "Last Run Result" is the audit's exit code.
            $plain = $TaskCredential.GetNetworkCredential().Password
            Register-ScheduledTask -TaskName 'IoTAdmin audit' -Action $action -Trigger $trigger `
                -User $TaskCredential.UserName -Password $plain -RunLevel Limited
        }
    }
}
