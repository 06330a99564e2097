using System.Text.Json;
using System.Text.RegularExpressions;

namespace IoTAdmin.Engine.Tests.Reporting;

/// <summary>
/// Checks a JSON document against the subset of JSON Schema 2020-12 that docs/report-schema.json
/// uses: $ref into $defs, type, const, enum, required, properties, additionalProperties, items,
/// minimum, maximum and pattern. Keywords outside that subset make the check fail loudly.
/// </summary>
internal sealed class MiniSchemaValidator
{
    private static readonly HashSet<string> s_known = new(StringComparer.Ordinal)
    {
        "$schema", "$id", "$defs", "$ref", "title", "description", "format", "type", "const", "enum",
        "required", "properties", "additionalProperties", "items", "minimum", "maximum", "pattern",
    };

    private readonly JsonElement _root;
    private readonly List<string> _problems = new();

    public MiniSchemaValidator(JsonElement root)
    {
        _root = root;
    }

    public IReadOnlyList<string> Validate(JsonElement instance)
    {
        _problems.Clear();
        Check(_root, instance, "$");
        return _problems;
    }

    private void Check(JsonElement schema, JsonElement value, string path)
    {
        foreach (var keyword in schema.EnumerateObject())
        {
            if (!s_known.Contains(keyword.Name))
            {
                _problems.Add($"{path}: the checker does not know keyword '{keyword.Name}'");
            }
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            Check(Resolve(reference.GetString()!), value, path);
        }

        CheckType(schema, value, path);
        CheckValues(schema, value, path);
        CheckObject(schema, value, path);
        CheckArray(schema, value, path);
    }

    private JsonElement Resolve(string reference)
    {
        const string prefix = "#/$defs/";
        Assert.StartsWith(prefix, reference);
        return _root.GetProperty("$defs").GetProperty(reference.Substring(prefix.Length));
    }

    private void CheckType(JsonElement schema, JsonElement value, string path)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return;
        }

        var allowed = type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()!).ToList()
            : new List<string> { type.GetString()! };
        if (!allowed.Any(t => HasType(value, t)))
        {
            _problems.Add($"{path}: expected {string.Join("|", allowed)}, found {value.ValueKind}");
        }
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new NotSupportedException(type),
    };

    private void CheckValues(JsonElement schema, JsonElement value, string path)
    {
        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, value))
        {
            _problems.Add($"{path}: expected {constant.GetRawText()}, found {value.GetRawText()}");
        }

        if (schema.TryGetProperty("enum", out var choices)
            && !choices.EnumerateArray().Any(choice => JsonElement.DeepEquals(choice, value)))
        {
            _problems.Add($"{path}: {value.GetRawText()} is not one of {choices.GetRawText()}");
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            CheckRange(schema, value.GetDouble(), path);
        }

        if (value.ValueKind == JsonValueKind.String && schema.TryGetProperty("pattern", out var pattern)
            && !Regex.IsMatch(value.GetString()!, pattern.GetString()!))
        {
            _problems.Add($"{path}: '{value.GetString()}' does not match {pattern.GetString()}");
        }
    }

    private void CheckRange(JsonElement schema, double number, string path)
    {
        if (schema.TryGetProperty("minimum", out var minimum) && number < minimum.GetDouble())
        {
            _problems.Add($"{path}: {number} is below {minimum.GetDouble()}");
        }

        if (schema.TryGetProperty("maximum", out var maximum) && number > maximum.GetDouble())
        {
            _problems.Add($"{path}: {number} is above {maximum.GetDouble()}");
        }
    }

    private void CheckObject(JsonElement schema, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(n => n.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    _problems.Add($"{path}: required property '{name}' is missing");
                }
            }
        }

        foreach (var property in value.EnumerateObject())
        {
            CheckProperty(schema, property, $"{path}.{property.Name}");
        }
    }

    private void CheckProperty(JsonElement schema, JsonProperty property, string path)
    {
        if (schema.TryGetProperty("properties", out var declared)
            && declared.TryGetProperty(property.Name, out var propertySchema))
        {
            Check(propertySchema, property.Value, path);
            return;
        }

        if (!schema.TryGetProperty("additionalProperties", out var additional))
        {
            return;
        }

        if (additional.ValueKind == JsonValueKind.False)
        {
            _problems.Add($"{path}: property is not in the schema");
        }
        else if (additional.ValueKind == JsonValueKind.Object)
        {
            Check(additional, property.Value, path);
        }
    }

    private void CheckArray(JsonElement schema, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array || !schema.TryGetProperty("items", out var items))
        {
            return;
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            Check(items, item, $"{path}[{index++}]");
        }
    }
}
