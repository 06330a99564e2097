using System.Collections.Generic;
using System.Net;

namespace IoTAdmin.Engine.Snmp;

/// <summary>An agent's answer to a Get, GetNext, GetBulk or Set request.</summary>
public sealed class SnmpResponse
{
    public SnmpResponse(IPEndPoint agent, SnmpVersion version, SnmpPdu pdu)
    {
        Agent = agent;
        Version = version;
        Pdu = pdu;
    }

    public IPEndPoint Agent { get; }

    public SnmpVersion Version { get; }

    public SnmpPdu Pdu { get; }

    public SnmpErrorStatus ErrorStatus => Pdu.ErrorStatus;

    public int ErrorIndex => Pdu.ErrorIndex;

    public IReadOnlyList<SnmpVariable> Variables => Pdu.Variables;

    public bool IsSuccess => Pdu.RawErrorStatus == 0;

    public override string ToString() => $"{Agent} {Version}: {Pdu}";
}
