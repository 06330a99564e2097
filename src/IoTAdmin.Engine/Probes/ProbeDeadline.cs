using System;
using System.Threading;

namespace IoTAdmin.Engine.Probes;

/// <summary>
/// An absolute deadline for one probe operation, linked with the caller's token. It is fixed when
/// created, so a device that keeps sending data cannot extend it (BR-06).
/// </summary>
internal sealed class ProbeDeadline : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _callerToken;

    public ProbeDeadline(TimeSpan timeout, CancellationToken callerToken)
    {
        _callerToken = callerToken;
        _timeout = new CancellationTokenSource(timeout);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, _timeout.Token);
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>True when the deadline (not the caller) ended the operation.</summary>
    public bool HasExpired => _timeout.IsCancellationRequested && !_callerToken.IsCancellationRequested;

    /// <summary>Rethrows when the caller cancelled; a mere deadline expiry is left to the probe.</summary>
    public void ThrowIfCallerCancelled() => _callerToken.ThrowIfCancellationRequested();

    public void Dispose()
    {
        _linked.Dispose();
        _timeout.Dispose();
    }
}
