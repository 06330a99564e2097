using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTAdmin.Engine.Snmp;

/// <summary>
/// A PDU with the RFC 3416 layout shared by all request, response, report and v2 trap PDUs. For
/// GetBulk the two error fields carry non-repeaters and max-repetitions.
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
        Type = type;
        RequestId = requestId;
        RawErrorStatus = rawErrorStatus;
        ErrorIndex = errorIndex;
        Variables = variables.ToList();
    }

    public SnmpPduType Type { get; }

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

    public void Encode(BerWriter writer)
    {
        writer.WriteConstructed((byte)Type, pdu =>
        {
            pdu.WriteInteger(RequestId);
            pdu.WriteInteger(RawErrorStatus);
            pdu.WriteInteger(ErrorIndex);
            pdu.WriteConstructed(BerTag.Sequence, list => WriteBindings(list, Variables));
        });
    }

    /// <exception cref="SnmpDecodeException">The PDU is malformed or of a type this engine does not read.</exception>
    public static SnmpPdu Decode(BerReader reader)
    {
        var start = reader.Position;
        var tag = reader.PeekTag();
        if (!Enum.IsDefined(typeof(SnmpPduType), tag) || tag == (byte)SnmpPduType.TrapV1)
        {
            throw new SnmpDecodeException($"Unsupported PDU type 0x{tag:X2}", start);
        }

        var pdu = reader.ReadConstructed(tag);
        var requestId = ReadInt32(pdu, "request-id");
        var errorStatus = ReadInt32(pdu, "error-status");
        var errorIndex = ReadInt32(pdu, "error-index");
        var variables = ReadBindings(pdu.ReadConstructed(BerTag.Sequence));
        pdu.RequireEnd("variable bindings");
        return new SnmpPdu((SnmpPduType)tag, requestId, errorStatus, errorIndex, variables);
    }

    public override string ToString() =>
        $"{Type} id={RequestId} status={ErrorStatus} index={ErrorIndex} varbinds={Variables.Count}";

    private static IEnumerable<SnmpVariable> NullBindings(IEnumerable<ObjectIdentifier> oids) =>
        oids.Select(oid => new SnmpVariable(oid, SnmpValue.Null));

    private static void WriteBindings(BerWriter list, IEnumerable<SnmpVariable> variables)
    {
        foreach (var variable in variables)
        {
            list.WriteConstructed(BerTag.Sequence, binding =>
            {
                binding.WriteOid(variable.Oid);
                binding.WriteValue(variable.Value);
            });
        }
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
