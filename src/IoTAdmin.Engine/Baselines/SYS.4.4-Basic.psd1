# SYS.4.4-Basic: the basic requirements of BSI IT-Grundschutz SYS.4.4 "General IoT Device"
# (M1-M5), which every institution must meet first.
#
# Every rule that serves one of the measures below runs, with its own severity and parameter
# defaults, on every requirement profile. Derive your own baseline with
#   New-IoTBaseline -Name Contoso-IoT -From SYS.4.4-Basic -Path ./Contoso-IoT.psd1
# and adjust it there; this file is the reference and is not meant to be edited in place.
@{
    Name        = 'SYS.4.4-Basic'
    Version     = '1.0'
    Description = 'SYS.4.4 basic requirements (M1-M5): default credentials, authentication, updates, network access.'
    Measures    = @(
        'SYS.4.4.M1'
        'SYS.4.4.M2'
        'SYS.4.4.M3'
        'SYS.4.4.M4'
        'SYS.4.4.M5'
    )

    Profiles    = @{
        # Cameras are the classic botnet target: Telnet with a factory login on a camera is an emergency.
        Camera  = @{
            Rules = @{
                'IOT-TELNET-OPEN' = @{ Severity = 'Critical' }
            }
        }

        # A gateway that opens ports on request (UPnP IGD) undoes the perimeter M5 asks for.
        Gateway = @{
            Rules = @{
                'IOT-UPNP-IGD' = @{ Severity = 'Critical' }
            }
        }
    }
}
