<#
.SYNOPSIS
    A scheduled or CI baseline audit whose exit code says whether findings at or above a severity are new.

.DESCRIPTION
    Audits the devices against a baseline, saves the run in a history folder, compares it with the
    previous run there and writes JUnit and SARIF reports for the CI system. The exit code is what a
    scheduled task or pipeline acts on; examples/scheduled/Invoke-IoTScheduledAudit.ps1 (configuration
    drift) uses the same codes:

      0  no finding at or above -FailOn
      1  at least one new finding at or above -FailOn (the first run counts every finding as new): alert
      2  findings at or above -FailOn, all of them known from the previous run
      3  no new finding, but a device could not be audited
      4  the audit itself could not run (module, baseline file, history folder ...)

    Devices come from a CSV file with Address, Profile and optionally Tag columns, or from -Address.

.EXAMPLE
    pwsh -File ./examples/Invoke-ScheduledAudit.ps1 -DeviceCsv ./examples/cameras.csv -Baseline SYS.4.4-Standard

.EXAMPLE
    # Windows Task Scheduler, every night at 02:00 (one line):
    # schtasks /Create /SC DAILY /ST 02:00 /TN IoTAudit /TR "pwsh -NoProfile -File C:\iot\Invoke-ScheduledAudit.ps1
    #   -DeviceCsv C:\iot\devices.csv -Baseline C:\iot\Contoso-IoT.psd1 -HistoryPath C:\iot\history"
#>
[CmdletBinding(DefaultParameterSetName = 'Csv')]
param(
    [Parameter(Mandatory, ParameterSetName = 'Csv')]
    [string] $DeviceCsv,

    [Parameter(Mandatory, ParameterSetName = 'Address')]
    [string[]] $Address,

    [Parameter(ParameterSetName = 'Address')]
    [ValidateSet('General', 'Camera', 'BuildingControl', 'Gateway')]
    [string] $DeviceProfile = 'General',

    # A built-in baseline name or the path of the organisation's baseline file.
    [string] $Baseline = 'SYS.4.4-Standard',

    # Only rules matching these ids run (wildcards allowed); all of the baseline's by default.
    [string[]] $Rule = @('*'),

    # New findings of this severity or above fail the job.
    [ValidateSet('Info', 'Low', 'Medium', 'High', 'Critical')]
    [string] $FailOn = 'High',

    # Where runs are kept as yyyyMMdd-HHmmss.json; the newest one is the reference.
    [string] $HistoryPath = (Join-Path (Get-Location).Path 'iot-audit-history'),

    # Where iot-audit.junit.xml and iot-audit.sarif are written; none when empty.
    [string] $ReportPath = '',

    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/IoTAdmin/IoTAdmin.psd1')
)

$ErrorActionPreference = 'Stop'
try {
    Import-Module $ModulePath -Force
    $null = New-Item -ItemType Directory -Force -Path $HistoryPath
    $previous = Get-ChildItem -LiteralPath $HistoryPath -Filter '*.json' | Sort-Object Name | Select-Object -Last 1
    $runPath = Join-Path $HistoryPath ((Get-Date).ToUniversalTime().ToString('yyyyMMdd-HHmmss') + '.json')

    $targets = if ($PSCmdlet.ParameterSetName -eq 'Csv') {
        Import-Csv -LiteralPath $DeviceCsv
    }
    else {
        $Address | ForEach-Object { [pscustomobject] @{ Address = $_; Profile = $DeviceProfile } }
    }

    # One unreachable device is reported but does not stop the audit of the others.
    $deviceErrors = @()
    $results = $targets | Test-IoTBaseline -Baseline $Baseline -Rule $Rule -SavePath $runPath `
        -ErrorAction SilentlyContinue -ErrorVariable +deviceErrors -WarningAction SilentlyContinue
    if ($ReportPath) {
        $null = New-Item -ItemType Directory -Force -Path $ReportPath
        $results | Export-IoTReport -Path (Join-Path $ReportPath 'iot-audit.junit.xml')
        $results | Export-IoTReport -Path (Join-Path $ReportPath 'iot-audit.sarif')
    }

    $failing = @($results | Where-Object { $_.Outcome -eq 'Fail' -and $_.Severity -ge $FailOn })
    if ($previous) {
        $changes = Compare-IoTAudit -ReferencePath $previous.FullName -DifferencePath $runPath
        $new = @($changes | Where-Object { $_.IsNewFinding -and $_.Severity -ge $FailOn })
    }
    else {
        $new = $failing
    }
}
catch {
    Write-Error "The audit could not run: $_" -ErrorAction Continue
    exit 4
}

foreach ($finding in $new) {
    Write-Host ("NEW {0} {1} [{2}]: {3}" -f $finding.DeviceAddress, $finding.RuleId, $finding.Severity,
        $finding.Evidence)
}

$reference = if ($previous) { $previous.Name } else { 'none (first run)' }
Write-Host ("{0} new finding(s) at or above {1}; run saved to {2}; compared with {3}." -f $new.Count, $FailOn,
    $runPath, $reference)
foreach ($failure in $deviceErrors) {
    [Console]::Error.WriteLine("Not audited: $failure")
}

if ($new.Count -gt 0) { exit 1 }
if ($deviceErrors.Count -gt 0) { exit 3 }
if ($failing.Count -gt 0) { exit 2 }
exit 0
