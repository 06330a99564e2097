using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Baseline.Credentials;
using IoTAdmin.Engine.Configuration;
using IoTAdmin.Engine.Credentials;
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

    /// <summary>
    /// Set-IoTPassword's engine: the change proves the new password logs in and the old one is refused, and
    /// rolls back when the new one does not work; anything short of that is an error for this setting.
    /// </summary>
    public async Task ChangePasswordAsync(
        ConfigurationTarget target, string account, string newPassword, CancellationToken cancellationToken)
    {
        var login = LoginFor(target);
        var oldPassword = login.UserName == account ? login.Password : null;
        PasswordChangeResult result;
        using (var shell = await OpenAsync(target, login, cancellationToken).ConfigureAwait(false))
        {
            result = await new PasswordChanger(_cmdlet.Log).ChangeAsync(shell, account, oldPassword, newPassword,
                (next, token) => OpenAsync(target, next, token), cancellationToken).ConfigureAwait(false);
        }

        if (result.Changed && oldPassword is not null && result.NewPasswordWorks == true)
        {
            // Later settings of this run log in with the password that now works.
            _logins[target.Address] = SshLogin.WithPassword(account, newPassword);
        }

        if (result.VerificationFailed || result.NewPasswordWorks != true || result.OldPasswordRefused == false)
        {
            throw new ConfigurationException($"{target}: changing the password of {account}: {result.Detail}");
        }
    }

    /// <summary>
    /// Add-IoTSshKey's engine: the keys are installed and key login proved with -KeyFile before password login
    /// is turned off; a failed proof restores the SSH configuration, so nobody is locked out.
    /// </summary>
    public async Task RequireKeyLoginAsync(
        ConfigurationTarget target, IReadOnlyList<string> publicKeys, CancellationToken cancellationToken)
    {
        var user = LoginUser(target);
        var proof = _cmdlet.KeyLogin(user) ?? throw new ConfigurationException(
            $"{target}: key-only SSH needs -KeyFile, the private key that proves key login before password "
            + "login is turned off; nothing was changed.");
        var installer = new SshKeyInstaller(_cmdlet.Log);
        var keys = ProofKeyFirst(publicKeys, _cmdlet.KeyFilePublicHalf());
        using var shell = await OpenAsync(target, LoginFor(target), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < keys.Count; i++)
        {
            // Each key is proved with -KeyFile; its own key goes first, so the proof holds for the others.
            var last = i == keys.Count - 1;
            var result = await installer.InstallAsync(shell, user, keys[i], proof, disablePasswordLogin: last,
                (next, token) => OpenAsync(target, next, token), cancellationToken).ConfigureAwait(false);
            if (!result.KeyLoginWorks || (last && !result.PasswordLoginDisabled))
            {
                throw new ConfigurationException($"{target}: key-only SSH for {user}: {result.Detail}");
            }
        }

        // Password login is off now: the re-test and every later step log in with the proved key.
        _logins[target.Address] = proof;
    }

    private static List<string> ProofKeyFirst(IReadOnlyList<string> publicKeys, string? proofPublicKey)
    {
        var proofBody = proofPublicKey is null ? null : OpenSshPublicKey.Body(proofPublicKey);
        return publicKeys.OrderBy(key => proofBody is not null && OpenSshPublicKey.Body(key) == proofBody ? 0 : 1)
            .ToList();
    }

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
