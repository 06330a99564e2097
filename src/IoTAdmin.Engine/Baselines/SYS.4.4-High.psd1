# SYS.4.4-High: every requirement of SYS.4.4 (M1-M24), for devices with increased protection
# needs. Builds on SYS.4.4-Standard and adds M21-M24: operating environment, system monitoring,
# periodic audits and the embedded web server; plain-HTTP administration counts as critical here.
@{
    Name        = 'SYS.4.4-High'
    Version     = '1.0'
    Description = 'SYS.4.4 requirements for increased protection needs (M1-M24).'
    Extends     = 'SYS.4.4-Standard'
    Measures    = @(
        'SYS.4.4.M21'
        'SYS.4.4.M22'
        'SYS.4.4.M23'
        'SYS.4.4.M24'
    )

    Rules       = @{
        'IOT-WEB-NOTLS' = @{ Severity = 'Critical' }
    }
}
