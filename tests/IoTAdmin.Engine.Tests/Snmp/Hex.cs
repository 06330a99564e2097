namespace IoTAdmin.Engine.Tests.Snmp;

/// <summary>Hex text with optional spaces to bytes and back, for readable expected packets.</summary>
internal static class Hex
{
    public static byte[] Parse(string text) => Convert.FromHexString(text.Replace(" ", string.Empty));

    public static string Format(byte[] bytes) => Convert.ToHexString(bytes);
}
