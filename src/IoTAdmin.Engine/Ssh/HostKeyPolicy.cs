using System;
using IoTAdmin.Engine.Diagnostics;

namespace IoTAdmin.Engine.Ssh;

/// <summary>
/// How a connection decides whether to trust a server's host key. A pinned key must match exactly
/// (a change throws <see cref="HostKeyChangedException"/>, even with <see cref="AcceptNew"/>). An unknown
/// key is pinned only when it equals <see cref="ExpectedFingerprint"/> or when <see cref="AcceptNew"/>
/// is set; otherwise the connection stops with <see cref="HostKeyNotTrustedException"/>.
/// </summary>
public sealed class HostKeyPolicy
{
    public HostKeyPolicy(KnownHostsStore store)
    {
        Store = store ?? throw new ArgumentNullException(nameof(store));
    }

    public KnownHostsStore Store { get; }

    /// <summary>Pin an unknown key on first contact (trust on first use).</summary>
    public bool AcceptNew { get; set; }

    /// <summary>The fingerprint the admin expects (from the device's console or label), or null.</summary>
    public string? ExpectedFingerprint { get; set; }

    /// <summary>Where a key pinned on trust of first use is announced, so the admin can verify it later.</summary>
    public IActivityLog? Log { get; set; }

    /// <summary>A policy over the default store that refuses unknown keys.</summary>
    public static HostKeyPolicy Default() => new HostKeyPolicy(new KnownHostsStore(KnownHostsStore.DefaultPath));

    /// <summary>
    /// Judges a presented key: returns whether it was newly pinned, or throws the trust failure.
    /// </summary>
    /// <exception cref="HostKeyChangedException">A different key is pinned for this host and port.</exception>
    /// <exception cref="HostKeyNotTrustedException">The key is unknown and may not be pinned.</exception>
    public HostKeyDecision Check(string host, int port, string algorithm, string presentedFingerprint)
    {
        var presented = HostKeyFingerprint.Normalize(presentedFingerprint);
        var pinned = Store.Find(host, port);
        if (pinned is not null)
        {
            if (HostKeyFingerprint.AreEqual(pinned.Fingerprint, presented))
            {
                return HostKeyDecision.Known;
            }

            throw new HostKeyChangedException(host, port, pinned.Fingerprint, presented, Store.Path);
        }

        if (ExpectedFingerprint is not null)
        {
            if (!HostKeyFingerprint.AreEqual(ExpectedFingerprint, presented))
            {
                throw new HostKeyNotTrustedException(host, port, presented,
                    $"it differs from the expected {HostKeyFingerprint.Normalize(ExpectedFingerprint)}");
            }

            Store.Pin(host, port, algorithm, presented);
            Log?.Verbose($"Pinned the SSH host key of {host}:{port}, the expected {algorithm} {presented}.");
            return HostKeyDecision.PinnedNow;
        }

        if (!AcceptNew)
        {
            throw new HostKeyNotTrustedException(host, port, presented, "it is not pinned in " + Store.Path);
        }

        Store.Pin(host, port, algorithm, presented);
        Log?.Warning($"Pinned the SSH host key of {host}:{port} on first contact (trust on first use): "
            + $"{algorithm} {presented} in {Store.Path}; compare it with the device's console.");
        return HostKeyDecision.PinnedNow;
    }
}

/// <summary>What <see cref="HostKeyPolicy.Check"/> decided about a trusted key.</summary>
public enum HostKeyDecision
{
    /// <summary>The key matched the pinned one.</summary>
    Known,

    /// <summary>The key was unknown and has just been pinned.</summary>
    PinnedNow,
}
