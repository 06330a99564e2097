using System;
using System.IO;

namespace IoTAdmin.Engine.Ssh;

/// <summary>
/// The account a <see cref="DeviceShell"/> logs in with: a user name plus a password or a private key
/// (file or bytes, optionally with a passphrase). <see cref="ToString"/> never shows a secret.
/// </summary>
public sealed class SshLogin
{
    private SshLogin(string userName)
    {
        if (string.IsNullOrWhiteSpace(userName))
        {
            throw new ArgumentException("The SSH user name is empty.", nameof(userName));
        }

        UserName = userName;
    }

    public string UserName { get; }

    public string? Password { get; private set; }

    public byte[]? PrivateKey { get; private set; }

    public string? PrivateKeyPassphrase { get; private set; }

    /// <summary>Where the private key came from, for messages (never its content).</summary>
    public string? PrivateKeySource { get; private set; }

    public bool UsesKey => PrivateKey is not null;

    public static SshLogin WithPassword(string userName, string password) =>
        new SshLogin(userName) { Password = password ?? throw new ArgumentNullException(nameof(password)) };

    public static SshLogin WithKey(string userName, byte[] privateKey, string? passphrase = null,
        string source = "key bytes")
    {
        if (privateKey is null || privateKey.Length == 0)
        {
            throw new ArgumentException("The private key is empty.", nameof(privateKey));
        }

        return new SshLogin(userName)
        {
            PrivateKey = privateKey,
            PrivateKeyPassphrase = passphrase,
            PrivateKeySource = source,
        };
    }

    /// <exception cref="FileNotFoundException">The key file does not exist.</exception>
    public static SshLogin WithKeyFile(string userName, string path, string? passphrase = null)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"The private key file {path} does not exist.", path);
        }

        // A private key is a few kilobytes; anything larger is the wrong file.
        if (info.Length > 64 * 1024)
        {
            throw new InvalidDataException($"{path} is {info.Length} bytes, too large for a private key.");
        }

        return WithKey(userName, File.ReadAllBytes(path), passphrase, path);
    }

    public override string ToString() =>
        UsesKey ? $"{UserName} (key {PrivateKeySource})" : $"{UserName} (password)";
}
