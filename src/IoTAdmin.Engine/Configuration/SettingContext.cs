using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Diagnostics;
using IoTAdmin.Engine.Exposure;
using IoTAdmin.Engine.Probes;
using IoTAdmin.Engine.Snmp;

namespace IoTAdmin.Engine.Configuration;

/// <summary>
/// Secrets a Set run may need: new account passwords and SNMPv3 user keys. They are handed to the
/// owning engines only; results and operation texts show them masked.
/// </summary>
public sealed class ConfigurationSecrets
{
    public Dictionary<string, string> NewPasswords { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal);

    public List<SnmpUserKeys> SnmpUsers { get; } = new List<SnmpUserKeys>();
}

/// <summary>
/// An SNMPv3 user the configuration creates on an agent: SHA-256 authentication and AES-128
/// privacy, the strongest pair net-snmp 5.9 and our own USM stack share. The passphrases are
/// written into the agent's configuration and never shown.
/// </summary>
public sealed class SnmpUserKeys
{
    public SnmpUserKeys(string userName, string authPassphrase, string privPassphrase)
    {
        if (authPassphrase.Length < 8 || privPassphrase.Length < 8)
        {
            // RFC 3414 section 11.2: shorter passphrases are refused by agents anyway.
            throw new ArgumentException($"SNMPv3 user {userName}: passphrases need at least 8 characters.");
        }

        UserName = userName;
        AuthPassphrase = authPassphrase;
        PrivPassphrase = privPassphrase;
    }

    public string UserName { get; }

    internal string AuthPassphrase { get; }

    internal string PrivPassphrase { get; }

    /// <summary>The same user for our SNMP client, to read the change back.</summary>
    public SnmpV3Credential ToCredential() => new SnmpV3Credential(
        UserName, SnmpAuthProtocol.Sha256, AuthPassphrase, SnmpPrivProtocol.Aes128, PrivPassphrase);

    public override string ToString() => $"{UserName} (SHA-256, AES-128)";
}

/// <summary>Timeouts and options of one configuration run.</summary>
public sealed class ConfigurationOptions
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Folder against which relative baseline paths are resolved.</summary>
    public string? DocumentDirectory { get; set; }

    /// <summary>Settings to test and set; all settings when empty.</summary>
    public IReadOnlyCollection<string> Settings { get; set; } = Array.Empty<string>();
}

/// <summary>What a setting provider sees while it reads or changes one device.</summary>
public sealed class SettingContext : IDisposable
{
    private IDeviceSession? _session;
    private Exception? _connectFailure;
    private IReadOnlyList<NetworkService>? _openPorts;

    public SettingContext(
        ConfigurationTarget target,
        IDeviceAccess access,
        ConfigurationSecrets secrets,
        ConfigurationOptions options,
        IActivityLog log)
    {
        Target = target;
        Access = access;
        Secrets = secrets;
        Options = options;
        Log = log;
    }

    public ConfigurationTarget Target { get; }

    public DesiredConfiguration Desired => Target.Desired;

    public IDeviceAccess Access { get; }

    public ConfigurationSecrets Secrets { get; }

    public ConfigurationOptions Options { get; }

    public IActivityLog Log { get; }

    /// <summary>Runs a command on the device, connecting on first use.</summary>
    public async Task<DeviceCommandOutput> RunAsync(
        string command, CancellationToken cancellationToken, string? standardInput = null)
    {
        if (_connectFailure is not null)
        {
            // One refused login is enough: every further setting would only repeat it (and count
            // against the device's lockout limit).
            throw new ConfigurationException(_connectFailure.Message, _connectFailure);
        }

        if (_session is null)
        {
            try
            {
                _session = await Access.ConnectAsync(Target, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _connectFailure = ex;
                throw;
            }
        }

        return await _session.RunAsync(command, standardInput, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Why logging in failed, if it did; the cmdlet maps it to its error record.</summary>
    public Exception? ConnectFailure => _connectFailure;

    /// <summary>Runs a command that must succeed; a failure throws with the command's error text.</summary>
    public async Task<string> RunCheckedAsync(
        string command, string what, CancellationToken cancellationToken, string? standardInput = null)
    {
        var output = await RunAsync(command, cancellationToken, standardInput).ConfigureAwait(false);
        if (!output.Succeeded)
        {
            var reason = output.TimedOut ? "timed out" : $"exit status {output.ExitStatus?.ToString() ?? "none"}";
            var error = Shorten(output.Error.Trim());
            throw new ConfigurationException($"{Target}: {what} failed ({reason}){(error.Length > 0 ? ": " + error : "")}.");
        }

        return output.Output;
    }

    /// <summary>Drops the session, so the next command logs in again (after a password or key change).</summary>
    public void Reconnect()
    {
        _connectFailure = null;
        _session?.Dispose();
        _session = null;
    }

    /// <summary>The device's open TCP ports from outside, scanned once per test by issue 5's scanner.</summary>
    public async Task<IReadOnlyList<NetworkService>> OpenPortsAsync(CancellationToken cancellationToken)
    {
        if (_openPorts is not null)
        {
            return _openPorts;
        }

        var ports = IoTPortSets.TopTcp(IoTPortSets.TopTcpSize).Concat(Desired.AllowedPorts ?? Array.Empty<int>())
            .Append(Desired.SshPort).Distinct().OrderBy(p => p).ToList();
        var scanner = new PortScanner(new ScanOptions { IdentifyServices = false }, Log);
        var found = await scanner.ScanAsync(new[] { IPAddress.Parse(Target.Address) }, ports, null, cancellationToken)
            .ConfigureAwait(false);
        if (!found.Any(s => s.State == PortState.Open || s.State == PortState.Closed))
        {
            // Silence on every port is a device that is down or filtered, not one with nothing open.
            throw new ConfigurationException(
                $"{Target.Address} answered on none of {ports.Count} TCP ports (down or filtered).");
        }

        _openPorts = found.Where(s => s.State == PortState.Open).ToList();
        return _openPorts;
    }

    /// <summary>Forgets the scan, so a re-test after a change scans again.</summary>
    public void ForgetScan() => _openPorts = null;

    public void Dispose() => Reconnect();

    private static string Shorten(string text) => text.Length <= 300 ? text : text.Substring(0, 300) + "...";
}

/// <summary>A device or setting problem with a message fit for the admin; never carries a secret.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
