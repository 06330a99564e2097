namespace IoTAdmin.Engine.Tests.Support;

/// <summary>
/// Finds the public recordings the parser tests replay: the repository's own copy in tests/data/recordings
/// (a copy of the team's shared/data, with its SOURCES.md), so a fresh clone tests without anything beside it.
/// IOTADMIN_SHARED_DATA points the tests at another copy, such as a newer shared/data.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string PathOf(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

    public static byte[] ReadBytes(params string[] parts) => File.ReadAllBytes(PathOf(parts));

    public static string ReadText(params string[] parts) => File.ReadAllText(PathOf(parts));

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("IOTADMIN_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnvironment) && Directory.Exists(fromEnvironment))
        {
            return fromEnvironment;
        }

        var inRepository = Path.Combine(RepositoryPaths.Root, "tests", "data", "recordings");
        return Directory.Exists(inRepository)
            ? inRepository
            : throw new DirectoryNotFoundException($"The recordings folder {inRepository} is missing.");
    }
}
