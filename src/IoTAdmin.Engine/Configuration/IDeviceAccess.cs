using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Configuration;

/// <summary>What a device command printed and how it ended.</summary>
public sealed class DeviceCommandOutput
{
    public DeviceCommandOutput(int? exitStatus, string output, string error, bool timedOut)
    {
        ExitStatus = exitStatus;
        Output = output;
        Error = error;
        TimedOut = timedOut;
    }

    public int? ExitStatus { get; }

    public string Output { get; }

    public string Error { get; }

    public bool TimedOut { get; }

    public bool Succeeded => !TimedOut && ExitStatus == 0;
}

/// <summary>An open command channel to one device (the issue-4 DeviceShell behind an adapter).</summary>
public interface IDeviceSession : IDisposable
{
    /// <summary>
    /// Runs one shell command under a hard deadline, feeding <paramref name="standardInput"/> to it:
    /// secrets travel there, never on the command line a device's process list would show.
    /// </summary>
    Task<DeviceCommandOutput> RunAsync(string command, string? standardInput, CancellationToken cancellationToken);
}

/// <summary>
/// Everything the configuration engine needs from the engines that own device changes: a shell
/// (issue 4's DeviceShell with host-key pinning), password rotation and key installation
/// (issue 4), switching a service off (issue 5). The engine orchestrates; it never re-implements
/// these. The module's implementation adapts those engines; tests may give a real-device adapter.
/// </summary>
public interface IDeviceAccess
{
    /// <summary>Opens a shell on the device with the run's current login for it.</summary>
    Task<IDeviceSession> ConnectAsync(ConfigurationTarget target, CancellationToken cancellationToken);

    /// <summary>The account the run logs in with, for messages.</summary>
    string LoginUser(ConfigurationTarget target);

    /// <summary>True when the run logged in to <paramref name="account"/> with a well-known default password.</summary>
    bool LoginUsesDefaultPassword(ConfigurationTarget target, string account);

    /// <summary>
    /// Changes an account's password and proves the new one logs in and the old one no longer does;
    /// afterwards <see cref="ConnectAsync"/> logs in with the new password.
    /// </summary>
    Task ChangePasswordAsync(
        ConfigurationTarget target, string account, string newPassword, CancellationToken cancellationToken);

    /// <summary>Installs public keys, proves key login, then turns password login off.</summary>
    Task RequireKeyLoginAsync(
        ConfigurationTarget target, IReadOnlyList<string> publicKeys, CancellationToken cancellationToken);

    /// <summary>Stops a service and keeps it off across reboots.</summary>
    Task DisableServiceAsync(ConfigurationTarget target, string service, CancellationToken cancellationToken);

    /// <summary>Names the engine each kind of operation runs through, for the -WhatIf text.</summary>
    string EngineName(string operation);
}

/// <summary>One device a configuration run manages, with its resolved desired state.</summary>
public sealed class ConfigurationTarget
{
    public ConfigurationTarget(string address, string? name, DesiredConfiguration desired)
    {
        Address = address;
        Name = name;
        Desired = desired;
    }

    public string Address { get; }

    public string? Name { get; }

    public DesiredConfiguration Desired { get; }

    public Inventory.DeviceProfile Profile { get; set; }

    public IReadOnlyList<string> Tags { get; set; } = Array.Empty<string>();

    public override string ToString() => Name is null ? Address : $"{Name} ({Address})";
}
