using System.Text;

namespace IoTAdmin.Engine.Reporting;

/// <summary>
/// Makes untrusted text safe for HTML element content and quoted attribute values. Device
/// names, banners and sysDescr come from the devices themselves and may be hostile.
/// </summary>
internal static class HtmlText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var safe = new StringBuilder(text!.Length + 16);
        foreach (var character in text)
        {
            safe.Append(EscapeCharacter(character));
        }

        return safe.ToString();
    }

    /// <summary>Escapes the text and cuts it to a length that fits a chart label.</summary>
    public static string EscapeShortened(string? text, int maxLength)
    {
        var value = text ?? string.Empty;
        return Escape(value.Length <= maxLength ? value : value.Substring(0, maxLength - 1) + "\u2026");
    }

    /// <summary>Builds a quoted attribute with a leading space, e.g. ` data-device="10.0.0.1"`.</summary>
    public static string Attribute(string name, string? value) => $" {name}=\"{Escape(value)}\"";

    private static string EscapeCharacter(char character)
    {
        switch (character)
        {
            case '&': return "&amp;";
            case '<': return "&lt;";
            case '>': return "&gt;";
            case '"': return "&quot;";
            case '\'': return "&#39;";
            case '`': return "&#96;";
            case '\t':
            case '\n':
            case '\r':
                return character.ToString();
        }

        // Control characters are not allowed in HTML; show a replacement mark instead.
        return char.IsControl(character) ? "\uFFFD" : character.ToString();
    }
}
