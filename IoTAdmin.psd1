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
        'IoTAdmin.Credentials.format.ps1xml', 'IoTAdmin.Firmware.format.ps1xml')
    TypesToProcess       = @('IoTAdmin.types.ps1xml')
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
        'Get-IoTSshHostKey'
        'Remove-IoTSshHostKey'
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
