<#
.SYNOPSIS
    DSC v3 command resource IoTAdmin/DeviceConfiguration: get, test and set one IoT device against
    an IoTAdmin configuration document.
.DESCRIPTION
    dsc runs this script with pwsh -NonInteractive and sends the instance as one line of JSON on
    stdin. The script writes JSON lines on stdout and nothing else: get and test write the state (test
    adds _inDesiredState), then test and set write the array of properties that differ or changed
    ("return": "stateAndDiff"). Messages go to stderr as JSON trace lines. Exit codes: 0 success (drift
    is reported in the JSON, not by the exit code), 1 invalid input, 2 the device failed,
    3 the credentials could not be read by this account.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory, Position = 0)]
    [ValidateSet('get', 'test', 'set')]
    [string] $Operation
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ProgressPreference = 'SilentlyContinue'

function Write-Trace {
    param([string] $Level, [string] $Message)
    [Console]::Error.WriteLine((@{ $Level = $Message } | ConvertTo-Json -Compress))
}

function Exit-With {
    param([int] $Code, [string] $Message)
    Write-Trace 'error' $Message
    exit $Code
}

function Read-Instance {
    $text = [Console]::In.ReadToEnd()
    if ([string]::IsNullOrWhiteSpace($text)) {
        Exit-With 1 'No instance JSON on stdin.'
    }

    try {
        $instance = $text | ConvertFrom-Json -AsHashtable
    } catch {
        Exit-With 1 "The input is not JSON: $($_.Exception.Message)"
    }

    $known = 'address', 'configurationPath', 'settings', 'credentialPath', 'vault', 'credentialSecret',
        'secretsPath', 'knownHostsPath', 'acceptNewHostKey', 'results', '_inDesiredState'
    foreach ($key in $instance.Keys) {
        if ($key -notin $known) {
            Exit-With 1 "Unknown property '$key'."
        }
    }

    foreach ($key in 'address', 'configurationPath') {
        if (-not $instance[$key]) {
            Exit-With 1 "The property '$key' is required."
        }
    }

    return $instance
}

function Import-IoTAdmin {
    $shipped = Join-Path (Split-Path $PSScriptRoot -Parent) 'IoTAdmin.psd1'
    $module = if ($env:IOTADMIN_MODULE_PATH) { $env:IOTADMIN_MODULE_PATH }
        elseif (Test-Path $shipped) { $shipped }
        else { 'IoTAdmin' }
    Import-Module $module -ErrorAction Stop
}

function Import-Secret {
    # Export-Clixml files: DPAPI-protected on Windows, so only the account that wrote them reads them.
    param([string] $Path, [string] $What)
    try {
        return Import-Clixml -LiteralPath $Path
    } catch {
        Exit-With 3 ("The account $([Environment]::UserName) cannot read the $What in '$Path': " +
            "$($_.Exception.Message) Save it again as the account dsc runs under.")
    }
}

function Get-RunParameters {
    param([hashtable] $Instance)

    $run = @{
        Path        = $Instance.configurationPath
        Address     = $Instance.address
        ErrorAction = 'Continue'
    }
    if ($Instance['settings']) { $run.Setting = [string[]] $Instance.settings }
    if ($Instance['credentialPath']) { $run.Credential = Import-Secret $Instance.credentialPath 'credential' }
    if ($Instance['vault']) { $run.Vault = $Instance.vault; $run.CredentialSecret = $Instance['credentialSecret'] }
    if ($Instance['knownHostsPath']) { $run.KnownHostsPath = $Instance.knownHostsPath }
    if ($Instance['acceptNewHostKey']) { $run.AcceptNewHostKey = $true }
    return $run
}

function ConvertTo-State {
    param([hashtable] $Instance, [object[]] $Results, $InDesiredState)

    $state = [ordered]@{
        address           = $Instance.address
        configurationPath = $Instance.configurationPath
    }
    if ($Instance['settings']) { $state.settings = @($Instance.settings) }
    $state.results = @($Results | ForEach-Object {
            [ordered]@{
                setting    = $_.Setting
                status     = $_.Status.ToString()
                desired    = $_.Desired
                actual     = $_.Actual
                operations = @($_.Operations | ForEach-Object { $_.ToString() })
                message    = $_.Message
            }
        })
    $state._inDesiredState = $InDesiredState
    return $state
}

$instance = Read-Instance
try {
    Import-IoTAdmin
} catch {
    Exit-With 1 "The IoTAdmin module could not be loaded: $($_.Exception.Message)"
}

$run = Get-RunParameters $instance
$deviceErrors = @()
try {
    if ($Operation -eq 'set') {
        if ($instance['secretsPath']) {
            $secrets = Import-Secret $instance.secretsPath 'secrets'
            foreach ($name in 'NewCredential', 'SnmpUser', 'SnmpPrivacy') {
                if ($secrets[$name]) { $run[$name] = $secrets[$name] }
            }
        }

        $results = @(Set-IoTConfiguration @run -Confirm:$false -ErrorVariable +deviceErrors)
    } else {
        $results = @(Test-IoTConfiguration @run -ErrorVariable +deviceErrors)
    }
} catch {
    $code = if ($_.FullyQualifiedErrorId -match 'Vault|Credential') { 3 } else { 1 }
    Exit-With $code $_.Exception.Message
}

foreach ($problem in $deviceErrors) {
    Write-Trace 'warn' $problem.ToString()
}

$inDesiredState = -not ($results | Where-Object { -not $_.InDesiredState })
switch ($Operation) {
    'get' {
        ConvertTo-State $instance $results $null | ConvertTo-Json -Depth 6 -Compress
    }
    'test' {
        ConvertTo-State $instance $results $inDesiredState | ConvertTo-Json -Depth 6 -Compress
        $diff = if ($inDesiredState) { @() } else { @('results') }
        ConvertTo-Json -InputObject @($diff) -Compress
    }
    'set' {
        ConvertTo-State $instance $results $null | ConvertTo-Json -Depth 6 -Compress
        $changed = @($results | Where-Object { $_.Status -eq 'Changed' })
        ConvertTo-Json -InputObject @($(if ($changed.Count -gt 0) { 'results' })) -Compress
    }
}

$failed = $results | Where-Object { $_.Status -in 'Error', 'Failed' }
if ($failed -or ($deviceErrors.Count -gt 0 -and $results.Count -eq 0)) {
    exit 2
}

exit 0
