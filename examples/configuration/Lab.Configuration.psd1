# Desired state of the lab fleet (tests/lab), reviewed like code. Data only: no commands,
# no variables, no expressions are allowed; Test-IoTConfiguration refuses anything else.
# Layers merge in this order, later ones replacing a setting as a whole:
#   Defaults -> Profiles.<Profile> -> Tags.<Tag> (each tag the device has) -> Devices.<address or name>
@{
    Name        = 'Lab fleet'
    Description = 'SYS.4.4 target state for the emulated lab devices'

    Defaults = @{
        # The baseline every device is audited against, and the deviations accepted for all.
        Baseline     = 'SYS.4.4-Basic'

        # M2: no default password, rotated at least every 180 days.
        Accounts     = @(
            @{ Name = 'root'; MaxPasswordAgeDays = 180; NoDefaultPassword = $true }
        )

        # M5, M11: clear-text remote login is never acceptable.
        ServicesOff  = @('telnetd')

        # M11, M13: SNMP only with SNMPv3 users that authenticate and encrypt.
        Snmp         = @{ V3Only = $true; Users = @('iotmon') }

        # M13: nothing else may listen (tcp).
        AllowedPorts = @(22, 80, 443, 554)

        # M16 (logging) and time for it.
        Ntp          = @('10.47.0.1')
        Syslog       = @('10.47.0.1:514')
    }

    Profiles = @{
        BuildingControl = @{
            SshPort      = 48022
            SshKeyOnly   = $true
            AllowedPorts = @(443, 48022)
        }
    }

    Tags = @{
        # Devices tagged 'outdoor' also get password rotation every 90 days.
        outdoor = @{
            Accounts = @(@{ Name = 'root'; MaxPasswordAgeDays = 90 })
        }
    }

    Devices = @{
        # The insecure camera; Profile and Tags are used when the run starts from this file alone.
        '10.47.0.11' = @{
            Profile = 'Camera'
            Tags    = @('outdoor')
            Waivers = @(
                @{
                    Rule    = 'IOT-WEB-NOTLS'
                    Reason  = 'The camera firmware has no TLS; the VLAN is isolated until replacement (CHG-4711).'
                    Owner   = 'facility-it@example.org'
                    Expires = '2027-06-30'
                }
            )
        }
    }
}
