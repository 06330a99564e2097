using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTAdmin.Engine.Exposure;

/// <summary>One judged property of a TLS service: a protocol version or a certificate property.</summary>
public sealed class TlsFinding
{
    public TlsFinding(AuditGrade grade, string text)
    {
        Grade = grade;
        Text = text;
    }

    public AuditGrade Grade { get; }

    public string Text { get; }

    public override string ToString() => $"[{Grade}] {Text}";
}

/// <summary>What the TLS audit of one port found: the versions offered and the certificate.</summary>
public sealed class TlsAuditResult
{
    public TlsAuditResult(string address, int port)
    {
        Address = address;
        Port = port;
    }

    public string Address { get; }

    public int Port { get; }

    /// <summary>
    /// Each version probed and whether the server accepted it; null when the probe got no clear answer.
    /// </summary>
    public Dictionary<TlsProtocol, bool?> Protocols { get; } = new Dictionary<TlsProtocol, bool?>();

    public IEnumerable<TlsProtocol> Offered =>
        Protocols.Where(p => p.Value == true).Select(p => p.Key).OrderBy(p => p);

    public string? Subject { get; set; }

    public string? Issuer { get; set; }

    public DateTime? NotBefore { get; set; }

    public DateTime? NotAfter { get; set; }

    /// <summary>RSA, ECDSA, DSA or the key's OID.</summary>
    public string? KeyAlgorithm { get; set; }

    public int? KeySize { get; set; }

    /// <summary>The certificate's signature algorithm, e.g. sha256ECDSA.</summary>
    public string? SignatureAlgorithm { get; set; }

    public bool SelfSigned { get; set; }

    /// <summary>
    /// Whether the address or host name audited is among the certificate's names; null when unknown.
    /// </summary>
    public bool? NameMatches { get; set; }

    /// <summary>DNS names and IP addresses of the subjectAltName extension (or the CN when there is none).</summary>
    public List<string> Names { get; } = new List<string>();

    public List<TlsFinding> Findings { get; } = new List<TlsFinding>();

    /// <summary>Why the certificate could not be read; null when it was.</summary>
    public string? CertificateError { get; set; }

    public bool SpeaksTls => Protocols.Values.Any(v => v == true) || Subject is not null;

    public AuditGrade Worst => Findings.Count == 0 ? AuditGrade.Ok : Findings.Max(f => f.Grade);
}
