<#
.SYNOPSIS
    Builds, tests and demonstrates IoTAdmin.

.DESCRIPTION
    The front door for developers and CI. Tasks:

      Build    Compile the engine and cmdlets and lay out the module in out/IoTAdmin (with help).
      Docs     Turn the platyPS-style markdown in docs/ into MAML help in out/IoTAdmin/en-US.
      LabUp    Install the lab's Debian packages when missing and start the emulated devices.
      LabDown  Stop the lab and remove everything it created.
      Demo     The main job: build, bring the lab up, discover and audit it, write report.html/json.
      Test     Build, bring the lab up, run xunit and Pester, print 'N passed, N failed[, N skipped]'.
      Pester   Build, bring the lab up, run only the Pester files named by -TestPath (a quick loop).
      Bench    Run the engine benchmarks (speed and memory goals live here, never in tests).

    The lab needs root (network namespaces); Build, Docs and Bench do not.

.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 Demo
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Docs', 'LabUp', 'LabDown', 'Demo', 'Test', 'Pester', 'Bench')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Where the Demo task writes report.html and report.json.
    [string] $ReportPath = $PSScriptRoot,

    # The Pester files the Pester task runs.
    [string[]] $TestPath = @()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$script:Root = $PSScriptRoot
$script:Out = Join-Path $PSScriptRoot 'out'
$script:ModuleOut = Join-Path $script:Out 'IoTAdmin'
$script:LabScript = Join-Path $PSScriptRoot 'tests/lab/lab.sh'
$script:PesterVersion = '5.7.1'

function Invoke-Native {
    # Runs a native command and stops the build when it fails.
    param([string] $FilePath, [string[]] $ArgumentList)

    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Get-ModuleVersion {
    $props = [xml](Get-Content -Raw (Join-Path $script:Root 'Directory.Build.props'))
    return $props.Project.PropertyGroup.ModuleVersion
}

function Invoke-BuildTask {
    Write-Host "Building IoTAdmin ($Configuration) into $script:ModuleOut"
    if (Test-Path $script:ModuleOut) {
        Remove-Item -Recurse -Force $script:ModuleOut
    }

    $project = Join-Path $script:Root 'src/IoTAdmin/IoTAdmin.csproj'
    Invoke-Native dotnet @('publish', $project, '-c', $Configuration, '-o', $script:ModuleOut, '--nologo', '-v', 'q')

    # PowerShell itself provides these; shipping the reference assembly would break loading.
    Get-ChildItem $script:ModuleOut -Filter 'System.Management.Automation*' | Remove-Item -Force
    Get-ChildItem $script:ModuleOut -Filter '*.pdb' | Remove-Item -Force
    Get-ChildItem $script:ModuleOut -Filter '*.deps.json' | Remove-Item -Force

    # Every format and type file; the manifest names the ones PowerShell loads.
    Copy-Item (Join-Path $script:Root 'src/IoTAdmin/*.ps1xml') $script:ModuleOut
    # The DSC v3 command resource (manifest and script) ships in the module's dsc folder.
    Copy-Item -Recurse (Join-Path $script:Root 'src/IoTAdmin/dsc') $script:ModuleOut
    $manifest = Get-Content -Raw (Join-Path $script:Root 'IoTAdmin.psd1')
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion     = '$(Get-ModuleVersion)'"
    Set-Content -Path (Join-Path $script:ModuleOut 'IoTAdmin.psd1') -Value $manifest -Encoding ascii

    Invoke-DocsTask
}

function Invoke-DocsTask {
    $helpOut = Join-Path $script:ModuleOut 'en-US'
    $null = & (Join-Path $script:Root 'tools/ConvertTo-MamlHelp.ps1') `
        -Path (Join-Path $script:Root 'docs/IoTAdmin/en-US') -OutputPath $helpOut -AssemblyFileName 'IoTAdmin.dll' `
        -AboutPath (Join-Path $script:Root 'docs')
    if (-not (Test-Path (Join-Path $helpOut 'IoTAdmin.dll-Help.xml'))) {
        throw 'Docs: the MAML help file was not produced.'
    }
}

function Assert-Root {
    param([string] $TaskName)

    if ((& id -u) -ne '0') {
        throw "$TaskName needs root: the lab creates network namespaces. Run it with sudo or as root."
    }
}

function Invoke-LabUpTask {
    Assert-Root 'LabUp'
    Invoke-Native bash @($script:LabScript, 'install')
    Invoke-Native bash @($script:LabScript, 'up')
}

function Invoke-LabDownTask {
    Assert-Root 'LabDown'
    Invoke-Native bash @($script:LabScript, 'down')
}

function Invoke-ChildPwsh {
    # Runs a script in a fresh PowerShell so the module loads from out/ without locking this session.
    param([string] $ScriptPath, [string[]] $ArgumentList = @())

    # The child writes straight to our console rather than through a pipe: a process a test leaves
    # behind would otherwise hold the pipe open and this run would wait for it forever.
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $start.WorkingDirectory = $script:Root
    $start.UseShellExecute = $false
    foreach ($argument in @('tool', 'run', 'pwsh', '--', '-NoProfile', '-NonInteractive', '-File', $ScriptPath) +
        $ArgumentList) {
        $start.ArgumentList.Add($argument)
    }

    $child = [System.Diagnostics.Process]::Start($start)
    $child.WaitForExit()
    return $child.ExitCode
}

function Invoke-DemoTask {
    Invoke-BuildTask
    Invoke-LabUpTask
    $demo = Join-Path $script:Root 'examples/Invoke-LabAudit.ps1'
    $exitCode = Invoke-ChildPwsh $demo @('-ModulePath', (Join-Path $script:ModuleOut 'IoTAdmin.psd1'),
        '-ReportPath', $ReportPath)
    if ($exitCode -ne 0) {
        throw "The lab audit failed with exit code $exitCode."
    }
}

function Get-PesterModulePath {
    $restoreProject = Join-Path $script:Root 'tools/PesterRestore.csproj'
    Invoke-Native dotnet @('restore', $restoreProject, '--nologo', '-v', 'q')
    $path = Join-Path $script:Out "packages/pester/$script:PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $path)) {
        throw "Pester $script:PesterVersion was not restored to $path."
    }

    return $path
}

function Invoke-EngineTests {
    # Returns the counts of the xunit run, read from its TRX file.
    $resultsDir = Join-Path $script:Out 'test-results'
    $trx = Join-Path $resultsDir 'engine.trx'
    if (Test-Path $trx) {
        Remove-Item $trx
    }

    $project = Join-Path $script:Root 'tests/IoTAdmin.Engine.Tests/IoTAdmin.Engine.Tests.csproj'
    & dotnet test $project -c $Configuration --nologo --logger 'trx;LogFileName=engine.trx' `
        --logger 'console;verbosity=minimal' --results-directory $resultsDir | Out-Host
    if (-not (Test-Path $trx)) {
        Write-Warning 'The xunit run wrote no results (the build probably failed).'
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }

    $counters = ([xml](Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
    return [pscustomobject]@{
        Passed  = [int]$counters.passed
        Failed  = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        Skipped = [int]$counters.notExecuted
    }
}

function Invoke-ModuleTests {
    # Pester runs in a child process; it writes its counts to a small JSON file we read back.
    # One file per run, so two runs in one checkout never read each other's counts.
    $countsFile = Join-Path $script:Out "test-results/pester-counts-$PID.json"
    if (Test-Path $countsFile) {
        Remove-Item $countsFile
    }

    $runner = Join-Path $script:Root 'tests/Invoke-PesterTests.ps1'
    $arguments = @('-PesterPath', (Get-PesterModulePath),
        '-ModulePath', (Join-Path $script:ModuleOut 'IoTAdmin.psd1'), '-CountsPath', $countsFile)
    if ($TestPath.Count -gt 0) {
        $arguments += @('-TestPath', ($TestPath -join ','))
    }

    $null = Invoke-ChildPwsh $runner $arguments
    if (-not (Test-Path $countsFile)) {
        Write-Warning 'The Pester run wrote no counts.'
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }

    $counts = Get-Content -Raw $countsFile | ConvertFrom-Json
    Remove-Item $countsFile
    return $counts
}

function Invoke-PesterTask {
    if ($TestPath.Count -eq 0) {
        throw 'The Pester task needs -TestPath with the test files to run.'
    }

    Invoke-BuildTask
    Invoke-LabUpTask
    $module = Invoke-ModuleTests
    Write-Host "$($module.Passed) passed, $($module.Failed) failed, $($module.Skipped) skipped"
    if ($module.Failed -gt 0) {
        exit 1
    }
}

function Invoke-TestTask {
    # CI reads the last line, so every path out of here ends with the summary.
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $none = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    $engine = $none
    $module = $none
    $setupFailed = 0
    try {
        Invoke-BuildTask
        Invoke-LabUpTask
        $engine = Invoke-EngineTests
        $module = Invoke-ModuleTests
    }
    catch {
        Write-Host "Test setup failed: $_" -ForegroundColor Red
        $setupFailed = 1
    }

    $passed = $engine.Passed + $module.Passed
    $failed = $engine.Failed + $module.Failed + $setupFailed
    $skipped = $engine.Skipped + $module.Skipped
    Write-Host ("xunit: {0} passed, {1} failed, {2} skipped" -f $engine.Passed, $engine.Failed, $engine.Skipped)
    Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $module.Passed, $module.Failed, $module.Skipped)
    Write-Host ("Tests took {0:N0} s" -f $watch.Elapsed.TotalSeconds)

    $summary = "$passed passed, $failed failed"
    if ($skipped -gt 0) {
        $summary += ", $skipped skipped"
    }

    Write-Host $summary
    if ($failed -gt 0) {
        exit 1
    }
}

function Invoke-BenchTask {
    $project = Join-Path $script:Root 'tests/IoTAdmin.Bench/IoTAdmin.Bench.csproj'
    # The GC sizes its youngest generation from the CPU's cache (hundreds of MB on some servers), and
    # the peak-heap figures would measure that budget rather than our code: pin it to 32 MB.
    $env:DOTNET_GCgen0size = '0x2000000'
    Invoke-Native dotnet @('run', '--project', $project, '-c', 'Release', '--', (Join-Path $script:Out 'bench'))
}

foreach ($name in $Task) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    switch ($name) {
        'Build' { Invoke-BuildTask }
        'Docs' { Invoke-DocsTask }
        'LabUp' { Invoke-LabUpTask }
        'LabDown' { Invoke-LabDownTask }
        'Demo' { Invoke-DemoTask }
        'Test' { Invoke-TestTask }
        'Pester' { Invoke-PesterTask }
        'Bench' { Invoke-BenchTask }
    }

    if ($name -ne 'Test') {
        # Test prints its own timing: its last line must stay the summary CI reads.
        Write-Host ("Task {0} finished in {1:N1} s" -f $name, $watch.Elapsed.TotalSeconds)
    }
}
