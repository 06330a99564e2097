using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace IoTAdmin.Engine.Credentials;

/// <summary>
/// How generated device passwords look: a length and character classes, each class at least
/// <see cref="MinimumPerClass"/> times, drawn with a cryptographic random generator. The default
/// symbols are safe in shells, chpasswd input and URLs (no colon, quote, backslash or space).
/// </summary>
public sealed class PasswordPolicy
{
    public const string DefaultSymbols = "-_.+=@%^";
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";

    public int Length { get; set; } = 20;

    /// <summary>Symbols to use; empty for letters and digits only (for devices that refuse symbols).</summary>
    public string Symbols { get; set; } = DefaultSymbols;

    public int MinimumPerClass { get; set; } = 1;

    /// <exception cref="ArgumentException">The policy cannot be met or allows unsafe characters.</exception>
    public string Generate()
    {
        var classes = new[] { Upper, Lower, Digits, Symbols }.Where(c => c.Length > 0).ToArray();
        Validate(classes.Length);
        var chars = new char[Length];
        var position = 0;
        foreach (var set in classes)
        {
            for (var i = 0; i < MinimumPerClass; i++)
            {
                chars[position++] = Pick(set);
            }
        }

        var all = string.Concat(classes);
        while (position < Length)
        {
            chars[position++] = Pick(all);
        }

        Shuffle(chars);
        return new string(chars);
    }

    /// <summary>Why a password cannot be set on a device through chpasswd, or null when it can.</summary>
    public static string? Unsuitable(string password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "the password is empty";
        }

        return password.IndexOfAny(new[] { ':', '\n', '\r', '\0' }) >= 0
            ? "the password contains a colon, a line break or NUL, which chpasswd cannot take"
            : null;
    }

    private void Validate(int classCount)
    {
        if (Length < 8 || Length > 128)
        {
            throw new ArgumentException("The password length must be between 8 and 128.");
        }

        if (MinimumPerClass < 0 || MinimumPerClass * classCount > Length)
        {
            throw new ArgumentException(
                $"{classCount} classes of {MinimumPerClass} do not fit in {Length} characters.");
        }

        if (Unsuitable("x" + Symbols) is not null || Symbols.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("The symbols may not contain colons, white space or line breaks.");
        }
    }

    private static char Pick(string set) => set[RandomIndex(set.Length)];

    private static void Shuffle(char[] chars)
    {
        for (var i = chars.Length - 1; i > 0; i--)
        {
            var j = RandomIndex(i + 1);
            (chars[i], chars[j]) = (chars[j], chars[i]);
        }
    }

    /// <summary>An unbiased index below <paramref name="count"/> (rejection sampling).</summary>
    private static int RandomIndex(int count)
    {
        using var random = RandomNumberGenerator.Create();
        var bytes = new byte[4];
        var limit = uint.MaxValue - (uint.MaxValue % (uint)count);
        uint value;
        do
        {
            random.GetBytes(bytes);
            value = BitConverter.ToUInt32(bytes, 0);
        }
        while (value >= limit);
        return (int)(value % (uint)count);
    }
}
