<#
.SYNOPSIS
    Runs the module's Pester tests against the built module and writes the counts as JSON.

.DESCRIPTION
    Called by build.ps1 Test in a fresh PowerShell process so that the module is loaded from out/
    and nothing from an earlier import lingers. The tests find the module through the
    IOTADMIN_MODULE_PATH environment variable set here.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $PesterPath,

    [Parameter(Mandatory)]
    [string] $ModulePath,

    [Parameter(Mandatory)]
    [string] $CountsPath,

    # Only these test files (a developer's quick loop); every *.Tests.ps1 when empty.
    [string[]] $TestPath = @()
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:IOTADMIN_MODULE_PATH = (Resolve-Path $ModulePath).Path

# The changes tests make are recorded like anyone's: into a log of this run, not the account's own.
$runLog = Join-Path ([System.IO.Path]::GetTempPath()) "iotadmin-test-actions-$PID"
if (-not $env:IOTADMIN_ACTION_LOG) {
    $env:IOTADMIN_ACTION_LOG = Join-Path $runLog 'log/actions.jsonl'
    $env:IOTADMIN_ACTION_LOG_KEY = Join-Path $runLog 'key/action-log.key'
}

# Likewise the inventory a cmdlet uses without -InventoryPath (Export-IoTFirewallRule records its files there).
if (-not $env:IOTADMIN_INVENTORY) {
    $env:IOTADMIN_INVENTORY = Join-Path $runLog 'inventory.db'
}

$configuration = New-PesterConfiguration
$configuration.Run.Path = if ($TestPath.Count -gt 0) {
    # -File hands a list over as one comma-separated string.
    $TestPath -split ',' | Where-Object { $_ } | ForEach-Object { (Resolve-Path $_).Path }
} else {
    Get-ChildItem -Path $PSScriptRoot -Filter '*.Tests.ps1' -Recurse |
        Where-Object { $_.FullName -notmatch '[\\/]lab[\\/]' } |
        ForEach-Object FullName
}
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputPath = Join-Path (Split-Path $CountsPath) 'pester.xml'

$result = Invoke-Pester -Configuration $configuration
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $failed
    Skipped = $result.SkippedCount + $result.NotRunCount
} | ConvertTo-Json | Set-Content -Path $CountsPath -Encoding ascii

Remove-Item -Recurse -Force $runLog -ErrorAction SilentlyContinue
