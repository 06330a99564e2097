<#
.SYNOPSIS
    Reads an SNMP inventory of IoT devices: identity, contact, location, uptime and interfaces.

.DESCRIPTION
    Discovers the devices of a subnet (or takes -Address), reads the MIB-2 system group and the
    interface names over SNMP, and writes one object per device. Devices that do not answer, or refuse
    the credential, are listed at the end with the reason (the error id of Get-IoTSnmpValue).

    Without -Credential the script uses SNMP v2c 'public', the default of many devices. For SNMPv3:

        $user = Get-Credential bmsadmin
        $priv = Read-Host -AsSecureString 'Privacy passphrase'
        $v3 = New-IoTSnmpCredential -Credential $user -PrivProtocol Aes128 -PrivPassphrase $priv
        ./examples/Get-SnmpInventory.ps1 -Address 10.47.0.12 -Credential $v3

.EXAMPLE
    ./examples/Get-SnmpInventory.ps1 -Subnet 10.47.0.0/24 -InterfaceAddress 10.47.0.1 | Format-Table

.EXAMPLE
    ./examples/Get-SnmpInventory.ps1 -Address 10.47.0.11 | Export-Csv ./snmp-inventory.csv -NoTypeInformation
#>
[CmdletBinding(DefaultParameterSetName = 'Discover')]
param(
    [Parameter(ParameterSetName = 'Discover')]
    [string[]] $Subnet = @('10.47.0.0/24'),

    [Parameter(ParameterSetName = 'Discover')]
    [ipaddress] $InterfaceAddress = '10.47.0.1',

    [Parameter(Mandatory, ParameterSetName = 'Address')]
    [string[]] $Address,

    # An SnmpCredential from New-IoTSnmpCredential; v2c 'public' when not given.
    [object] $Credential,

    [int] $Timeout = 2,

    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/IoTAdmin/IoTAdmin.psd1')
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

if ($PSCmdlet.ParameterSetName -eq 'Discover') {
    Write-Verbose "Discovering SNMP devices on $($Subnet -join ', ') ..."
    $Address = @(Get-IoTDevice -Discover -Subnet $Subnet -InterfaceAddress $InterfaceAddress -Protocol Snmp |
            ForEach-Object Address)
}

$snmp = @{ Timeout = $Timeout; ErrorAction = 'SilentlyContinue'; ErrorVariable = '+failures' }
if ($Credential) {
    $snmp.Credential = $Credential
}

$failures = @()
foreach ($device in $Address) {
    $system = Get-IoTSnmpValue -Address $device -Oid system -Walk @snmp
    if (-not $system) {
        continue
    }

    $values = @{}
    foreach ($item in $system) {
        $values[$item.Name] = $item.Value
    }

    $interfaces = Get-IoTSnmpValue -Address $device -Oid ifDescr -Walk @snmp
    [pscustomobject]@{
        Address     = $device
        Name        = $values['sysName.0']
        Description = $values['sysDescr.0']
        ObjectId    = $values['sysObjectID.0']
        Contact     = $values['sysContact.0']
        Location    = $values['sysLocation.0']
        UpTime      = $values['sysUpTime.0']
        Interfaces  = @($interfaces | ForEach-Object Value) -join ', '
    }
}

foreach ($failure in $failures) {
    Write-Warning "$($failure.TargetObject): $($failure.FullyQualifiedErrorId.Split(',')[0]): $failure"
}
