using System;
using System.Linq;
using System.Management.Automation;
using System.Net.Sockets;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Commands;

/// <summary>
/// The error records of the SNMP cmdlets: one id and category per kind of failure, so scripts can
/// tell a dead device (SnmpTimeout) from a wrong passphrase (SnmpAuthenticationFailed).
/// </summary>
internal static class SnmpErrors
{
    /// <summary>An engine exception as an error record, or null when it is not an SNMP failure.</summary>
    public static ErrorRecord? FromException(Exception exception, string address)
    {
        switch (exception)
        {
            case SnmpTimeoutException timeout:
                return new ErrorRecord(timeout, "SnmpTimeout", ErrorCategory.OperationTimeout, address);
            case SnmpUsmException usm:
                return FromUsm(usm, address);
            case SnmpDecodeException decode:
                var invalid = new SnmpException(
                    $"{address} sent an SNMP answer that does not decode: {decode.Message}", decode);
                return new ErrorRecord(invalid, "SnmpInvalidResponse", ErrorCategory.InvalidResult, address);
            case SocketException socket:
                var network = new SnmpException($"Cannot send SNMP to {address}: {socket.Message}", socket);
                return new ErrorRecord(network, "SnmpNetworkError", ErrorCategory.ConnectionError, address);
            default:
                return null;
        }
    }

    /// <summary>An agent's error-status as an error record; SET refusals become SnmpWriteRefused.</summary>
    public static ErrorRecord FromResponse(SnmpResponse response, string address, bool isSet)
    {
        var failed = FailedName(response);
        var status = response.ErrorStatus == SnmpErrorStatus.UnknownError
            ? $"error-status {response.Pdu.RawErrorStatus}"
            : ToCamelCase(response.ErrorStatus.ToString());
        if (isSet && IsWriteRefusal(response))
        {
            var refused = new SnmpException(
                $"{address} refused to write {failed} ({status}): the object is read-only or the credential "
                + "may not write it.");
            return new ErrorRecord(refused, "SnmpWriteRefused", ErrorCategory.PermissionDenied, address);
        }

        if (response.ErrorStatus == SnmpErrorStatus.AuthorizationError)
        {
            // VACM refuses a user at a lower security level than its access entry asks for in this way.
            var refused = new SnmpException(
                $"{address} answered authorizationError for {failed}: the user may not read it at this security "
                + "level or in this view; check whether the agent requires authentication and privacy (authPriv).");
            return new ErrorRecord(refused, "SnmpAuthenticationFailed", ErrorCategory.AuthenticationError, address);
        }

        var error = new SnmpException($"{address} answered {status} for {failed}.");
        return new ErrorRecord(error, "SnmpError", ErrorCategory.ProtocolError, address);
    }

    /// <summary>A noSuchObject, noSuchInstance or endOfMibView value as an error record.</summary>
    public static ErrorRecord FromExceptionValue(SnmpVariable variable, string address)
    {
        var name = MibNames.ToName(variable.Oid);
        var error = new SnmpException($"{address} has no value for {name} ({variable.Value}).");
        return new ErrorRecord(error, "SnmpNoSuchObject", ErrorCategory.ObjectNotFound, address);
    }

    private static ErrorRecord FromUsm(SnmpUsmException usm, string address)
    {
        switch (usm.Error)
        {
            case SnmpUsmError.UnknownUserName:
            case SnmpUsmError.WrongDigest:
            case SnmpUsmError.UnsupportedSecurityLevel:
                return new ErrorRecord(usm, "SnmpAuthenticationFailed", ErrorCategory.AuthenticationError, address);
            case SnmpUsmError.DecryptionError:
                return new ErrorRecord(usm, "SnmpDecryptionFailed", ErrorCategory.SecurityError, address);
            default:
                return new ErrorRecord(usm, "SnmpSecurityError", ErrorCategory.SecurityError, address);
        }
    }

    private static bool IsWriteRefusal(SnmpResponse response)
    {
        switch (response.ErrorStatus)
        {
            case SnmpErrorStatus.NoAccess:
            case SnmpErrorStatus.NotWritable:
            case SnmpErrorStatus.ReadOnly:
            case SnmpErrorStatus.AuthorizationError:
                return true;
            case SnmpErrorStatus.NoSuchName:
                // SNMPv1 has no noAccess: agents answer noSuchName to a SET the community may not make
                // (RFC 2576 section 4.4), so a v1 refusal and an unknown object look the same.
                return response.Version == SnmpVersion.V1;
            default:
                return false;
        }
    }

    private static string FailedName(SnmpResponse response)
    {
        var index = response.ErrorIndex;
        var variables = response.Variables;
        if (index >= 1 && index <= variables.Count)
        {
            return MibNames.ToName(variables[index - 1].Oid);
        }

        return variables.Count == 0 ? "the request" : string.Join(", ", variables.Select(v => MibNames.ToName(v.Oid)));
    }

    private static string ToCamelCase(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);
}
