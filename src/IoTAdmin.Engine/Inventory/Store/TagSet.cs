using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace IoTAdmin.Engine.Inventory.Store;

/// <summary>
/// A device's tags: case-insensitive, sorted, no duplicates. Its text form joins them with ';', which
/// is how Export-Csv writes the column and how <see cref="Parse"/> reads it back.
/// </summary>
public sealed class TagSet : IReadOnlyList<string>
{
    /// <summary>The character that separates tags in text (CSV cells, -Tag 'a;b').</summary>
    public const char Separator = ';';

    private readonly List<string> _tags;

    public TagSet(IEnumerable<string> tags)
    {
        _tags = Normalize(tags);
    }

    public static TagSet Empty { get; } = new TagSet(Array.Empty<string>());

    public int Count => _tags.Count;

    public string this[int index] => _tags[index];

    /// <summary>Splits every value on ';' and trims, dropping empty pieces.</summary>
    public static TagSet Parse(IEnumerable<string?> values) =>
        new TagSet(values.Where(v => v is not null).SelectMany(v => v!.Split(Separator)));

    public bool Contains(string tag) => _tags.Contains(tag.Trim(), StringComparer.OrdinalIgnoreCase);

    public TagSet Union(TagSet other) => new TagSet(_tags.Concat(other));

    public IEnumerator<string> GetEnumerator() => _tags.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(Separator.ToString(), _tags);

    private static List<string> Normalize(IEnumerable<string> tags)
    {
        var cleaned = tags.Select(t => t.Trim()).Where(t => t.Length > 0);
        return cleaned.Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(t => t, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}
