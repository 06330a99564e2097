using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace IoTAdmin.Engine.Discovery.Ssdp;

/// <summary>Splits a raw HTTP/1.x response into status, headers and (possibly chunked) body.</summary>
internal static class HttpResponseReader
{
    public static byte[] Body(byte[] raw, int maxBodyBytes)
    {
        var headerEnd = IndexOf(raw, new byte[] { 13, 10, 13, 10 });
        if (headerEnd < 0)
        {
            throw new DeviceDescriptionException("The description server sent no complete HTTP header.");
        }

        var head = Encoding.GetEncoding("ISO-8859-1").GetString(raw, 0, headerEnd);
        var lines = head.Split(new[] { "\r\n" }, StringSplitOptions.None);
        CheckStatus(lines[0]);
        var headers = ReadHeaders(lines);

        var body = new byte[raw.Length - headerEnd - 4];
        Buffer.BlockCopy(raw, headerEnd + 4, body, 0, body.Length);
        if (headers.TryGetValue("Transfer-Encoding", out var coding)
            && coding.IndexOf("chunked", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            body = Dechunk(body);
        }

        if (body.Length > maxBodyBytes)
        {
            throw new DeviceDescriptionException(
                $"The description is larger than the limit of {maxBodyBytes} bytes; rejected.");
        }

        return body;
    }

    private static void CheckStatus(string statusLine)
    {
        var parts = statusLine.Split(new[] { ' ' }, 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            throw new DeviceDescriptionException("The description server did not answer with HTTP.");
        }

        if (parts[1] != "200")
        {
            throw new DeviceDescriptionException(
                $"The description server answered '{statusLine}'; redirects are not followed.");
        }
    }

    private static Dictionary<string, string> ReadHeaders(string[] lines)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':');
            if (colon > 0)
            {
                headers[lines[i].Substring(0, colon).Trim()] = lines[i].Substring(colon + 1).Trim();
            }
        }

        return headers;
    }

    private static byte[] Dechunk(byte[] body)
    {
        using var output = new MemoryStream();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = IndexOf(body, new byte[] { 13, 10 }, position);
            if (lineEnd < 0)
            {
                break;
            }

            var sizeText = Encoding.ASCII.GetString(body, position, lineEnd - position).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out var size) || size < 0)
            {
                throw new DeviceDescriptionException($"Bad chunk size '{sizeText}' in the description.");
            }

            position = lineEnd + 2;
            if (size == 0)
            {
                break;
            }

            var take = Math.Min(size, body.Length - position);
            output.Write(body, position, take);
            position += take + 2;
        }

        return output.ToArray();
    }

    private static int IndexOf(byte[] data, byte[] pattern, int start = 0)
    {
        for (var i = start; i <= data.Length - pattern.Length; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++)
            {
                match = data[i + j] == pattern[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
