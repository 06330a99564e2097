using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>
/// Turns action parameters into strings fit for the log: anything whose name sounds secret (unless it is
/// a yes/no value), and any SecureString, credential or key object, becomes a mask; long values are cut.
/// Paths of key files are kept: they say which key was used, the key itself stays in its file.
/// </summary>
/// <remarks>
/// The name list errs on the side of masking. A secret passed under an innocent name as a plain
/// string cannot be recognised; callers pass secrets as SecureString or PSCredential, which always mask.
/// </remarks>
public static class SecretScrubber
{
    public const string Mask = "********";
    private const int MaxValueLength = 512;

    private static readonly Regex s_secretName = new Regex(
        "pass|secret|community|token|credential|privatekey|apikey|^key$|psk|auth|priv|cookie|bearer",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly string[] s_secretTypes =
        { "SecureString", "Credential", "NetworkCredential", "SshLogin", "PrivateKey" };

    /// <summary>Returns the parameters as masked, length-bounded strings, sorted by name.</summary>
    public static SortedDictionary<string, string> Scrub(IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        var scrubbed = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in parameters)
        {
            // A yes/no switch such as DisablePasswordLogin says what was done and can hide no secret.
            var secret = IsSecretName(pair.Key) && !(pair.Value is bool);
            scrubbed[pair.Key] = secret ? Mask : Describe(pair.Value);
        }

        return scrubbed;
    }

    public static bool IsSecretName(string name) => s_secretName.IsMatch(name ?? string.Empty);

    private static string Describe(object? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        if (IsSecretType(value.GetType()))
        {
            return Mask;
        }

        var text = value switch
        {
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            IEnumerable list => string.Join(",", list.Cast<object?>().Select(Describe)),
            _ => value.ToString() ?? string.Empty,
        };
        return text.Length <= MaxValueLength ? text : text.Substring(0, MaxValueLength) + "...";
    }

    private static bool IsSecretType(Type type)
    {
        for (var current = type; current != null; current = current.BaseType)
        {
            if (s_secretTypes.Any(name => current.Name.IndexOf(name, StringComparison.Ordinal) >= 0))
            {
                return true;
            }
        }

        return false;
    }
}
