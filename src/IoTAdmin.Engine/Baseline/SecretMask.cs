namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// How secrets appear in findings, evidence and logs. A secret the administrator supplied is hidden completely,
/// at a fixed length; only a default published on a list the module ships keeps its first character, so a reader
/// can tell which well-known default a device accepted without the report revealing anything private.
/// </summary>
public static class SecretMask
{
    /// <summary>Stands for any secret: neither its characters nor its length show.</summary>
    public const string Hidden = "********";

    /// <summary>A published default's hint: its first character and seven stars, or "(empty)".</summary>
    public static string PublicDefaultHint(string publicDefault) =>
        publicDefault.Length == 0 ? "(empty)" : publicDefault.Substring(0, 1) + new string('*', 7);
}
