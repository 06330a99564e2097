using System.Runtime.CompilerServices;

namespace IoTAdmin.Engine.Tests.Support;

/// <summary>Keeps the test run away from the state of the account that runs it.</summary>
internal static class TestEnvironment
{
    /// <summary>
    /// SSH host keys pinned by the tests (on trust of first use, as audits do) go to a known-hosts file of
    /// this run, never into the admin's own IoTAdmin/known_hosts.
    /// </summary>
    [ModuleInitializer]
    internal static void UseRunKnownHosts()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("IOTADMIN_KNOWN_HOSTS")))
        {
            var path = Path.Combine(Path.GetTempPath(), $"iotadmin-xunit-{Environment.ProcessId}.known_hosts");
            Environment.SetEnvironmentVariable("IOTADMIN_KNOWN_HOSTS", path);
        }
    }
}
