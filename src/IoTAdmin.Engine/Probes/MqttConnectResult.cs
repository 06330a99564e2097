namespace IoTAdmin.Engine.Probes;

/// <summary>What a broker answered to a CONNECT. Never holds a password.</summary>
public sealed class MqttConnectResult
{
    public MqttConnectResult(LoginOutcome outcome, string detail)
    {
        Outcome = outcome;
        Detail = detail;
    }

    /// <summary>Accepted for return code 0, Rejected for 4 and 5, otherwise the failure kind.</summary>
    public LoginOutcome Outcome { get; }

    public string Detail { get; }

    /// <summary>The CONNACK return code (0-5), or null when none arrived.</summary>
    public int? ReturnCode { get; set; }

    /// <summary>The protocol version the broker answered with a CONNACK, when it did.</summary>
    public MqttProtocolVersion? Version { get; set; }

    /// <summary>"3.1.1" or "3.1", for evidence.</summary>
    public string? VersionText => Version switch
    {
        MqttProtocolVersion.V311 => "3.1.1",
        MqttProtocolVersion.V31 => "3.1",
        _ => null,
    };
}
