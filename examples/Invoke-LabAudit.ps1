<#
.SYNOPSIS
    The main job on the lab: discover every device, audit it against SYS.4.4, write the reports.

.DESCRIPTION
    build.ps1 Demo runs this after the lab is up. It is also a template for a real network: change
    -Subnet and -InterfaceAddress to your IoT segment and the management interface facing it.

.EXAMPLE
    ./examples/Invoke-LabAudit.ps1 -ModulePath ./out/IoTAdmin/IoTAdmin.psd1 -ReportPath .
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/IoTAdmin/IoTAdmin.psd1'),
    [string] $ReportPath = (Get-Location).Path,
    [string[]] $Subnet = @('10.47.0.0/24'),
    [ipaddress] $InterfaceAddress = '10.47.0.1',
    [int] $Timeout = 6
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

Write-Host "Discovering devices on $($Subnet -join ', ') over mDNS, SSDP and SNMP ..."
$devices = Get-IoTDevice -Discover -Subnet $Subnet -InterfaceAddress $InterfaceAddress -Timeout $Timeout
$devices | Format-Table | Out-Host

Write-Host "Auditing $(@($devices).Count) device(s) against SYS.4.4 ..."
$results = $devices | Test-IoTBaseline -ErrorAction Continue
$results | Sort-Object { [version]$_.DeviceAddress }, RuleId | Format-Table | Out-String -Width 160 | Out-Host

$html = Join-Path $ReportPath 'report.html'
$json = Join-Path $ReportPath 'report.json'
$results | Export-IoTReport -Format Html -Path $html
$results | Export-IoTReport -Format Json -Path $json

$results | Group-Object DeviceAddress | ForEach-Object {
    $failed = @($_.Group | Where-Object Outcome -eq 'Fail').Count
    $name = $_.Group[0].DeviceName
    Write-Host ('{0,-15} {1,2} rule(s) failed  {2}' -f $_.Name, $failed, $name)
}
Write-Host "Reports written: $html, $json"
