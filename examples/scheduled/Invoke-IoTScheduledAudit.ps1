<#
.SYNOPSIS
    Scheduled configuration audit: tests devices against a configuration document, never prompts,
    and says by its exit code whether there are new findings.
.DESCRIPTION
    Meant for a systemd timer, cron or the Windows Task Scheduler, run as
        pwsh -NoProfile -NonInteractive -File Invoke-IoTScheduledAudit.ps1 -ConfigurationPath ... 
    The device login comes from an Export-Clixml PSCredential file (-CredentialPath) or a
    SecretManagement vault (-Vault, -CredentialSecret). It is read first; when this account cannot
    read it (BR-11: saved by another account, DPAPI), the script stops with exit code 4 and says which
    account failed.

    Each run writes the drift it found to -StatePath; a finding is new when it was not in the previous
    run. Exit codes (examples/Invoke-ScheduledAudit.ps1, the baseline audit, uses the same):
        0  every device in its desired state
        1  new drift since the last run (alert)
        2  drift, all of it already reported by the previous run
        3  a device could not be audited
        4  the run could not start: document, module or credentials
.EXAMPLE
    pwsh -NoProfile -NonInteractive -File ./Invoke-IoTScheduledAudit.ps1 -ConfigurationPath /etc/iotadmin/fleet.psd1 `
        -CredentialPath /var/lib/iotadmin/login.clixml -StatePath /var/lib/iotadmin/audit-state.json
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ConfigurationPath,
    [string] $CredentialPath,
    [string] $Vault,
    [string] $CredentialSecret,
    [string] $KnownHostsPath,
    [string] $StatePath = (Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'IoTAdmin/audit-state.json'),
    [string] $ReportPath,
    [string] $ModulePath = $(if ($env:IOTADMIN_MODULE_PATH) { $env:IOTADMIN_MODULE_PATH } else { 'IoTAdmin' }),
    # Only proves that this account can load the module and read the credential; used at registration.
    [switch] $CheckCredentialOnly
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$account = "$([Environment]::UserDomainName)\$([Environment]::UserName)"

function Stop-Run([string] $Message) {
    [Console]::Error.WriteLine("IoTAdmin audit: $Message")
    exit 4
}

try {
    Import-Module $ModulePath
} catch {
    Stop-Run "the IoTAdmin module could not be loaded: $($_.Exception.Message)"
}

$login = @{}
if ($CredentialPath) {
    try {
        $credential = Import-Clixml -LiteralPath $CredentialPath
        $null = $credential.GetNetworkCredential().Password
        $login.Credential = $credential
    } catch {
        Stop-Run ("account $account cannot read the credential file '$CredentialPath': $($_.Exception.Message). " +
            'Save it again while logged in as this account (Export-Clixml protects it for the account that wrote it).')
    }
} elseif ($Vault) {
    $login.Vault = $Vault
    $login.CredentialSecret = $CredentialSecret
} else {
    Stop-Run 'give -CredentialPath or -Vault with -CredentialSecret.'
}

if ($CheckCredentialOnly) {
    if ($Vault) {
        try {
            # Reads the secret exactly as the audit will, without touching a device.
            $null = Test-IoTConfiguration -Path $ConfigurationPath @login -Address 127.0.0.1 -Setting Ntp `
                -Timeout 1 -ErrorAction SilentlyContinue
        } catch {
            Stop-Run "account ${account}: $($_.Exception.Message)"
        }
    }

    Write-Output "IoTAdmin audit: account $account can read its credentials."
    exit 0
}

if ($KnownHostsPath) { $login.KnownHostsPath = $KnownHostsPath }
$deviceErrors = @()
try {
    $results = @(Test-IoTConfiguration -Path $ConfigurationPath @login -ErrorAction SilentlyContinue `
            -ErrorVariable +deviceErrors)
} catch {
    Stop-Run $_.Exception.Message
}

$drift = @($results | Where-Object { -not $_.InDesiredState -and $_.Status -ne 'Error' } |
        ForEach-Object { "$($_.DeviceAddress)|$($_.Setting)|$($_.Actual)" } | Sort-Object -Unique)
$previous = @()
if (Test-Path -LiteralPath $StatePath) {
    $previous = @((Get-Content -Raw -LiteralPath $StatePath | ConvertFrom-Json).drift)
}

$new = @($drift | Where-Object { $_ -notin $previous })
$null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $StatePath)
@{ when = (Get-Date).ToUniversalTime().ToString('o'); drift = $drift } | ConvertTo-Json |
    Set-Content -LiteralPath $StatePath -Encoding utf8

if ($ReportPath) {
    $null = $results | ForEach-Object { [IoTAdmin.Engine.Configuration.ConfigurationRuleResults]::ToRuleResult($_) } |
        Export-IoTReport -Path $ReportPath -Baseline (Split-Path -Leaf $ConfigurationPath) -Confirm:$false
}

foreach ($finding in $new) {
    Write-Output "NEW: $finding"
}

if ($new.Count -gt 0) { exit 1 }
if ($deviceErrors.Count -gt 0 -or ($results | Where-Object Status -eq 'Error')) {
    $deviceErrors | ForEach-Object { [Console]::Error.WriteLine("IoTAdmin audit: $_") }
    exit 3
}
if ($drift.Count -gt 0) { exit 2 }
exit 0
