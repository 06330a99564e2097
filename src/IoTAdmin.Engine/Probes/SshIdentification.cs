using System;
using System.Text;

namespace IoTAdmin.Engine.Probes;

/// <summary>
/// The SSH identification line of a server (RFC 4253 section 4.2), e.g.
/// <c>SSH-2.0-dropbear_2022.83</c>. Tolerates an empty software version (BR-03) and LF-only line
/// ends followed directly by binary packet data (BR-04).
/// </summary>
public sealed class SshIdentification
{
    private const int MaxLineLength = 255;

    private SshIdentification(string line, string protocolVersion, string softwareVersion, string? comments)
    {
        Line = line;
        ProtocolVersion = protocolVersion;
        SoftwareVersion = softwareVersion;
        Comments = comments;
    }

    /// <summary>The whole identification line without its line end.</summary>
    public string Line { get; }

    /// <summary>"2.0", or "1.99" for servers that also speak SSH-1.</summary>
    public string ProtocolVersion { get; }

    /// <summary>The software version, possibly empty (BR-03).</summary>
    public string SoftwareVersion { get; }

    public string? Comments { get; }

    /// <summary>
    /// Finds the identification line in the first bytes a server sent. Lines before it (a
    /// pre-identification banner) are skipped; bytes after its LF are not inspected.
    /// </summary>
    /// <param name="data">Received bytes.</param>
    /// <param name="count">How many bytes of <paramref name="data"/> are valid.</param>
    /// <param name="identification">The parsed line, when found.</param>
    /// <param name="consumed">Bytes up to and including the identification's LF.</param>
    /// <returns>False when no complete identification line is present yet, or it is malformed.</returns>
    public static bool TryParse(byte[] data, int count, out SshIdentification? identification, out int consumed)
    {
        identification = null;
        consumed = 0;
        var lineStart = 0;
        while (lineStart < count)
        {
            var lineEnd = Array.IndexOf(data, (byte)'\n', lineStart, count - lineStart);
            if (lineEnd < 0)
            {
                return false;
            }

            if (StartsWithSsh(data, lineStart, lineEnd))
            {
                consumed = lineEnd + 1;
                return TryParseLine(data, lineStart, lineEnd, out identification);
            }

            lineStart = lineEnd + 1;
        }

        return false;
    }

    public override string ToString() => Line;

    private static bool StartsWithSsh(byte[] data, int start, int end) =>
        end - start >= 4 && data[start] == 'S' && data[start + 1] == 'S' && data[start + 2] == 'H'
        && data[start + 3] == '-';

    private static bool TryParseLine(byte[] data, int start, int lineFeed, out SshIdentification? identification)
    {
        identification = null;
        var end = lineFeed > start && data[lineFeed - 1] == '\r' ? lineFeed - 1 : lineFeed;

        // NULs are forbidden only inside the identification line itself (BR-04).
        if (end - start > MaxLineLength || Array.IndexOf(data, (byte)0, start, end - start) >= 0)
        {
            return false;
        }

        var line = Encoding.ASCII.GetString(data, start, end - start);
        var versionEnd = line.IndexOf('-', 4);
        if (versionEnd < 0)
        {
            return false;
        }

        var protocol = line.Substring(4, versionEnd - 4);
        var rest = line.Substring(versionEnd + 1);
        var space = rest.IndexOf(' ');
        var software = space < 0 ? rest : rest.Substring(0, space);
        var comments = space < 0 ? null : rest.Substring(space + 1);
        identification = new SshIdentification(line, protocol, software, comments);
        return true;
    }
}
