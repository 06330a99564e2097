using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Firmware;

/// <summary>An image that must not reach a device: wrong hash, bad signature, too large, unreadable.</summary>
public sealed class FirmwareImageRejectedException : Exception
{
    public FirmwareImageRejectedException(string message)
        : base(message)
    {
    }

    public FirmwareImageRejectedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// A firmware image held in memory after it was checked: its SHA-256 equals the catalogue's and, when
/// the catalogue has a signature, the signature verifies with the vendor's key. Only a
/// <see cref="FirmwareImage"/> can be uploaded, so an unchecked image never reaches a device.
/// </summary>
public sealed class FirmwareImage
{
    /// <summary>The largest image read when the catalogue names no size.</summary>
    public const long DefaultMaxBytes = 256L * 1024 * 1024;

    private FirmwareImage(byte[] content, string sha256, string origin)
    {
        Content = content;
        Sha256 = sha256;
        Origin = origin;
    }

    public byte[] Content { get; }

    /// <summary>The verified SHA-256, lower-case hex.</summary>
    public string Sha256 { get; }

    /// <summary>Where the image came from (a path or URL).</summary>
    public string Origin { get; }

    /// <summary>Whether a signature was verified (false when the catalogue has none).</summary>
    public bool SignatureVerified { get; private set; }

    /// <summary>Reads the entry's image (or <paramref name="overridePath"/>) and checks it.</summary>
    /// <exception cref="FirmwareImageRejectedException">The image is missing, too large or fails a check.</exception>
    public static async Task<FirmwareImage> LoadAsync(FirmwareCatalogEntry entry, string? overridePath,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (entry.Sha256 is null)
        {
            throw new FirmwareImageRejectedException(
                $"the catalogue gives no SHA-256 for {entry.Vendor} {entry.Model}; an unchecked image is never sent");
        }

        var origin = overridePath ?? entry.ImageUrl ?? throw new FirmwareImageRejectedException(
            $"the catalogue names no image for {entry.Vendor} {entry.Model}");
        var limit = entry.ImageSize ?? DefaultMaxBytes;
        var content = await ReadAsync(origin, entry.BaseDirectory, limit, timeout, cancellationToken)
            .ConfigureAwait(false);
        return Verify(entry, content, origin);
    }

    /// <summary>Checks bytes against the entry's hash and signature.</summary>
    /// <exception cref="FirmwareImageRejectedException">A check failed.</exception>
    public static FirmwareImage Verify(FirmwareCatalogEntry entry, byte[] content, string origin)
    {
        string actual;
        using (var sha = SHA256.Create())
        {
            actual = string.Concat(sha.ComputeHash(content).Select(b => b.ToString("x2")));
        }

        if (!string.Equals(actual, entry.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new FirmwareImageRejectedException(
                $"the image {origin} has SHA-256 {actual}, the catalogue expects {entry.Sha256}: refused");
        }

        var image = new FirmwareImage(content, actual, origin);
        if (entry.Signature is not null)
        {
            FirmwareSignatureCheck.Verify(entry.Signature, content, origin);
            image.SignatureVerified = true;
        }

        return image;
    }

    private static async Task<byte[]> ReadAsync(string origin, string? baseDirectory, long limit, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https"))
        {
            return await DownloadAsync(uri, limit, timeout, cancellationToken).ConfigureAwait(false);
        }

        var path = uri is { IsFile: true } ? uri.LocalPath
            : Path.IsPathRooted(origin) ? origin : Path.Combine(baseDirectory ?? ".", origin);
        try
        {
            var info = new FileInfo(path);
            if (info.Length > limit)
            {
                throw new FirmwareImageRejectedException($"the image {path} is {info.Length} bytes, over {limit}");
            }

            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FirmwareImageRejectedException($"the image {path} cannot be read: {ex.Message}", ex);
        }
    }

    private static async Task<byte[]> DownloadAsync(Uri uri, long limit, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = timeout };
        using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new FirmwareImageRejectedException($"downloading {uri} gave HTTP {(int)response.StatusCode}");
        }

        if (response.Content.Headers.ContentLength > limit)
        {
            throw new FirmwareImageRejectedException($"the image at {uri} is over {limit} bytes");
        }

        using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        using var memory = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (memory.Length + read > limit)
            {
                throw new FirmwareImageRejectedException($"the image at {uri} is over {limit} bytes");
            }

            memory.Write(buffer, 0, read);
        }

        return memory.ToArray();
    }
}
