using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace IoTAdmin.Engine.Inventory.Store;

/// <summary>
/// Makes the native SQLite library (e_sqlite3) that ships in the module's runtimes/&lt;rid&gt;/native
/// folders loadable. PowerShell loads the module from its own folder without a deps.json, so the
/// runtime would only look next to the assemblies and in the host's folders and never find it.
/// </summary>
/// <remarks>
/// On .NET Core 3 and later (PowerShell 7) a DllImport resolver is registered, through reflection
/// because netstandard2.0 does not declare NativeLibrary, for the SQLitePCLRaw provider assembly.
/// On .NET Framework (Windows PowerShell 5.1) the library is loaded by full path with LoadLibrary, so
/// the provider's later DllImport finds the module already in the process. The .NET Framework path is
/// not exercised by the tests, which run on Linux only.
/// </remarks>
internal static class SqliteNativeLibrary
{
    private const string ProviderAssemblyName = "SQLitePCLRaw.provider.e_sqlite3";
    private const string LibraryName = "e_sqlite3";
    private static readonly object s_gate = new object();
    private static bool s_prepared;
    private static IntPtr s_handle;
    private static string? s_loadedFrom;

    /// <summary>Where the native library was loaded from, or null when the runtime found it itself.</summary>
    public static string? LoadedFrom => s_loadedFrom;

    /// <summary>Prepares native loading once per process; later calls return at once.</summary>
    public static void EnsurePrepared()
    {
        lock (s_gate)
        {
            if (s_prepared)
            {
                return;
            }

            var path = FindLibraryFile();
            if (path is not null)
            {
                Prepare(path);
            }

            s_prepared = true;
        }
    }

    private static void Prepare(string path)
    {
        var nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary", throwOnError: false);
        if (nativeLibrary is not null)
        {
            RegisterResolver(nativeLibrary, path);
            return;
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            // .NET Framework: a DLL already loaded under the same base name satisfies DllImport.
            s_handle = LoadLibraryW(path);
            s_loadedFrom = s_handle == IntPtr.Zero ? null : path;
        }
    }

    private static void RegisterResolver(Type nativeLibrary, string path)
    {
        var provider = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(IsProvider)
            ?? Assembly.Load(new AssemblyName(ProviderAssemblyName));
        var resolverType = Type.GetType("System.Runtime.InteropServices.DllImportResolver", throwOnError: true)!;
        var flags = BindingFlags.NonPublic | BindingFlags.Static;
        var method = typeof(SqliteNativeLibrary).GetMethod(nameof(Resolve), flags)!;
        var resolver = Delegate.CreateDelegate(resolverType, method);
        var register = nativeLibrary.GetMethod("SetDllImportResolver", new[] { typeof(Assembly), resolverType })!;
        var load = nativeLibrary.GetMethod("Load", new[] { typeof(string) })!;
        s_handle = (IntPtr)load.Invoke(null, new object[] { path })!;
        s_loadedFrom = path;
        try
        {
            register.Invoke(null, new object[] { provider, resolver });
        }
        catch (TargetInvocationException ex) when (ex.InnerException is InvalidOperationException)
        {
            // Another copy of this engine in the process registered first; its resolver does the same job.
        }
    }

    private static bool IsProvider(Assembly assembly) =>
        string.Equals(assembly.GetName().Name, ProviderAssemblyName, StringComparison.OrdinalIgnoreCase);

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        string.Equals(libraryName, LibraryName, StringComparison.Ordinal) ? s_handle : IntPtr.Zero;

    /// <summary>The library for this OS and processor in the module's runtimes folder, or null.</summary>
    internal static string? FindLibraryFile()
    {
        var baseFolder = Path.GetDirectoryName(typeof(SqliteNativeLibrary).Assembly.Location);
        if (string.IsNullOrEmpty(baseFolder))
        {
            return null;
        }

        var fileName = NativeFileName();
        return RuntimeIdentifiers()
            .Select(rid => Path.Combine(baseFolder!, "runtimes", rid, "native", fileName))
            .FirstOrDefault(File.Exists);
    }

    private static string NativeFileName()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return LibraryName + ".dll";
        }

        var extension = RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? ".dylib" : ".so";
        return "lib" + LibraryName + extension;
    }

    private static string[] RuntimeIdentifiers()
    {
        var architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return new[] { "win-" + architecture };
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            return new[] { "osx-" + architecture };
        }

        // musl systems (Alpine) cannot load the glibc build, so theirs comes first when the loader is musl's.
        var musl = Directory.Exists("/lib") && Directory.GetFiles("/lib", "ld-musl-*").Length > 0;
        return musl
            ? new[] { "linux-musl-" + architecture, "linux-" + architecture }
            : new[] { "linux-" + architecture };
    }

    [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern IntPtr LoadLibraryW(string path);
}
