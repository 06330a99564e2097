using System;
using System.Collections.Generic;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace IoTAdmin.Engine.Exposure;

/// <summary>A TLS (or SSL 3.0) protocol version a server may offer.</summary>
public enum TlsProtocol
{
    Ssl30,
    Tls10,
    Tls11,
    Tls12,
    Tls13,
}

/// <summary>What the first record of a server's answer to a ClientHello was.</summary>
public enum TlsAnswerKind
{
    /// <summary>Not enough bytes yet.</summary>
    Incomplete,

    ServerHello,

    Alert,

    /// <summary>The bytes are no TLS record at all.</summary>
    NotTls,
}

/// <summary>The parsed first record of a server's answer.</summary>
public sealed class TlsAnswer
{
    public TlsAnswer(TlsAnswerKind kind, TlsProtocol? protocol = null, int cipherSuite = 0, int alert = 0)
    {
        Kind = kind;
        Protocol = protocol;
        CipherSuite = cipherSuite;
        AlertDescription = alert;
    }

    public TlsAnswerKind Kind { get; }

    /// <summary>The version the ServerHello chose (supported_versions counts for TLS 1.3); null if unknown.</summary>
    public TlsProtocol? Protocol { get; }

    public int CipherSuite { get; }

    public int AlertDescription { get; }
}

/// <summary>
/// Builds raw ClientHello records for one protocol version each and reads the ServerHello that
/// answers them. Own bytes, not SslStream, because the platform's TLS library refuses to even offer
/// the old versions an audit must detect.
/// </summary>
public static class TlsHello
{
    private const int MaxRecordLength = 18432;

    private static readonly int[] s_legacySuites =
    {
        0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC023, 0xC027, 0xC009, 0xC013, 0xC00A, 0xC014,
        0x009C, 0x009D, 0x003C, 0x003D, 0x002F, 0x0035, 0x009E, 0x009F, 0x0033, 0x0039, 0x000A, 0x0016,
        0x0005, 0x0004, 0x00FF,
    };

    private static readonly int[] s_tls13Suites = { 0x1301, 0x1302, 0x1303 };

    private static readonly int[] s_signatureSchemes =
    {
        0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203,
    };

    /// <summary>The wire version number of a protocol (0x0300 .. 0x0304).</summary>
    public static int WireVersion(TlsProtocol protocol) => 0x0300 + (int)protocol;

    public static string Label(TlsProtocol protocol) => protocol switch
    {
        TlsProtocol.Ssl30 => "SSLv3",
        TlsProtocol.Tls10 => "TLSv1.0",
        TlsProtocol.Tls11 => "TLSv1.1",
        TlsProtocol.Tls12 => "TLSv1.2",
        _ => "TLSv1.3",
    };

    /// <summary>A ClientHello record offering exactly one protocol version.</summary>
    /// <param name="protocol">The version to offer.</param>
    /// <param name="serverName">A host name for SNI; IP addresses are not sent (RFC 6066).</param>
    public static byte[] BuildClientHello(TlsProtocol protocol, string? serverName)
    {
        var body = new List<byte>();
        var legacyVersion = protocol == TlsProtocol.Tls13 ? 0x0303 : WireVersion(protocol);
        AddUInt16(body, legacyVersion);
        body.AddRange(RandomBytes(32));
        body.Add(0);

        var suites = protocol == TlsProtocol.Tls13 ? s_tls13Suites : s_legacySuites;
        AddUInt16(body, suites.Length * 2);
        foreach (var suite in suites)
        {
            AddUInt16(body, suite);
        }

        body.Add(1);
        body.Add(0);
        if (protocol != TlsProtocol.Ssl30)
        {
            var extensions = Extensions(protocol, serverName);
            AddUInt16(body, extensions.Count);
            body.AddRange(extensions);
        }

        var handshake = new List<byte> { 0x01 };
        AddUInt24(handshake, body.Count);
        handshake.AddRange(body);
        var record = new List<byte> { 0x16 };
        AddUInt16(record, protocol == TlsProtocol.Ssl30 ? 0x0300 : 0x0301);
        AddUInt16(record, handshake.Count);
        record.AddRange(handshake);
        return record.ToArray();
    }

    /// <summary>True once <paramref name="count"/> bytes hold the whole first record.</summary>
    public static bool HasFirstRecord(byte[] data, int count) =>
        count >= 5 && (count >= 5 + ((data[3] << 8) | data[4]) || count >= MaxRecordLength);

    /// <summary>Reads the first record of a server's answer.</summary>
    public static TlsAnswer ParseAnswer(byte[] data, int count)
    {
        if (count < 5)
        {
            return new TlsAnswer(count == 0 ? TlsAnswerKind.NotTls : TlsAnswerKind.Incomplete);
        }

        var type = data[0];
        var length = (data[3] << 8) | data[4];
        if ((type != 0x15 && type != 0x16) || data[1] != 0x03 || length > MaxRecordLength)
        {
            return new TlsAnswer(TlsAnswerKind.NotTls);
        }

        if (type == 0x15)
        {
            return new TlsAnswer(TlsAnswerKind.Alert, alert: count >= 7 ? data[6] : 0);
        }

        var end = 5 + length;
        return end > count ? new TlsAnswer(TlsAnswerKind.Incomplete) : ParseServerHello(data, 5, end);
    }

    private static TlsAnswer ParseServerHello(byte[] data, int position, int end)
    {
        // handshake type 2, 3-byte length, version, 32-byte random, session id, suite, compression.
        if (end - position < 42 || data[position] != 0x02)
        {
            return new TlsAnswer(TlsAnswerKind.NotTls);
        }

        var version = ReadUInt16(data, position + 4);
        position += 38;
        position += 1 + data[position];
        if (position + 3 > end)
        {
            return new TlsAnswer(TlsAnswerKind.NotTls);
        }

        var suite = ReadUInt16(data, position);
        position += 3;
        var selected = SelectedVersion(data, position, end) ?? version;
        return new TlsAnswer(TlsAnswerKind.ServerHello, ToProtocol(selected), suite);
    }

    // The supported_versions extension of a TLS 1.3 ServerHello; null when there is none.
    private static int? SelectedVersion(byte[] data, int position, int end)
    {
        if (position + 2 > end)
        {
            return null;
        }

        var extensionsEnd = Math.Min(end, position + 2 + ReadUInt16(data, position));
        position += 2;
        while (position + 4 <= extensionsEnd)
        {
            var type = ReadUInt16(data, position);
            var length = ReadUInt16(data, position + 2);
            position += 4;
            if (type == 0x002B && length == 2 && position + 2 <= extensionsEnd)
            {
                return ReadUInt16(data, position);
            }

            position += length;
        }

        return null;
    }

    private static TlsProtocol? ToProtocol(int wire) =>
        wire >= 0x0300 && wire <= 0x0304 ? (TlsProtocol)(wire - 0x0300) : null;

    private static List<byte> Extensions(TlsProtocol protocol, string? serverName)
    {
        var extensions = new List<byte>();
        if (serverName is not null && !IPAddress.TryParse(serverName, out _))
        {
            var name = Encoding.ASCII.GetBytes(serverName);
            var entry = new List<byte>();
            AddUInt16(entry, name.Length + 3);
            entry.Add(0);
            AddUInt16(entry, name.Length);
            entry.AddRange(name);
            AddExtension(extensions, 0x0000, entry);
        }

        AddExtension(extensions, 0x000A, new List<byte> { 0, 6, 0x00, 0x1D, 0x00, 0x17, 0x00, 0x18 });
        AddExtension(extensions, 0x000B, new List<byte> { 1, 0 });
        var schemes = new List<byte>();
        AddUInt16(schemes, s_signatureSchemes.Length * 2);
        foreach (var scheme in s_signatureSchemes)
        {
            AddUInt16(schemes, scheme);
        }

        AddExtension(extensions, 0x000D, schemes);
        if (protocol == TlsProtocol.Tls13)
        {
            AddExtension(extensions, 0x002B, new List<byte> { 2, 0x03, 0x04 });
            var share = new List<byte> { 0, 36, 0x00, 0x1D, 0, 32 };
            share.AddRange(RandomBytes(32));
            AddExtension(extensions, 0x0033, share);
        }

        return extensions;
    }

    private static void AddExtension(List<byte> target, int type, List<byte> content)
    {
        AddUInt16(target, type);
        AddUInt16(target, content.Count);
        target.AddRange(content);
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        using var random = RandomNumberGenerator.Create();
        random.GetBytes(bytes);
        return bytes;
    }

    private static void AddUInt16(List<byte> target, int value)
    {
        target.Add((byte)(value >> 8));
        target.Add((byte)value);
    }

    private static void AddUInt24(List<byte> target, int value)
    {
        target.Add((byte)(value >> 16));
        AddUInt16(target, value & 0xFFFF);
    }

    private static int ReadUInt16(byte[] data, int offset) => (data[offset] << 8) | data[offset + 1];
}
