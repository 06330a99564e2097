using System;
using System.IO;
using System.Text;

namespace IoTAdmin.Engine.Traffic;

/// <summary>
/// Reads lines of at most <see cref="MaxLineLength"/> bytes from a stream with one fixed buffer, so a file
/// with no newlines, or a line of gigabytes, costs no more memory than a normal one. Longer lines are
/// reported (<see cref="LastLineWasCut"/>) and their excess skipped. Invalid UTF-8 becomes U+FFFD.
/// </summary>
public sealed class BoundedLineReader
{
    public const int MaxLineLength = 64 * 1024;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[MaxLineLength * 2];
    private readonly Encoding _utf8 = new UTF8Encoding(false, false);
    private int _start;
    private int _end;
    private bool _endOfStream;

    public BoundedLineReader(Stream stream) => _stream = stream;

    /// <summary>Gets the 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Gets whether the line last returned was longer than the limit and was cut.</summary>
    public bool LastLineWasCut { get; private set; }

    public string? ReadLine()
    {
        LastLineWasCut = false;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                return Take(newline, newline + 1);
            }

            if (_end - _start >= MaxLineLength)
            {
                var line = Take(_start + MaxLineLength, _start + MaxLineLength);
                LastLineWasCut = true;
                SkipRestOfLine();
                return line;
            }

            if (_endOfStream)
            {
                return _end > _start ? Take(_end, _end) : null;
            }

            Fill();
        }
    }

    private string Take(int lineEnd, int next)
    {
        var length = lineEnd - _start;
        if (length > 0 && _buffer[lineEnd - 1] == (byte)'\r')
        {
            length--;
        }

        var line = _utf8.GetString(_buffer, _start, length);
        _start = next;
        LineNumber++;
        return line;
    }

    private void SkipRestOfLine()
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                _start = newline + 1;
                return;
            }

            _start = _end = 0;
            if (_endOfStream)
            {
                return;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _endOfStream = true;
        }

        _end += read;
    }
}
