using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using IoTAdmin.Engine.Baseline.DataFiles;

namespace IoTAdmin.Engine.Baseline;

/// <summary>
/// Finds baselines by name (the built-in SYS.4.4 tiers, shipped in the engine as .psd1 resources)
/// or by file path, and resolves their Extends chains against the rules of this engine.
/// </summary>
public sealed class BaselineLibrary
{
    /// <summary>Longest Extends chain; deeper ones are almost surely a mistake.</summary>
    public const int MaxChainLength = 16;

    private const string ResourcePrefix = "IoTAdmin.Engine.Baselines.";
    private readonly IReadOnlyList<BaselineRuleInfo> _catalog;

    public BaselineLibrary()
        : this(new BaselineAuditor().Rules)
    {
    }

    public BaselineLibrary(IReadOnlyList<BaselineRuleInfo> catalog)
    {
        _catalog = catalog;
    }

    /// <summary>The names of the shipped baselines, lowest tier first.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } =
        new[] { "SYS.4.4-Basic", "SYS.4.4-Standard", "SYS.4.4-High" };

    /// <summary>True when the text names a file rather than a built-in baseline.</summary>
    public static bool LooksLikePath(string nameOrPath) =>
        nameOrPath.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase)
        || nameOrPath.IndexOf('/') >= 0 || nameOrPath.IndexOf('\\') >= 0;

    /// <summary>The text of a built-in baseline file.</summary>
    /// <exception cref="ArgumentException">No baseline has that name.</exception>
    public static string BuiltInText(string name)
    {
        var match = BuiltInNames.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException(
                $"No built-in baseline is named '{name}'; they are {string.Join(", ", BuiltInNames)}.");
        using var stream = typeof(BaselineLibrary).Assembly.GetManifestResourceStream(ResourcePrefix + match + ".psd1")
            ?? throw new InvalidOperationException($"The engine lacks its built-in baseline {match}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Loads a built-in by name or a file by full path, with every baseline it extends.</summary>
    /// <exception cref="DataFileException">A file is unreadable, not data-only, or not a valid baseline.</exception>
    /// <exception cref="ArgumentException">A name matches no built-in baseline.</exception>
    public ResolvedBaseline Load(string nameOrPath)
    {
        var chain = new List<BaselineDefinition>();
        string? next = nameOrPath;
        string? directory = null;
        while (next is not null)
        {
            if (chain.Count >= MaxChainLength)
            {
                throw new DataFileException($"{nameOrPath}: Extends goes deeper than {MaxChainLength} levels.");
            }

            var (definition, folder) = Read(next, directory);
            if (chain.Any(d => string.Equals(d.Name, definition.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new DataFileException($"{definition.Source}: Extends leads back to {definition.Name}.");
            }

            chain.Insert(0, definition);
            next = definition.Extends;
            directory = folder;
        }

        return new ResolvedBaseline(chain, _catalog);
    }

    private static (BaselineDefinition Definition, string? Folder) Read(string nameOrPath, string? relativeTo)
    {
        if (!LooksLikePath(nameOrPath))
        {
            return (BaselineDefinition.Parse(BuiltInText(nameOrPath), nameOrPath), null);
        }

        var path = Path.GetFullPath(relativeTo is null ? nameOrPath : Path.Combine(relativeTo, nameOrPath));
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new DataFileException($"The baseline file '{path}' does not exist.");
        }

        if (info.Length > DataFileReader.MaxLength)
        {
            throw new DataFileException($"{path}: the file is larger than {DataFileReader.MaxLength} bytes.");
        }

        try
        {
            return (BaselineDefinition.Parse(File.ReadAllText(path), path), info.DirectoryName);
        }
        catch (IOException ex)
        {
            throw new DataFileException($"{path}: {ex.Message}", ex);
        }
    }
}
