using System;
using System.IO;
using System.Text;
using System.Text.Json;

namespace IoTAdmin.Engine.Vulnerabilities;

/// <summary>
/// Reads the records of one JSON array from a stream without holding the whole file: the array is
/// the value of a top-level property (such as "vulnerabilities") of the root object, or the root
/// itself. Each record is handed over as a parsed element; memory stays bounded by the largest
/// record, and a record larger than the limit is skipped token by token and reported, so one
/// oversized record never stops the rest. A syntax error ends the file (JSON cannot be resynchronised)
/// with a <see cref="VulnerabilityDataException"/> naming the byte offset; records before it are kept.
/// Top-level properties other than the array are reported as text when they are simple values.
/// </summary>
internal sealed class JsonRecordStream
{
    private const int InitialBuffer = 64 * 1024;

    private readonly Stream _stream;
    private readonly string? _arrayProperty;
    private readonly int _maxRecordBytes;
    private byte[] _buffer = new byte[InitialBuffer];
    private int _length;
    private bool _final;
    private long _bufferStart;
    private JsonReaderState _state;
    private Phase _phase = Phase.Root;
    private int _skipDepth;
    private string? _pendingProperty;

    public JsonRecordStream(Stream stream, string? arrayProperty, int maxRecordBytes)
    {
        _stream = stream;
        _arrayProperty = arrayProperty;
        _maxRecordBytes = maxRecordBytes;
    }

    private enum Phase
    {
        Root,
        RootObject,
        PropertyValue,
        InArray,
        SkippingRecord,
        AfterArray,
        Done,
    }

    /// <summary>Whether the array was found; false means the root held no such array.</summary>
    public bool FoundArray { get; private set; }

    /// <summary>Records seen so far, including skipped ones.</summary>
    public int RecordCount { get; private set; }

    /// <summary>Called for each complete record with its index; the element lives until the call returns.</summary>
    public Action<JsonElement, int>? OnRecord { get; set; }

    /// <summary>Called for a record that was skipped, with its index and the reason.</summary>
    public Action<int, string>? OnSkipped { get; set; }

    /// <summary>Called for each simple top-level property other than the array.</summary>
    public Action<string, string>? OnHeader { get; set; }

    /// <summary>Reads to the end of the stream.</summary>
    /// <exception cref="VulnerabilityDataException">The JSON is malformed or truncated.</exception>
    public void Run()
    {
        Fill();
        while (_phase != Phase.Done)
        {
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, 0, _length), _final, _state);
            bool progressed;
            try
            {
                progressed = Step(ref reader);
            }
            catch (JsonException ex)
            {
                var offset = _bufferStart + reader.BytesConsumed;
                throw new VulnerabilityDataException(
                    $"malformed JSON near byte {offset} after {RecordCount} record(s): {ex.Message}", ex);
            }

            Consume((int)reader.BytesConsumed, reader.CurrentState);
            if (_phase == Phase.Done)
            {
                return;
            }

            if (_final && !progressed)
            {
                throw new VulnerabilityDataException(
                    $"the file ends inside the JSON after {RecordCount} record(s) (truncated?)");
            }

            if (!progressed || _length == _buffer.Length)
            {
                Grow();
            }

            if (!progressed && _length == _buffer.Length)
            {
                throw new VulnerabilityDataException(
                    $"a top-level value near byte {_bufferStart} is larger than {_buffer.Length} bytes");
            }

            Fill();
        }
    }

    private bool Step(ref Utf8JsonReader reader)
    {
        var start = reader.BytesConsumed;
        while (_phase != Phase.Done)
        {
            var checkpoint = reader;
            if (!StepOnce(ref reader))
            {
                reader = checkpoint;
                break;
            }
        }

        return reader.BytesConsumed > start || _phase == Phase.Done;
    }

    private bool StepOnce(ref Utf8JsonReader reader)
    {
        switch (_phase)
        {
            case Phase.Root:
                return ReadRoot(ref reader);
            case Phase.RootObject:
            case Phase.AfterArray:
                return ReadRootProperty(ref reader);
            case Phase.PropertyValue:
                return ReadPropertyValue(ref reader);
            case Phase.InArray:
                return ReadRecord(ref reader);
            default:
                return SkipRecordToken(ref reader);
        }
    }

    private bool ReadRoot(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.StartArray && _arrayProperty is null)
        {
            FoundArray = true;
            _phase = Phase.InArray;
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new VulnerabilityDataException($"the file holds a JSON {reader.TokenType}, not an object or array");
        }

        _phase = Phase.RootObject;
        return true;
    }

    private bool ReadRootProperty(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.EndObject)
        {
            _phase = Phase.Done;
            return true;
        }

        _pendingProperty = reader.GetString();
        _phase = Phase.PropertyValue;
        return true;
    }

    private bool ReadPropertyValue(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.StartArray && _pendingProperty == _arrayProperty && !FoundArray)
        {
            FoundArray = true;
            _phase = Phase.InArray;
            return true;
        }

        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            if (!reader.TrySkip())
            {
                return false;
            }
        }
        else
        {
            OnHeader?.Invoke(_pendingProperty ?? string.Empty, ScalarText(ref reader));
        }

        _phase = Phase.RootObject;
        return true;
    }

    private bool ReadRecord(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.EndArray)
        {
            _phase = _arrayProperty is null ? Phase.Done : Phase.AfterArray;
            return true;
        }

        var startIndex = (int)reader.TokenStartIndex;
        var record = reader;
        if ((reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) && !record.TrySkip())
        {
            // Incomplete in this buffer: ask for more, unless the record alone is over the limit.
            if (_length - startIndex < _maxRecordBytes)
            {
                return false;
            }

            OnSkipped?.Invoke(RecordCount++, $"the record is larger than {_maxRecordBytes} bytes");
            _skipDepth = reader.CurrentDepth;
            _phase = Phase.SkippingRecord;
            return true;
        }

        var end = (int)record.BytesConsumed;
        if (end - startIndex > _maxRecordBytes)
        {
            OnSkipped?.Invoke(RecordCount++, $"the record is larger than {_maxRecordBytes} bytes");
        }
        else
        {
            Deliver(startIndex, end);
        }

        reader = record;
        return true;
    }

    private void Deliver(int start, int end)
    {
        var index = RecordCount++;
        using var document = JsonDocument.Parse(new ReadOnlyMemory<byte>(_buffer, start, end - start));
        OnRecord?.Invoke(document.RootElement, index);
    }

    private bool SkipRecordToken(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            return false;
        }

        var closing = reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray;
        if (closing && reader.CurrentDepth == _skipDepth)
        {
            _phase = Phase.InArray;
        }

        return true;
    }

    private static string ScalarText(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String
            ? reader.GetString() ?? string.Empty
            : Encoding.UTF8.GetString(reader.ValueSpan.ToArray());

    private void Consume(int consumed, JsonReaderState state)
    {
        Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _length - consumed);
        _length -= consumed;
        _bufferStart += consumed;
        _state = state;
    }

    private void Grow()
    {
        // Room for the largest allowed record plus a little; beyond that records are skipped.
        var limit = _maxRecordBytes + InitialBuffer;
        if (_length < _buffer.Length || _buffer.Length >= limit)
        {
            return;
        }

        Array.Resize(ref _buffer, Math.Min(limit, _buffer.Length * 2));
    }

    private void Fill()
    {
        while (!_final && _length < _buffer.Length)
        {
            var read = _stream.Read(_buffer, _length, _buffer.Length - _length);
            if (read == 0)
            {
                _final = true;
                break;
            }

            _length += read;
        }
    }
}

/// <summary>A vulnerability, CVE or catalogue file that cannot be read (the message says where and why).</summary>
public sealed class VulnerabilityDataException : Exception
{
    public VulnerabilityDataException(string message)
        : base(message)
    {
    }

    public VulnerabilityDataException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
