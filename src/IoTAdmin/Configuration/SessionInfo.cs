using System;
using System.Linq;

namespace IoTAdmin.Commands;

/// <summary>Whether anyone could answer a prompt in this process.</summary>
internal static class SessionInfo
{
    /// <summary>
    /// True when pwsh runs with -NonInteractive (or an abbreviation of it), when there is no console
    /// input (scheduled tasks, systemd, cron, DSC), or when the process is not user-interactive.
    /// </summary>
    public static bool IsNonInteractive()
    {
        var flag = Environment.GetCommandLineArgs().Skip(1).Any(arg =>
        {
            var name = arg.TrimStart('-', '/').ToLowerInvariant();
            return arg.StartsWith("-", StringComparison.Ordinal) && name.Length >= 4
                && "noninteractive".StartsWith(name, StringComparison.Ordinal);
        });
        return flag || !Environment.UserInteractive || InputRedirected();
    }

    private static bool InputRedirected()
    {
        try
        {
            return Console.IsInputRedirected;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
