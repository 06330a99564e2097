@{
    RootModule           = 'IoTAdmin.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '5b0c7a2e-9e4f-4d0b-8f61-2f3a51c7d8e4'
    Author               = 'IoTAdmin contributors'
    CompanyName          = 'IoTAdmin'
    Copyright            = '(c) IoTAdmin contributors. All rights reserved.'
    Description          = 'Find, audit, harden, watch and retire IoT devices following BSI IT-Grundschutz SYS.4.4.'
    PowerShellVersion    = '5.1'
    FormatsToProcess     = @('IoTAdmin.format.ps1xml', 'IoTAdmin.Baseline.format.ps1xml',
        'IoTAdmin.Configuration.format.ps1xml', 'IoTAdmin.Credentials.format.ps1xml',
        'IoTAdmin.Exposure.format.ps1xml', 'IoTAdmin.Firmware.format.ps1xml', 'IoTAdmin.Inventory.format.ps1xml',
        'IoTAdmin.Monitoring.format.ps1xml')
    TypesToProcess       = @('IoTAdmin.types.ps1xml', 'IoTAdmin.Inventory.types.ps1xml')
    CmdletsToExport      = @(
        'Get-IoTDevice'
        'Test-IoTBaseline'
        'Export-IoTReport'
        'New-IoTSnmpCredential'
        'Get-IoTSnmpValue'
        'Set-IoTSnmpValue'
        'Get-IoTBaseline'
        'New-IoTBaseline'
        'Compare-IoTAudit'
        'Add-IoTDevice'
        'Set-IoTDevice'
        'Remove-IoTDevice'
        'Approve-IoTDevice'
        'Invoke-IoTDecommission'
        'Restore-IoTDeviceBackup'
        'Get-IoTSshHostKey'
        'Remove-IoTSshHostKey'
        'Test-IoTCredential'
        'Set-IoTPassword'
        'Add-IoTSshKey'
        'Get-IoTAccount'
        'Disable-IoTAccount'
        'Get-IoTService'
        'Test-IoTConfiguration'
        'Set-IoTConfiguration'
        'Test-IoTUpnpPortMapping'
        'Export-IoTFirewallRule'
        'Disable-IoTService'
        'Get-IoTActionLog'
        'Test-IoTActionLog'
        'Test-IoTTraffic'
        'Watch-IoTDevice'
        'Get-IoTDeviceLog'
        'Get-IoTFirmware'
        'Update-IoTFirmware'
        'Restart-IoTDevice'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('IoT', 'Security', 'Audit', 'BSI', 'Grundschutz', 'SYS.4.4', 'SNMP', 'mDNS', 'SSDP',
                'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'Mac')
            ReleaseNotes = 'First slice: discovery over mDNS, SSDP and SNMP; SYS.4.4 basic rules; HTML and JSON reports.'
        }
    }
}
