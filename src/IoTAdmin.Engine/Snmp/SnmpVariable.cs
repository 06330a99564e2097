namespace IoTAdmin.Engine.Snmp;

/// <summary>One variable binding: an object identifier and its value.</summary>
public sealed class SnmpVariable
{
    public SnmpVariable(ObjectIdentifier oid, SnmpValue value)
    {
        Oid = oid;
        Value = value;
    }

    public ObjectIdentifier Oid { get; }

    public SnmpValue Value { get; }

    public override string ToString() => $"{Oid} = {Value}";
}
