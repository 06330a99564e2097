using System.Reflection;

namespace IoTAdmin.Engine.Tests.Support;

/// <summary>Locates the repository root, recorded in the test assembly when it was built.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    private static string FindRoot()
    {
        var recorded = typeof(RepositoryPaths).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (recorded is not null && Directory.Exists(Path.Combine(recorded, "src", "IoTAdmin.Engine")))
        {
            return recorded;
        }

        throw new DirectoryNotFoundException("The repository root recorded at build time does not exist.");
    }
}
