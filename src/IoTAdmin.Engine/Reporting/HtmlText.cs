using System.Text;
using IoTAdmin.Engine.Diagnostics;

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

        // Most text (addresses, rule ids, evidence) needs no escaping: hand it back without a copy.
        var first = FirstUnsafeIndex(text!);
        if (first < 0)
        {
            return text!;
        }

        var safe = new StringBuilder(text!.Length + 16);
        safe.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            AppendEscaped(safe, text[i]);
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

    private static int FirstUnsafeIndex(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var character = text[i];
            if (Replacement(character) is not null || DeviceText.IsUnsafe(character))
            {
                return i;
            }
        }

        return -1;
    }

    private static void AppendEscaped(StringBuilder safe, char character)
    {
        var replacement = Replacement(character);
        if (replacement is not null)
        {
            safe.Append(replacement);
        }
        else if (DeviceText.IsUnsafe(character))
        {
            safe.Append('\uFFFD');
        }
        else
        {
            safe.Append(character);
        }
    }

    private static string? Replacement(char character) => character switch
    {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '"' => "&quot;",
        '\'' => "&#39;",
        '`' => "&#96;",
        _ => null,
    };
}
