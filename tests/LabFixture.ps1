# Shared by the Pester files that run against the live lab (tests/lab). build.ps1 Test brings the
# lab up first; run `dotnet pwsh ./build.ps1 LabUp` before running these files by hand.

function Get-LabDescription {
    $path = '/var/lib/iotadmin-lab/lab.json'
    if (-not (Test-Path $path)) {
        throw "The lab is not up ($path is missing): run 'dotnet pwsh ./build.ps1 LabUp' as root."
    }

    return Get-Content -Raw $path | ConvertFrom-Json
}

function Get-LabDevice {
    param([Parameter(Mandatory)] [string] $Name)

    return (Get-LabDescription).devices | Where-Object name -eq $Name
}

function Get-LabExpectedProtocols {
    # The discovery protocols a lab device speaks, read from what the lab says it runs.
    param([Parameter(Mandatory)] $Device)

    $protocols = @()
    if (@($Device.mdnsServices).Count -gt 0) {
        $protocols += 'Mdns'
    }

    if ($Device.services | Where-Object name -eq 'ssdp') {
        $protocols += 'Ssdp'
    }

    if ($Device.services | Where-Object name -eq 'snmp') {
        $protocols += 'Snmp'
    }

    return $protocols
}

function Get-LabSecrets {
    # Every password the lab knows, so tests can prove none of them leaks into output.
    $secrets = foreach ($device in (Get-LabDescription).devices) {
        foreach ($entry in $device.credentials.PSObject.Properties.Value) {
            foreach ($field in 'password', 'authPassphrase', 'privPassphrase') {
                if ($entry.PSObject.Properties[$field] -and $entry.$field) {
                    $entry.$field
                }
            }
        }
    }

    # Very short defaults such as 'admin' also occur as user names, so only distinctive ones count.
    return $secrets | Where-Object { $_.Length -ge 6 } | Sort-Object -Unique
}
