using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Baseline.Credentials;
using IoTAdmin.Engine.Configuration;
using IoTAdmin.Engine.Exposure;
using IoTAdmin.Engine.Ssh;

namespace IoTAdmin.Commands;

/// <summary>
/// The module's <see cref="IDeviceAccess"/>: shells are issue 4's DeviceShell with the cmdlet's
/// host-key policy (pinning, -AcceptNewHostKey, -HostKeyFingerprint), logins come from the cmdlet's
/// credential or key file and follow password changes made during the run.
/// </summary>
internal sealed class ModuleDeviceAccess : IDeviceAccess
{
    private readonly ConfigurationSshBase _cmdlet;
    private readonly HostKeyPolicy _policy;
    private readonly TimeSpan _timeout;
    private readonly ConcurrentDictionary<string, SshLogin> _logins =
        new ConcurrentDictionary<string, SshLogin>(StringComparer.Ordinal);

    public ModuleDeviceAccess(ConfigurationSshBase cmdlet, HostKeyPolicy policy, TimeSpan timeout)
    {
        _cmdlet = cmdlet;
        _policy = policy;
        _timeout = timeout;
    }

    public async Task<IDeviceSession> ConnectAsync(ConfigurationTarget target, CancellationToken cancellationToken)
    {
        var shell = await OpenAsync(target, LoginFor(target), cancellationToken).ConfigureAwait(false);
        return new ShellSession(shell, _timeout);
    }

    public string LoginUser(ConfigurationTarget target) => LoginFor(target).UserName;

    public bool LoginUsesDefaultPassword(ConfigurationTarget target, string account)
    {
        var login = LoginFor(target);
        return login.Password is not null && login.UserName == account
            && DefaultCredentialList.BuiltIn.Entries.Any(e => e.UserName == account && e.Password == login.Password);
    }

    public async Task ChangePasswordAsync(
        ConfigurationTarget target, string account, string newPassword, CancellationToken cancellationToken)
    {
        var login = LoginFor(target);
        await InterimDeviceOperations.ChangePasswordAsync(this, target, login, account, newPassword, cancellationToken)
            .ConfigureAwait(false);
        if (login.UserName == account && login.Password is not null)
        {
            _logins[target.Address] = SshLogin.WithPassword(account, newPassword);
        }
    }

    public Task RequireKeyLoginAsync(
        ConfigurationTarget target, IReadOnlyList<string> publicKeys, CancellationToken cancellationToken) =>
        InterimDeviceOperations.RequireKeyLoginAsync(this, target, publicKeys, _cmdlet.KeyLogin(LoginUser(target)),
            cancellationToken);

    /// <summary>
    /// Issue 5's Disable-IoTService engine: its script switches the service off for good, then the
    /// service's usual port is probed from outside until it closes.
    /// </summary>
    public async Task DisableServiceAsync(
        ConfigurationTarget target, string service, CancellationToken cancellationToken)
    {
        using (var shell = await OpenAsync(target, LoginFor(target), cancellationToken).ConfigureAwait(false))
        {
            await ServiceDisabler.RunScriptAsync(shell, service, _timeout, cancellationToken).ConfigureAwait(false);
        }

        if (ServiceDisableScript.StandardPort(service) is int port)
        {
            var state = await ServiceDisabler.WaitClosedAsync(target.Address, port, TimeSpan.FromSeconds(3),
                cancellationToken).ConfigureAwait(false);
            if (state == Engine.Probes.PortState.Open)
            {
                throw new ConfigurationException($"{target}: {service} was switched off but port {port} still accepts "
                    + "connections from outside.");
            }
        }
    }

    public string EngineName(string operation) => operation switch
    {
        "ChangePassword" => "set password over SSH (chpasswd)",
        "RequireKeyLogin" => "authorize keys over SSH, then disable password login",
        "DisableService" => "Disable-IoTService engine",
        _ => operation,
    };

    /// <summary>Logs in with a given login, for proofs (the new password works, the old one fails).</summary>
    internal Task<DeviceShell> OpenAsync(ConfigurationTarget target, SshLogin login, CancellationToken cancellationToken) =>
        DeviceShell.ConnectAsync(target.Address, target.Desired.SshPort, login, _policy, _timeout, cancellationToken);

    internal TimeSpan Timeout => _timeout;

    internal SshLogin LoginFor(ConfigurationTarget target) =>
        _logins.GetOrAdd(target.Address, _ => _cmdlet.BuildLoginFor());

    /// <summary>A DeviceShell behind the engine's session interface.</summary>
    private sealed class ShellSession : IDeviceSession
    {
        private readonly DeviceShell _shell;
        private readonly TimeSpan _timeout;

        public ShellSession(DeviceShell shell, TimeSpan timeout)
        {
            _shell = shell;
            _timeout = timeout;
        }

        public async Task<DeviceCommandOutput> RunAsync(
            string command, string? standardInput, CancellationToken cancellationToken)
        {
            var result = await _shell.RunAsync(command, standardInput, _timeout, cancellationToken).ConfigureAwait(false);
            return new DeviceCommandOutput(result.ExitStatus, result.StandardOutput, result.StandardError, result.TimedOut);
        }

        public void Dispose() => _shell.Dispose();
    }
}
