using System;
using System.Collections.Generic;

namespace IoTAdmin.Engine.Firmware;

/// <summary>How an update of one device ended.</summary>
public enum FirmwareUpdateStatus
{
    /// <summary>Installed, the device came back and reports the target version.</summary>
    Updated,

    /// <summary>The device already runs the catalogue's latest version (or newer); nothing was sent.</summary>
    AlreadyCurrent,

    /// <summary>-WhatIf, or the operator declined.</summary>
    NotConfirmed,

    /// <summary>Not attempted because the canary or an earlier device failed.</summary>
    Skipped,

    /// <summary>Refused before upload (no catalogue entry, unknown version, no upgrade command).</summary>
    Refused,

    /// <summary>The upload or the upgrade command failed; the device still runs its old firmware.</summary>
    Failed,

    /// <summary>The device did not come back within the reboot timeout: check it by hand.</summary>
    NotReturned,

    /// <summary>The device came back with a version other than the target: check it by hand.</summary>
    VersionMismatch,
}

/// <summary>The record of one device's firmware update, kept whether it worked or not.</summary>
public sealed class FirmwareUpdateResult
{
    public FirmwareUpdateResult(string address, FirmwareUpdateStatus status, string message)
    {
        Address = address;
        Status = status;
        Message = message;
    }

    public string Address { get; }

    public FirmwareUpdateStatus Status { get; set; }

    public string Message { get; set; }

    public string? Vendor { get; set; }

    public string? Model { get; set; }

    public string? PreviousVersion { get; set; }

    public string? TargetVersion { get; set; }

    /// <summary>The version read after the device came back; null when it was not read.</summary>
    public string? NewVersion { get; set; }

    /// <summary>Where <see cref="NewVersion"/> was read.</summary>
    public string? NewVersionSource { get; set; }

    public string? ImageSha256 { get; set; }

    public bool SignatureVerified { get; set; }

    /// <summary>Whether this device was the canary of the fleet run.</summary>
    public bool Canary { get; set; }

    public DateTimeOffset Started { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? Finished { get; set; }

    /// <summary>Each step in order, for the change record.</summary>
    public List<string> Steps { get; } = new List<string>();

    /// <summary>True for every outcome that leaves the device in an unknown or unintended state.</summary>
    public bool NeedsAttention => Status is FirmwareUpdateStatus.NotReturned or FirmwareUpdateStatus.VersionMismatch;

    /// <summary>True when the run over the fleet must stop after this device.</summary>
    public bool IsFailure => Status is FirmwareUpdateStatus.Failed or FirmwareUpdateStatus.NotReturned
        or FirmwareUpdateStatus.VersionMismatch or FirmwareUpdateStatus.Refused;

    public override string ToString() => $"{Address}: {Status} - {Message}";
}
