<#
.SYNOPSIS
    Writes docs/SYS.4.4-coverage.md from the rule, checklist and cmdlet metadata of the built module.

.DESCRIPTION
    Every audit rule names its SYS.4.4 measures, every organisational checklist item its measure, and
    cmdlets declare theirs with [IoTAdmin.Engine.Baseline.ImplementsMeasures]. This script imports the
    built module, collects all three and renders the table, so rules other people add appear without
    anyone editing the document. With -Check it writes nothing and fails when the file is stale
    (tests/Baselines.Tests.ps1 runs that).

.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh ./tools/Update-CoverageTable.ps1
#>
[CmdletBinding()]
param(
    # The built module's manifest; out/IoTAdmin by default.
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/IoTAdmin/IoTAdmin.psd1'),

    # The document to write or check.
    [string] $Path = (Join-Path $PSScriptRoot '../docs/SYS.4.4-coverage.md'),

    # Compare instead of writing; throw when the file differs from what the metadata gives.
    [switch] $Check
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$module = Import-Module $ModulePath -PassThru -Force
$rules = [IoTAdmin.Engine.Baseline.BaselineAuditor]::new().Rules
$checklist = [IoTAdmin.Engine.Baseline.OrganisationalChecklist]::Items
$cmdlets = foreach ($command in Get-Command -Module $module.Name -CommandType Cmdlet) {
    $attribute = $command.ImplementingType.GetCustomAttributes(
        [IoTAdmin.Engine.Baseline.ImplementsMeasuresAttribute], $false) | Select-Object -First 1
    $measures = if ($attribute) { @($attribute.Measures) } else { @() }
    [IoTAdmin.Engine.Reporting.CmdletCoverage]::new($command.Name, [string[]] @($measures))
}

$text = [IoTAdmin.Engine.Reporting.CoverageTable]::Render($rules, $checklist,
    [IoTAdmin.Engine.Reporting.CmdletCoverage[]] @($cmdlets))

if ($Check) {
    $current = if (Test-Path $Path) { [IO.File]::ReadAllText($Path) -replace "`r`n", "`n" } else { '' }
    if ($current -ne $text) {
        throw "$Path is stale: run 'dotnet pwsh ./tools/Update-CoverageTable.ps1' after building, and commit it."
    }

    return
}

[IO.File]::WriteAllText($Path, $text, [Text.UTF8Encoding]::new($false))
Write-Verbose "Wrote $Path."
