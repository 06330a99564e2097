namespace IoTAdmin.Engine.Credentials;

/// <summary>The logins Test-IoTCredential knows how to try.</summary>
public enum CredentialProtocol
{
    Ssh,
    Telnet,

    /// <summary>HTTP Basic or Digest, whichever the server's challenge asks for.</summary>
    Http,

    /// <summary>SNMP v1/v2c communities (the password of each pair; user names are ignored).</summary>
    Snmp,

    /// <summary>MQTT CONNECT with user name and password.</summary>
    Mqtt,
}
