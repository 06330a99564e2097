namespace IoTAdmin.Engine.Tests.Support;

/// <summary>
/// Finds the read-only folder of public recordings (shared/data) that sits beside the repository,
/// both in a developer's checkout and in CI's fresh clone.
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

        for (var dir = new DirectoryInfo(RepositoryPaths.Root); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            "shared/data was not found beside the repository; set IOTADMIN_SHARED_DATA to its path.");
    }
}
