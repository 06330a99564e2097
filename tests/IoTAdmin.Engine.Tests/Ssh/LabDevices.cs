using System.Text.Json;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Engine.Tests.Ssh;

/// <summary>Logins and addresses of the lab's SSH devices, read from the lab's own lab.json.</summary>
internal static class LabDevices
{
    private const string LabJson = "/var/lib/iotadmin-lab/lab.json";

    public static JsonElement Device(string name)
    {
        Assert.True(File.Exists(LabJson), $"{LabJson} is missing: bring the lab up (tests/lab/lab.sh up)");
        using var document = JsonDocument.Parse(File.ReadAllText(LabJson));
        foreach (var device in document.RootElement.GetProperty("devices").EnumerateArray())
        {
            if (device.GetProperty("name").GetString() == name)
            {
                return device.Clone();
            }
        }

        throw new InvalidOperationException($"lab.json has no device {name}");
    }

    public static string Address(string name) => Device(name).GetProperty("address").GetString()!;

    public static (string Host, int Port, SshLogin Login) Ssh(string name)
    {
        var device = Device(name);
        var ssh = device.GetProperty("credentials").GetProperty("ssh");
        var user = ssh.GetProperty("user").GetString()!;
        var login = ssh.TryGetProperty("privateKeyPath", out var key)
            ? SshLogin.WithKeyFile(user, key.GetString()!)
            : SshLogin.WithPassword(user, ssh.GetProperty("password").GetString()!);
        return (device.GetProperty("address").GetString()!, ssh.GetProperty("port").GetInt32(), login);
    }

    /// <summary>A policy over a fresh temp store that pins on first contact.</summary>
    public static HostKeyPolicy TrustOnFirstUse() =>
        new HostKeyPolicy(new KnownHostsStore(TempStorePath())) { AcceptNew = true };

    public static string TempStorePath() =>
        Path.Combine(Path.GetTempPath(), "iotadmin-kh-" + Guid.NewGuid().ToString("N")[..8], "known_hosts");

    /// <summary>Fails (instead of hanging) when a call ignores its own deadline.</summary>
    public static async Task<T> Bounded<T>(Task<T> work, int seconds = 60)
    {
        var first = await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(seconds)));
        Assert.True(first == work, $"the call did not return within {seconds} s");
        return await work;
    }
}
