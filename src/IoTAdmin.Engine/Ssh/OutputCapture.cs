using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Ssh;

/// <summary>
/// Collects bytes from a device up to a bound; the rest is read and dropped so the channel never
/// stalls, and <see cref="Truncated"/> says so. Thread-safe: a reader task adds, the caller takes
/// a snapshot at any time (also after a timeout).
/// </summary>
internal sealed class OutputCapture
{
    private readonly MemoryStream _bytes = new MemoryStream();
    private readonly long _limit;
    private readonly SemaphoreSlim _arrived = new SemaphoreSlim(0);

    public OutputCapture(long limit)
    {
        _limit = limit;
    }

    public bool Truncated { get; private set; }

    public bool Completed { get; private set; }

    public long Length
    {
        get
        {
            lock (_bytes)
            {
                return _bytes.Length;
            }
        }
    }

    public void Add(byte[] buffer, int count)
    {
        lock (_bytes)
        {
            var room = (int)Math.Max(0, Math.Min(count, _limit - _bytes.Length));
            _bytes.Write(buffer, 0, room);
            Truncated |= room < count;
        }

        _arrived.Release();
    }

    public void Complete()
    {
        Completed = true;
        _arrived.Release();
    }

    /// <summary>Waits until more bytes arrive or the stream ends; false when the token fires first.</summary>
    public async Task<bool> WaitForDataAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _arrived.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public byte[] ToArray()
    {
        lock (_bytes)
        {
            return _bytes.ToArray();
        }
    }

    public string Text()
    {
        lock (_bytes)
        {
            return Encoding.UTF8.GetString(_bytes.GetBuffer(), 0, (int)_bytes.Length);
        }
    }

    /// <summary>Reads a stream to its end on a worker thread (SSH.NET streams block).</summary>
    public Task PumpAsync(Stream source) => Task.Run(() =>
    {
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                Add(buffer, read);
            }
        }
        catch (Exception ex) when (ex is IOException || ex is ObjectDisposedException)
        {
            // The channel closed under us: the caller decides from what was read and the exit status.
        }
        finally
        {
            Complete();
        }
    });
}
