using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace IoTAdmin.Engine.Snmp;

/// <summary>
/// A PDU with the RFC 3416 layout shared by all request, response, inform, report and v2 trap PDUs,
/// or an SNMPv1 Trap-PDU (RFC 1157), whose own fields are in <see cref="TrapV1"/>. For GetBulk the
/// two error fields carry non-repeaters and max-repetitions.
/// </summary>
public sealed class SnmpPdu
{
    public SnmpPdu(
        SnmpPduType type,
        int requestId,
        int rawErrorStatus,
        int errorIndex,
        IEnumerable<SnmpVariable> variables)
    {
        if (type == SnmpPduType.TrapV1)
        {
            throw new ArgumentException("An SNMPv1 Trap-PDU needs its trap fields; use SnmpPdu.Trap.", nameof(type));
        }

        Type = type;
        RequestId = requestId;
        RawErrorStatus = rawErrorStatus;
        ErrorIndex = errorIndex;
        Variables = variables.ToList();
    }

    private SnmpPdu(SnmpTrapV1 trap, IEnumerable<SnmpVariable> variables)
    {
        Type = SnmpPduType.TrapV1;
        TrapV1 = trap ?? throw new ArgumentNullException(nameof(trap));
        Variables = variables.ToList();
    }

    public SnmpPduType Type { get; }

    /// <summary>The enterprise, agent address, trap codes and time stamp of a v1 Trap-PDU; otherwise null.</summary>
    public SnmpTrapV1? TrapV1 { get; }

    public int RequestId { get; }

    /// <summary>The error-status as sent, including codes that RFC 3416 does not define.</summary>
    public int RawErrorStatus { get; }

    public SnmpErrorStatus ErrorStatus
    {
        get
        {
            if (Type == SnmpPduType.GetBulkRequest)
            {
                // In GetBulk the field holds non-repeaters, not an error.
                return SnmpErrorStatus.NoError;
            }

            var known = RawErrorStatus >= 0 && RawErrorStatus <= (int)SnmpErrorStatus.InconsistentName;
            return known ? (SnmpErrorStatus)RawErrorStatus : SnmpErrorStatus.UnknownError;
        }
    }

    public int ErrorIndex { get; }

    public int NonRepeaters => RawErrorStatus;

    public int MaxRepetitions => ErrorIndex;

    public IReadOnlyList<SnmpVariable> Variables { get; }

    public static SnmpPdu Get(int requestId, IEnumerable<ObjectIdentifier> oids) =>
        new SnmpPdu(SnmpPduType.GetRequest, requestId, 0, 0, NullBindings(oids));

    public static SnmpPdu GetNext(int requestId, IEnumerable<ObjectIdentifier> oids) =>
        new SnmpPdu(SnmpPduType.GetNextRequest, requestId, 0, 0, NullBindings(oids));

    public static SnmpPdu GetBulk(
        int requestId,
        int nonRepeaters,
        int maxRepetitions,
        IEnumerable<ObjectIdentifier> oids) =>
        new SnmpPdu(SnmpPduType.GetBulkRequest, requestId, nonRepeaters, maxRepetitions, NullBindings(oids));

    public static SnmpPdu Set(int requestId, IEnumerable<SnmpVariable> variables) =>
        new SnmpPdu(SnmpPduType.SetRequest, requestId, 0, 0, variables);

    public static SnmpPdu Response(
        int requestId,
        SnmpErrorStatus status,
        int errorIndex,
        IEnumerable<SnmpVariable> variables) =>
        new SnmpPdu(SnmpPduType.Response, requestId, (int)status, errorIndex, variables);

    /// <summary>An SNMPv2-Trap; by RFC 3416 its first two bindings are sysUpTime.0 and snmpTrapOID.0.</summary>
    public static SnmpPdu TrapV2(int requestId, IEnumerable<SnmpVariable> variables) =>
        new SnmpPdu(SnmpPduType.TrapV2, requestId, 0, 0, variables);

    /// <summary>An InformRequest; like a v2 trap it starts with sysUpTime.0 and snmpTrapOID.0.</summary>
    public static SnmpPdu Inform(int requestId, IEnumerable<SnmpVariable> variables) =>
        new SnmpPdu(SnmpPduType.InformRequest, requestId, 0, 0, variables);

    /// <summary>A Report, as an SNMPv3 engine sends for discovery and for usmStats errors.</summary>
    public static SnmpPdu Report(int requestId, IEnumerable<SnmpVariable> variables) =>
        new SnmpPdu(SnmpPduType.Report, requestId, 0, 0, variables);

    /// <summary>An SNMPv1 Trap-PDU (RFC 1157), which only an SNMPv1 message may carry.</summary>
    public static SnmpPdu Trap(SnmpTrapV1 trap, IEnumerable<SnmpVariable> variables) => new SnmpPdu(trap, variables);

    public void Encode(BerWriter writer)
    {
        if (TrapV1 is not null)
        {
            EncodeTrapV1(writer, TrapV1);
            return;
        }

        var pdu = writer.BeginConstructed((byte)Type);
        writer.WriteInteger(RequestId);
        writer.WriteInteger(RawErrorStatus);
        writer.WriteInteger(ErrorIndex);
        WriteBindings(writer, Variables);
        writer.EndConstructed(pdu);
    }

    /// <summary>Reads a PDU of SNMPv2c or SNMPv3, which cannot carry the v1 Trap-PDU.</summary>
    /// <exception cref="SnmpDecodeException">The PDU is malformed or of a type this engine does not read.</exception>
    public static SnmpPdu Decode(BerReader reader) => Decode(reader, allowTrapV1: false);

    /// <summary>Reads a PDU; the v1 Trap-PDU only when <paramref name="allowTrapV1"/> (an SNMPv1 message).</summary>
    /// <exception cref="SnmpDecodeException">The PDU is malformed or of a type this engine does not read.</exception>
    public static SnmpPdu Decode(BerReader reader, bool allowTrapV1)
    {
        var start = reader.Position;
        var tag = reader.PeekTag();

        // The PDU tags run without gaps from GetRequest (0xA0) to Report (0xA8).
        var known = tag >= (byte)SnmpPduType.GetRequest && tag <= (byte)SnmpPduType.Report;
        if (!known || (tag == (byte)SnmpPduType.TrapV1 && !allowTrapV1))
        {
            throw new SnmpDecodeException($"Unsupported PDU type 0x{tag:X2}", start);
        }

        var pdu = reader.ReadConstructed(tag);
        if (tag == (byte)SnmpPduType.TrapV1)
        {
            return DecodeTrapV1(pdu);
        }

        var requestId = ReadInt32(pdu, "request-id");
        var errorStatus = ReadInt32(pdu, "error-status");
        var errorIndex = ReadInt32(pdu, "error-index");
        var variables = ReadBindings(pdu.ReadConstructed(BerTag.Sequence));
        pdu.RequireEnd("variable bindings");
        return new SnmpPdu((SnmpPduType)tag, requestId, errorStatus, errorIndex, variables);
    }

    public override string ToString() =>
        TrapV1 is null
            ? $"{Type} id={RequestId} status={ErrorStatus} index={ErrorIndex} varbinds={Variables.Count}"
            : $"{Type} {TrapV1} varbinds={Variables.Count}";

    private void EncodeTrapV1(BerWriter writer, SnmpTrapV1 trap)
    {
        writer.WriteConstructed((byte)SnmpPduType.TrapV1, pdu =>
        {
            pdu.WriteOid(trap.Enterprise);
            pdu.WriteTlv((byte)SnmpType.IpAddress, trap.AgentAddress.GetAddressBytes());
            pdu.WriteInteger(trap.GenericTrap);
            pdu.WriteInteger(trap.SpecificTrap);
            pdu.WriteUnsigned(SnmpType.TimeTicks, trap.TimeStamp);
            WriteBindings(pdu, Variables);
        });
    }

    private static SnmpPdu DecodeTrapV1(BerReader pdu)
    {
        var enterprise = pdu.ReadOid();
        var addressStart = pdu.Position;
        var address = pdu.ReadValue();
        if (address.Type != SnmpType.IpAddress)
        {
            throw new SnmpDecodeException($"The agent-addr is a {address.Type}, not an IpAddress", addressStart);
        }

        var genericTrap = ReadInt32(pdu, "generic-trap");
        var specificTrap = ReadInt32(pdu, "specific-trap");
        var stampStart = pdu.Position;
        var stamp = pdu.ReadValue();
        if (stamp.Type != SnmpType.TimeTicks)
        {
            throw new SnmpDecodeException($"The time-stamp is a {stamp.Type}, not TimeTicks", stampStart);
        }

        var variables = ReadBindings(pdu.ReadConstructed(BerTag.Sequence));
        pdu.RequireEnd("variable bindings");
        var trap = new SnmpTrapV1(
            enterprise, new IPAddress(address.RawData), genericTrap, specificTrap, (uint)stamp.ToUInt64());
        return new SnmpPdu(trap, variables);
    }

    private static IEnumerable<SnmpVariable> NullBindings(IEnumerable<ObjectIdentifier> oids) =>
        oids.Select(oid => new SnmpVariable(oid, SnmpValue.Null));

    /// <summary>Writes the variable-bindings SEQUENCE; the hot path of every request, so no closures.</summary>
    private static void WriteBindings(BerWriter writer, IReadOnlyList<SnmpVariable> variables)
    {
        var list = writer.BeginConstructed(BerTag.Sequence);
        for (var i = 0; i < variables.Count; i++)
        {
            var binding = writer.BeginConstructed(BerTag.Sequence);
            writer.WriteOid(variables[i].Oid);
            writer.WriteValue(variables[i].Value);
            writer.EndConstructed(binding);
        }

        writer.EndConstructed(list);
    }

    private static List<SnmpVariable> ReadBindings(BerReader list)
    {
        var variables = new List<SnmpVariable>();

        // Each binding consumes at least two bytes, so this loop ends with the list.
        while (list.HasMore)
        {
            var binding = list.ReadConstructed(BerTag.Sequence);
            var oid = binding.ReadOid();
            var value = binding.ReadValue();
            binding.RequireEnd("variable binding");
            variables.Add(new SnmpVariable(oid, value));
        }

        return variables;
    }

    private static int ReadInt32(BerReader reader, string field)
    {
        var start = reader.Position;
        var value = reader.ReadInteger();
        if (value < int.MinValue || value > int.MaxValue)
        {
            throw new SnmpDecodeException($"The {field} does not fit 32 bits", start);
        }

        return (int)value;
    }
}

/// <summary>The fields of an SNMPv1 Trap-PDU (RFC 1157), where other PDUs carry request-id and errors.</summary>
public sealed class SnmpTrapV1
{
    public SnmpTrapV1(
        ObjectIdentifier enterprise,
        IPAddress agentAddress,
        int genericTrap,
        int specificTrap,
        uint timeStamp)
    {
        Enterprise = enterprise ?? throw new ArgumentNullException(nameof(enterprise));
        AgentAddress = agentAddress ?? throw new ArgumentNullException(nameof(agentAddress));
        if (agentAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new ArgumentException("A v1 trap's agent-addr is an IPv4 address.", nameof(agentAddress));
        }

        GenericTrap = genericTrap;
        SpecificTrap = specificTrap;
        TimeStamp = timeStamp;
    }

    /// <summary>sysObjectID of the sending entity (or the enterprise the trap belongs to).</summary>
    public ObjectIdentifier Enterprise { get; }

    /// <summary>The address the agent claims, which may differ from the datagram's source.</summary>
    public IPAddress AgentAddress { get; }

    /// <summary>coldStart(0) .. enterpriseSpecific(6); kept as sent, even outside that range.</summary>
    public int GenericTrap { get; }

    /// <summary>The enterprise's own code, meaningful when <see cref="GenericTrap"/> is 6.</summary>
    public int SpecificTrap { get; }

    /// <summary>sysUpTime of the agent when it sent the trap, in hundredths of a second.</summary>
    public uint TimeStamp { get; }

    public override string ToString() =>
        $"enterprise={Enterprise} agent={AgentAddress} generic={GenericTrap} specific={SpecificTrap} time={TimeStamp}";
}
