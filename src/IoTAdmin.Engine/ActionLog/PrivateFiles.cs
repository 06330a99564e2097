using System;
using System.IO;
using System.Reflection;

namespace IoTAdmin.Engine.ActionLog;

/// <summary>
/// Owner-only files and folders. On Unix under .NET 7 or later (PowerShell 7) the mode is set to 0700/0600
/// through File.SetUnixFileMode, found by reflection because this assembly targets netstandard2.0.
/// </summary>
/// <remarks>
/// On Windows the files rely on the ACL of the user's profile folder, which only the user, SYSTEM and
/// administrators can read; a key path outside the profile must be protected by the administrator.
/// </remarks>
internal static class PrivateFiles
{
    private const int OwnerReadWrite = 0x180;           // 0600
    private const int OwnerAll = 0x1C0;                 // 0700
    private const int GroupOrOther = 0x3F;              // 0077

    private static readonly MethodInfo? s_set = FindFileMethod("SetUnixFileMode");
    private static readonly MethodInfo? s_get = FindFileMethod("GetUnixFileMode");

    public static void CreateFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
            SetMode(folder, OwnerAll);
        }
    }

    public static void RestrictFile(string path) => SetMode(path, OwnerReadWrite);

    /// <summary>Tells whether group or others may read or write the file (false where this cannot be told).</summary>
    public static bool IsOpenToOthers(string path)
    {
        if (s_get is null || IsWindows)
        {
            return false;
        }

        var mode = Convert.ToInt32(s_get.Invoke(null, new object[] { path }));
        return (mode & GroupOrOther) != 0;
    }

    /// <summary>Copies the Unix mode of one file to another, where modes can be read.</summary>
    public static void CopyMode(string from, string to)
    {
        if (s_get is null || IsWindows || !File.Exists(from))
        {
            return;
        }

        SetMode(to, Convert.ToInt32(s_get.Invoke(null, new object[] { from })));
    }

    private static bool IsWindows => Path.DirectorySeparatorChar == '\\';

    private static void SetMode(string path, int mode)
    {
        if (s_set is null || IsWindows)
        {
            return;
        }

        var modeType = s_set.GetParameters()[1].ParameterType;
        s_set.Invoke(null, new object[] { path, Enum.ToObject(modeType, mode) });
    }

    private static MethodInfo? FindFileMethod(string name)
    {
        foreach (var method in typeof(File).GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            var parameters = method.GetParameters();
            if (method.Name == name && parameters.Length >= 1 && parameters[0].ParameterType == typeof(string))
            {
                return method;
            }
        }

        return null;
    }
}
