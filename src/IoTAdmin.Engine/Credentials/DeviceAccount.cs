using System.Collections.Generic;

namespace IoTAdmin.Engine.Credentials;

/// <summary>How an account's password field looks in /etc/shadow (or /etc/passwd on old devices).</summary>
public enum PasswordState
{
    /// <summary>A password hash is set.</summary>
    Set,

    /// <summary>The field is empty: anyone may log in without a password where the service allows it.</summary>
    Empty,

    /// <summary>Locked (! or * prefix): no password login.</summary>
    Locked,

    /// <summary>The entry could not be read (no shadow entry, or shadow unreadable).</summary>
    Unknown,
}

/// <summary>One account of a device, with what the audit found about it. Holds no password hash.</summary>
public sealed class DeviceAccount
{
    public DeviceAccount(string address, string userName, int uid, int gid, string home, string shell)
    {
        Address = address;
        UserName = userName;
        Uid = uid;
        Gid = gid;
        Home = home;
        Shell = shell;
    }

    public string Address { get; }

    public string UserName { get; }

    public int Uid { get; }

    public int Gid { get; }

    public string Home { get; }

    public string Shell { get; }

    public PasswordState PasswordState { get; set; } = PasswordState.Unknown;

    /// <summary>The shell is a real shell (not nologin or false).</summary>
    public bool HasLoginShell { get; set; }

    /// <summary>A password login is possible: login shell and a set or empty password.</summary>
    public bool CanLogIn =>
        HasLoginShell && (PasswordState == PasswordState.Set || PasswordState == PasswordState.Empty);

    /// <summary>Uid 0 under another name than root: a second superuser.</summary>
    public bool IsExtraUid0 => Uid == 0 && UserName != "root";

    /// <summary>A well-known vendor default account (admin, support, guest, ...) that can log in.</summary>
    public bool IsUnneededDefault { get; set; }

    /// <summary>One sentence per problem found (empty when none).</summary>
    public List<string> Issues { get; } = new List<string>();
}
