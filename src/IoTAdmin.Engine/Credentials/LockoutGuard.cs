using System;
using System.Collections.Generic;

namespace IoTAdmin.Engine.Credentials;

/// <summary>
/// Counts failed logins per account (device, protocol, port, user) in a sliding window, for the
/// whole process, so that repeated runs in one PowerShell session never push an account past a
/// lockout threshold. A scheduled task in a new process starts from zero: its own schedule must
/// leave the window between runs (documented in the Test-IoTCredential help).
/// </summary>
public sealed class LockoutGuard
{
    private readonly Dictionary<string, List<DateTime>> _failures =
        new Dictionary<string, List<DateTime>>(StringComparer.OrdinalIgnoreCase);

    public static LockoutGuard Shared { get; } = new LockoutGuard();

    /// <summary>Reserves one attempt; false when the account already has its limit of failures.</summary>
    public bool TryReserve(string account, int maxFailures, TimeSpan window)
    {
        lock (_failures)
        {
            return Recent(account, window).Count < maxFailures;
        }
    }

    public void RecordFailure(string account)
    {
        lock (_failures)
        {
            if (!_failures.TryGetValue(account, out var times))
            {
                _failures[account] = times = new List<DateTime>();
            }

            times.Add(DateTime.UtcNow);
        }
    }

    /// <summary>Forgets the failures of an account, e.g. after a success proved it is not locked.</summary>
    public void Clear(string account)
    {
        lock (_failures)
        {
            _failures.Remove(account);
        }
    }

    public static string AccountKey(string address, CredentialTarget target, string user) =>
        $"{address}|{target.Protocol}|{target.Port}|{user}";

    private List<DateTime> Recent(string account, TimeSpan window)
    {
        if (!_failures.TryGetValue(account, out var times))
        {
            return new List<DateTime>();
        }

        var since = DateTime.UtcNow - window;
        times.RemoveAll(t => t < since);
        return times;
    }
}
