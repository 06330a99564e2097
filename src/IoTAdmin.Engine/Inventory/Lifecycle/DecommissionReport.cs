using System;
using System.Collections.Generic;
using System.Linq;
using IoTAdmin.Engine.Inventory.Store;

namespace IoTAdmin.Engine.Inventory.Lifecycle;

/// <summary>One step of a decommissioning and how it ended.</summary>
public sealed class DecommissionStep
{
    public DecommissionStep(string name, bool succeeded, string detail)
    {
        Name = name;
        Succeeded = succeeded;
        Detail = detail;
    }

    /// <summary>Backup, Wipe, FactoryReset, HostKey or Inventory.</summary>
    public string Name { get; }

    public bool Succeeded { get; }

    public string Detail { get; }

    public DateTimeOffset At { get; } = DateTimeOffset.UtcNow;

    public override string ToString() => $"{Name}: {(Succeeded ? "done" : "FAILED")}, {Detail}";
}

/// <summary>What a decommissioning did, step by step, and where its verified backup lies.</summary>
public sealed class DecommissionReport
{
    private readonly List<DecommissionStep> _steps = new List<DecommissionStep>();

    public DecommissionReport(string address)
    {
        Address = address;
    }

    public string Address { get; }

    public IReadOnlyList<DecommissionStep> Steps => _steps;

    /// <summary>The folder holding backup.tar, SHA256SUMS and backup.tar.sha256; null before the backup.</summary>
    public string? BackupFolder { get; internal set; }

    /// <summary>SHA-256 of backup.tar, equal on the device and on disk here.</summary>
    public string? BackupSha256 { get; internal set; }

    /// <summary>The number of files the backup holds, each checked against the device's own hash.</summary>
    public int BackupFileCount { get; internal set; }

    /// <summary>The inventory entry after the run: Decommissioned when every step succeeded.</summary>
    public InventoryDevice? Device { get; internal set; }

    public bool Completed => _steps.Count > 0 && _steps.All(s => s.Succeeded) && Device is not null
        && Device.State == LifecycleState.Decommissioned;

    /// <summary>The steps that succeeded, in words, for errors that must say what was done.</summary>
    public string DescribeDone()
    {
        var done = _steps.Where(s => s.Succeeded).Select(s => s.Name).ToList();
        return done.Count == 0 ? "nothing was done" : "done before it: " + string.Join(", ", done);
    }

    internal void Add(DecommissionStep step) => _steps.Add(step);
}

/// <summary>A decommissioning step failed; the steps after it were not run.</summary>
public sealed class DecommissionFailedException : Exception
{
    public DecommissionFailedException(string message, DecommissionReport report, Exception? inner = null)
        : base(message, inner)
    {
        Report = report;
    }

    public DecommissionReport Report { get; }
}
