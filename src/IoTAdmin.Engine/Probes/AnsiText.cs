using System.Text.RegularExpressions;

namespace IoTAdmin.Engine.Probes;

/// <summary>Removes terminal control sequences so prompts can be matched (BR-07).</summary>
public static class AnsiText
{
    // CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), two-byte ESC sequences, other C0 controls.
    private static readonly Regex s_controls = new Regex(
        @"\x1B\[[0-?]*[ -/]*[@-~]|\x1B\][^\x07\x1B]*(\x07|\x1B\\)?|\x1B[@-Z\\-_]|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]",
        RegexOptions.CultureInvariant);

    /// <summary>The text without escape sequences and control characters other than CR, LF and tab.</summary>
    public static string Strip(string text) => s_controls.Replace(text, string.Empty);
}
