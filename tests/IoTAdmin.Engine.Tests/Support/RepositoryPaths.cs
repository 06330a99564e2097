namespace IoTAdmin.Engine.Tests.Support;

/// <summary>Locates the repository root from the test assembly, for tests that read its files.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IoTAdmin.psd1")) ||
                Directory.Exists(Path.Combine(dir.FullName, "src", "IoTAdmin.Engine")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root was not found above the test assembly.");
    }
}
