namespace IoTAdmin.Engine.Baseline.Credentials;

/// <summary>One entry of a default credential list, with the vendor it is published for.</summary>
public sealed class DefaultCredential
{
    public DefaultCredential(string vendor, string userName, string password, string source)
    {
        Vendor = vendor;
        UserName = userName;
        Password = password;
        Source = source;
    }

    /// <summary>The vendor or product as the source names it, e.g. "hikvision (ssh)"; empty when generic.</summary>
    public string Vendor { get; }

    public string UserName { get; }

    public string Password { get; }

    /// <summary>"mirai" or "defaultcreds"; see Data/README.md.</summary>
    public string Source { get; }

    public CredentialPair ToPair() => new CredentialPair(UserName, Password, isPublicDefault: true);

    public override string ToString() => $"{Vendor}:{ToPair()}";
}
