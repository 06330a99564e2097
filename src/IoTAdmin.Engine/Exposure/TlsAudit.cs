using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Exposure;

/// <summary>
/// Audits a TLS port as testssl.sh and sslscan do: one raw ClientHello per protocol version (SSL 3.0
/// to TLS 1.3), then the certificate over a normal handshake, judged for validity dates, self
/// signature, name, key size and signature algorithm. Every connection has its own deadline and
/// reads at most one record, so garbage or a silent peer costs one timeout per probe.
/// </summary>
public static class TlsAudit
{
    private static readonly TimeSpan s_expiringSoon = TimeSpan.FromDays(30);

    /// <param name="address">The address to connect to.</param>
    /// <param name="port">The TLS port.</param>
    /// <param name="expectedName">
    /// The name clients use (host name or the address); checked against the certificate.
    /// </param>
    /// <param name="timeout">Time allowed per connection.</param>
    /// <param name="cancellationToken">Ends the audit.</param>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<TlsAuditResult> AuditAsync(
        string address,
        int port,
        string expectedName,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var result = await AuditProtocolsAsync(address, port, expectedName, timeout, cancellationToken)
            .ConfigureAwait(false);
        await AuditCertificateAsync(result, expectedName, timeout, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Only the protocol versions: one raw hello per version.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<TlsAuditResult> AuditProtocolsAsync(
        string address,
        int port,
        string expectedName,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var result = new TlsAuditResult(address, port);
        foreach (TlsProtocol protocol in Enum.GetValues(typeof(TlsProtocol)))
        {
            result.Protocols[protocol] = await ProbeProtocolAsync(address, port, protocol, expectedName, timeout,
                cancellationToken).ConfigureAwait(false);
        }

        JudgeProtocols(result);
        return result;
    }

    /// <summary>
    /// Only the certificate, read over a normal handshake and judged into <paramref name="result"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task AuditCertificateAsync(
        TlsAuditResult result,
        string expectedName,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var certificate = await FetchCertificateAsync(result.Address, result.Port, expectedName, timeout, result,
            cancellationToken).ConfigureAwait(false);
        if (certificate is not null)
        {
            using (certificate)
            {
                DescribeCertificate(certificate, expectedName, result);
            }
        }
    }

    /// <summary>True when the server answered a hello offering only this version with that version.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<bool?> ProbeProtocolAsync(
        string address,
        int port,
        TlsProtocol protocol,
        string? serverName,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = new ProbeDeadline(timeout, cancellationToken);
        try
        {
            using var connection = await NetConnection.OpenAsync(address, port, deadline.Token).ConfigureAwait(false);
            await connection.WriteAsync(TlsHello.BuildClientHello(protocol, serverName), deadline.Token)
                .ConfigureAwait(false);
            var answer = await BannerReader.ReadAsync(connection, timeout, TlsHello.HasFirstRecord, deadline.Token)
                .ConfigureAwait(false);
            var parsed = TlsHello.ParseAnswer(answer, answer.Length);
            return parsed.Kind switch
            {
                TlsAnswerKind.ServerHello => parsed.Protocol == protocol,
                TlsAnswerKind.Alert => false,

                // A server that hangs up on a hello it does not like refuses the version.
                TlsAnswerKind.NotTls when answer.Length == 0 && !deadline.HasExpired => false,
                _ => null,
            };
        }
        catch (OperationCanceledException)
        {
            deadline.ThrowIfCallerCancelled();
            return null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static void JudgeProtocols(TlsAuditResult result)
    {
        foreach (var protocol in result.Offered)
        {
            var grade = protocol >= TlsProtocol.Tls12 ? AuditGrade.Ok : AuditGrade.Fail;
            if (grade == AuditGrade.Fail)
            {
                result.Findings.Add(new TlsFinding(grade, $"{TlsHello.Label(protocol)} offered"));
            }
        }

        if (!result.Protocols.ContainsKey(TlsProtocol.Tls12) || result.Protocols[TlsProtocol.Tls12] != true)
        {
            if (result.Protocols.TryGetValue(TlsProtocol.Tls13, out var tls13) && tls13 != true)
            {
                result.Findings.Add(new TlsFinding(AuditGrade.Warn, "neither TLSv1.2 nor TLSv1.3 accepted"));
            }
        }
    }

    private static async Task<X509Certificate2?> FetchCertificateAsync(
        string address,
        int port,
        string expectedName,
        TimeSpan timeout,
        TlsAuditResult result,
        CancellationToken cancellationToken)
    {
        using var deadline = new ProbeDeadline(timeout, cancellationToken);
        using var client = new TcpClient { NoDelay = true };
        using var registration = deadline.Token.Register(client.Dispose);
        X509Certificate2? presented = null;
        try
        {
            await client.ConnectAsync(address, port).ConfigureAwait(false);
            using var ssl = new SslStream(client.GetStream(), false, (sender, certificate, chain, errors) =>
            {
                presented = certificate is null ? null : new X509Certificate2(certificate);
                return true;
            });
            var sni = IPAddress.TryParse(expectedName, out _) ? address : expectedName;
            await ssl.AuthenticateAsClientAsync(sni).ConfigureAwait(false);
            return presented;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            presented?.Dispose();
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception ex) when (!(ex is OutOfMemoryException))
        {
            result.CertificateError = deadline.HasExpired
                ? $"no TLS handshake within {timeout.TotalSeconds:0.#} s"
                : $"TLS handshake failed: {ex.InnerException?.Message ?? ex.Message}";
            return presented;
        }
    }

    private static void DescribeCertificate(X509Certificate2 certificate, string expectedName, TlsAuditResult result)
    {
        result.Subject = certificate.Subject;
        result.Issuer = certificate.Issuer;
        result.NotBefore = certificate.NotBefore.ToUniversalTime();
        result.NotAfter = certificate.NotAfter.ToUniversalTime();
        var signature = certificate.SignatureAlgorithm;
        result.SignatureAlgorithm = signature.FriendlyName ?? signature.Value;
        result.SelfSigned = string.Equals(certificate.Subject, certificate.Issuer, StringComparison.Ordinal);
        DescribeKey(certificate, result);
        result.Names.AddRange(CertificateNames.Read(certificate));
        result.NameMatches = result.Names.Count == 0 ? null : CertificateNames.Matches(result.Names, expectedName);
        JudgeCertificate(result, expectedName);
    }

    private static void DescribeKey(X509Certificate2 certificate, TlsAuditResult result)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            result.KeyAlgorithm = "RSA";
            result.KeySize = rsa.KeySize;
            return;
        }

        using var ecdsa = certificate.GetECDsaPublicKey();
        if (ecdsa is not null)
        {
            result.KeyAlgorithm = "ECDSA";
            result.KeySize = ecdsa.KeySize;
            return;
        }

        result.KeyAlgorithm = certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value;
    }

    private static void JudgeCertificate(TlsAuditResult result, string expectedName)
    {
        var now = DateTime.UtcNow;
        var stamp = result.NotAfter!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (result.NotAfter < now)
        {
            result.Findings.Add(new TlsFinding(AuditGrade.Fail, $"certificate expired on {stamp}"));
        }
        else if (result.NotAfter - now < s_expiringSoon)
        {
            result.Findings.Add(new TlsFinding(AuditGrade.Warn, $"certificate expires on {stamp}"));
        }

        if (result.NotBefore > now)
        {
            result.Findings.Add(new TlsFinding(AuditGrade.Fail, "certificate not yet valid"));
        }

        if (result.NameMatches == false)
        {
            var names = string.Join(", ", result.Names.Take(8));
            result.Findings.Add(new TlsFinding(AuditGrade.Fail, $"certificate names {names}, not {expectedName}"));
        }

        JudgeKeyAndSignature(result);
        if (result.SelfSigned)
        {
            result.Findings.Add(new TlsFinding(AuditGrade.Warn, "self-signed certificate (pin it or have it issued)"));
        }
    }

    private static void JudgeKeyAndSignature(TlsAuditResult result)
    {
        var weakKey = (result.KeyAlgorithm == "RSA" && result.KeySize < 2048)
            || (result.KeyAlgorithm == "ECDSA" && result.KeySize < 256) || result.KeyAlgorithm == "DSA";
        if (weakKey)
        {
            var text = $"{result.KeyAlgorithm} key of {result.KeySize} bits";
            result.Findings.Add(new TlsFinding(AuditGrade.Fail, text));
        }

        var signature = result.SignatureAlgorithm ?? string.Empty;
        if (signature.IndexOf("md5", StringComparison.OrdinalIgnoreCase) >= 0
            || signature.IndexOf("sha1", StringComparison.OrdinalIgnoreCase) >= 0
            || signature.IndexOf("md2", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            result.Findings.Add(new TlsFinding(AuditGrade.Fail, $"certificate signed with {signature}"));
        }
    }
}
