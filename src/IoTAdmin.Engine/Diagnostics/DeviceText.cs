using System.Text;

namespace IoTAdmin.Engine.Diagnostics;

/// <summary>
/// Text a device chose (banners, realms, names, descriptions) made safe to print on an admin's
/// terminal: control characters other than tab and line breaks become U+FFFD, so a hostile device
/// cannot send escape sequences that clear the screen, retitle the window or hide a finding.
/// </summary>
public static class DeviceText
{
    /// <summary>The text without terminal control characters; null stays null.</summary>
    public static string? ForDisplay(string? text)
    {
        if (text is null || !HasControl(text))
        {
            return text;
        }

        var safe = new StringBuilder(text.Length);
        foreach (var character in text)
        {
            safe.Append(IsUnsafe(character) ? '\uFFFD' : character);
        }

        return safe.ToString();
    }

    private static bool HasControl(string text)
    {
        foreach (var character in text)
        {
            if (IsUnsafe(character))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True for C0 and C1 controls (ESC, BEL, CSI ...), which drive terminals and are not allowed in
    /// HTML; false for tab and line breaks, which only lay text out.
    /// </summary>
    internal static bool IsUnsafe(char character) =>
        char.IsControl(character) && character != '\t' && character != '\n' && character != '\r';
}
