namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>Tests that open sockets or start snmpd run one at a time, so timeouts are not skewed by load.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SnmpSocketCollection
{
    public const string Name = "SNMP sockets";
}
