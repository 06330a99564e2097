# SYS.4.4-Standard: the basic and standard requirements of SYS.4.4 (M1-M20), which together are
# the state of the art for IoT devices. Builds on SYS.4.4-Basic and adds M6-M20: secure protocols,
# unneeded components, administration interfaces, and the organisational measures as checklist items.
@{
    Name        = 'SYS.4.4-Standard'
    Version     = '1.0'
    Description = 'SYS.4.4 basic and standard requirements (M1-M20): the state of the art.'
    Extends     = 'SYS.4.4-Basic'
    Measures    = @(
        'SYS.4.4.M6'
        'SYS.4.4.M7'
        'SYS.4.4.M8'
        'SYS.4.4.M9'
        'SYS.4.4.M10'
        'SYS.4.4.M11'
        'SYS.4.4.M12'
        'SYS.4.4.M13'
        'SYS.4.4.M14'
        'SYS.4.4.M15'
        'SYS.4.4.M16'
        'SYS.4.4.M17'
        'SYS.4.4.M18'
        'SYS.4.4.M19'
        'SYS.4.4.M20'
    )
}
