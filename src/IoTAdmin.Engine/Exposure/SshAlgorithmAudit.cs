using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Exposure;

/// <summary>How an algorithm or a server version is judged.</summary>
public enum AuditGrade
{
    Ok,
    Warn,
    Fail,
}

/// <summary>The kind of SSH algorithm, named as ssh-audit names its sections.</summary>
public enum SshAlgorithmKind
{
    Kex,
    HostKey,
    Cipher,
    Mac,
}

/// <summary>One offered algorithm and its grade with the reasons for it.</summary>
public sealed class SshAlgorithmGrade
{
    public SshAlgorithmGrade(SshAlgorithmKind kind, string name, AuditGrade grade, string reason)
    {
        Kind = kind;
        Name = name;
        Grade = grade;
        Reason = reason;
    }

    public SshAlgorithmKind Kind { get; }

    public string Name { get; }

    public AuditGrade Grade { get; }

    public string Reason { get; }

    public override string ToString() => $"({Kind.ToString().ToLowerInvariant()}) {Name} [{Grade}] {Reason}";
}

/// <summary>
/// Grades what an SSH server offers before any login (identification and KEXINIT) with the
/// verdicts ssh-audit gives: SHA-1 and 1024-bit key exchange, NIST curves, CBC and RC4 ciphers,
/// MD5 and SHA-1 MACs and encrypt-and-MAC, ssh-rsa and DSA host keys, and server versions with
/// known remote vulnerabilities. Key sizes are not known from KEXINIT alone, so RSA moduli below
/// 2048 bits are not judged here.
/// </summary>
public sealed class SshAlgorithmAudit
{
    // Pseudo-algorithms that announce extensions, not ciphers: never graded (ssh-audit 2.5 calls
    // kex-strict "unknown"; its later releases know it as the Terrapin counter-measure).
    private static readonly string[] s_markers = { "ext-info-", "kex-strict-", "kexguess2@" };

    private SshAlgorithmAudit(SshIdentification? identification, IReadOnlyList<SshAlgorithmGrade> algorithms,
        IReadOnlyList<string> versionFindings)
    {
        Identification = identification;
        Algorithms = algorithms;
        VersionFindings = versionFindings;
    }

    public SshIdentification? Identification { get; }

    public IReadOnlyList<SshAlgorithmGrade> Algorithms { get; }

    /// <summary>Why the server software itself is outdated; empty when it is not.</summary>
    public IReadOnlyList<string> VersionFindings { get; }

    /// <summary>True when chacha20-poly1305 or CBC with an EtM MAC is offered without strict key exchange.</summary>
    public bool TerrapinExposed { get; private set; }

    public AuditGrade Overall =>
        VersionFindings.Count > 0 || Algorithms.Any(a => a.Grade == AuditGrade.Fail) ? AuditGrade.Fail
        : Algorithms.Any(a => a.Grade == AuditGrade.Warn) || TerrapinExposed ? AuditGrade.Warn
        : AuditGrade.Ok;

    public IEnumerable<SshAlgorithmGrade> Failed => Algorithms.Where(a => a.Grade == AuditGrade.Fail);

    public IEnumerable<SshAlgorithmGrade> Warned => Algorithms.Where(a => a.Grade == AuditGrade.Warn);

    public static SshAlgorithmAudit Grade(SshIdentification? identification, SshKexInit kexInit)
    {
        var grades = new List<SshAlgorithmGrade>();
        grades.AddRange(GradeAll(SshAlgorithmKind.Kex, kexInit.KeyExchangeAlgorithms, GradeKex));
        grades.AddRange(GradeAll(SshAlgorithmKind.HostKey, kexInit.HostKeyAlgorithms, GradeHostKey));
        grades.AddRange(GradeAll(SshAlgorithmKind.Cipher, kexInit.Ciphers, GradeCipher));
        grades.AddRange(GradeAll(SshAlgorithmKind.Mac, kexInit.Macs, GradeMac));
        var audit = new SshAlgorithmAudit(identification, grades, GradeVersion(identification));
        audit.TerrapinExposed = IsTerrapinExposed(kexInit);
        return audit;
    }

    private static IEnumerable<SshAlgorithmGrade> GradeAll(
        SshAlgorithmKind kind,
        IReadOnlyList<string> names,
        Func<string, (AuditGrade, string)> grade) =>
        names.Where(n => !s_markers.Any(m => n.StartsWith(m, StringComparison.Ordinal)))
            .Select(n =>
            {
                var (verdict, reason) = grade(n);
                return new SshAlgorithmGrade(kind, n, verdict, reason);
            });

    private static (AuditGrade, string) GradeKex(string name)
    {
        if (name.StartsWith("ecdh-sha2-nistp", StringComparison.Ordinal))
        {
            return (AuditGrade.Fail, "NIST elliptic curve of doubtful origin");
        }

        if (name == "diffie-hellman-group1-sha1" || name.StartsWith("rsa1024", StringComparison.Ordinal))
        {
            return (AuditGrade.Fail, "1024-bit group and SHA-1");
        }

        if (name == "diffie-hellman-group-exchange-sha1")
        {
            return (AuditGrade.Fail, "SHA-1 with server-chosen groups that may be small");
        }

        if (name.EndsWith("-sha1", StringComparison.Ordinal) || name.StartsWith("gss-", StringComparison.Ordinal))
        {
            return (AuditGrade.Warn, "SHA-1 hash");
        }

        return name.StartsWith("sntrup761", StringComparison.Ordinal)
            ? (AuditGrade.Warn, "experimental post-quantum hybrid")
            : (AuditGrade.Ok, string.Empty);
    }

    private static (AuditGrade, string) GradeHostKey(string name)
    {
        var plain = name.Replace("-cert-v01@openssh.com", string.Empty);
        if (plain == "ssh-rsa")
        {
            return (AuditGrade.Fail, "RSA signatures with SHA-1");
        }

        if (plain == "ssh-dss")
        {
            return (AuditGrade.Fail, "DSA, 1024-bit and SHA-1");
        }

        return plain.StartsWith("ecdsa-sha2-nistp", StringComparison.Ordinal)
            ? (AuditGrade.Fail, "NIST elliptic curve of doubtful origin")
            : (AuditGrade.Ok, string.Empty);
    }

    private static (AuditGrade, string) GradeCipher(string name)
    {
        if (name.IndexOf("-cbc", StringComparison.Ordinal) >= 0
            || name.StartsWith("rijndael", StringComparison.Ordinal))
        {
            return (AuditGrade.Fail, "CBC mode");
        }

        if (name.StartsWith("arcfour", StringComparison.Ordinal) || name == "none"
            || name.StartsWith("des", StringComparison.Ordinal))
        {
            return (AuditGrade.Fail, "broken or no cipher");
        }

        return (AuditGrade.Ok, string.Empty);
    }

    private static (AuditGrade, string) GradeMac(string name)
    {
        var etm = name.EndsWith("-etm@openssh.com", StringComparison.Ordinal);
        if (name == "none" || name.StartsWith("hmac-md5", StringComparison.Ordinal)
            || name.StartsWith("hmac-ripemd", StringComparison.Ordinal) || name == "hmac-sha1-96")
        {
            return (AuditGrade.Fail, "broken or truncated MAC");
        }

        if (name.StartsWith("hmac-sha1", StringComparison.Ordinal))
        {
            return (AuditGrade.Warn, etm ? "SHA-1 hash" : "SHA-1 hash, encrypt-and-MAC");
        }

        if (name.StartsWith("umac-64", StringComparison.Ordinal))
        {
            return (AuditGrade.Warn, etm ? "64-bit tag" : "64-bit tag, encrypt-and-MAC");
        }

        return etm ? (AuditGrade.Ok, string.Empty) : (AuditGrade.Warn, "encrypt-and-MAC");
    }

    // Releases with remotely reachable vulnerabilities scanners report (dropbear before 2020.79:
    // CVE-2018-15599, CVE-2020-36254 and older; OpenSSH before 7.4: CVE-2016-10009 and older).
    private static IReadOnlyList<string> GradeVersion(SshIdentification? identification)
    {
        var findings = new List<string>();
        var software = identification?.SoftwareVersion ?? string.Empty;
        if (identification is not null && identification.ProtocolVersion == "1.99")
        {
            findings.Add("the server also speaks SSH-1 (identification 1.99)");
        }

        if (TryVersion(software, "dropbear_", out var dropbear) && dropbear < 2020.79m)
        {
            findings.Add($"{software} is older than dropbear 2020.79 and has known remote vulnerabilities");
        }

        if (TryVersion(software, "OpenSSH_", out var openssh) && openssh < 7.4m)
        {
            findings.Add($"{software} is older than OpenSSH 7.4 and has known remote vulnerabilities");
        }

        return findings;
    }

    private static bool TryVersion(string software, string prefix, out decimal version)
    {
        version = 0;
        if (!software.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var digits = new string(
            software.Substring(prefix.Length).TakeWhile(c => char.IsDigit(c) || c == '.').ToArray());
        var parts = digits.Split('.');
        var text = parts.Length > 1 ? $"{parts[0]}.{parts[1].PadLeft(2, '0')}" : parts[0];
        if (prefix.StartsWith("OpenSSH", StringComparison.Ordinal) && parts.Length > 1)
        {
            text = $"{parts[0]}.{parts[1]}";
        }

        return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out version);
    }

    private static bool IsTerrapinExposed(SshKexInit kexInit)
    {
        var strict = kexInit.KeyExchangeAlgorithms.Any(k => k.StartsWith("kex-strict-s", StringComparison.Ordinal));
        var chacha = kexInit.Ciphers.Any(c => c.StartsWith("chacha20-poly1305", StringComparison.Ordinal));
        var cbcEtm = kexInit.Ciphers.Any(c => c.IndexOf("-cbc", StringComparison.Ordinal) >= 0)
            && kexInit.Macs.Any(m => m.EndsWith("-etm@openssh.com", StringComparison.Ordinal));
        return !strict && (chacha || cbcEtm);
    }
}
