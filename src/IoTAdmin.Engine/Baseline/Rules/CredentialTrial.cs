using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Baseline.Credentials;
using IoTAdmin.Engine.Inventory;
using IoTAdmin.Engine.Probes;

namespace IoTAdmin.Engine.Baseline.Rules;

/// <summary>One login attempt's verdict, reduced to what the rules need. Never holds a password.</summary>
internal readonly struct AttemptVerdict
{
    public AttemptVerdict(LoginOutcome outcome, string detail)
    {
        Outcome = outcome;
        Detail = detail;
    }

    public LoginOutcome Outcome { get; }

    public string Detail { get; }
}

/// <summary>
/// Tries default credentials on a device's ports, production-safe: at most
/// <see cref="AuditOptions.MaxAttemptsPerProtocol"/> attempts per device and protocol, a pause between
/// attempts, and a stop at the first success. Turns the attempts into one rule result whose evidence
/// names account, masked password, protocol and port.
/// </summary>
internal sealed class CredentialTrial
{
    private readonly BaselineRuleInfo _info;
    private readonly string _protocol;
    private readonly Func<int, CredentialPair, CancellationToken, Task<AttemptVerdict>> _attempt;

    public CredentialTrial(
        BaselineRuleInfo info,
        string protocol,
        Func<int, CredentialPair, CancellationToken, Task<AttemptVerdict>> attempt)
    {
        _info = info;
        _protocol = protocol;
        _attempt = attempt;
    }

    public async Task<RuleResult> RunAsync(
        IoTDevice device,
        IReadOnlyList<int> ports,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var pairs = DefaultCredentialList.Select(device, context.Options, _protocol.ToLowerInvariant());
        var budget = Math.Max(0, context.Options.MaxAttemptsPerProtocol);
        var notes = new List<string>();
        var errors = 0;
        var cutShort = false;
        foreach (var port in ports)
        {
            var report = await TryPortAsync(device, port, pairs, budget, context, cancellationToken)
                .ConfigureAwait(false);
            budget -= report.Attempts;
            notes.Add(report.Note);
            if (report.Accepted)
            {
                return Result(device, RuleOutcome.Fail, string.Join("; ", notes));
            }

            errors += report.Inconclusive ? 1 : 0;
            cutShort |= !report.Inconclusive && !report.NoPasswordMethod && report.Attempts < pairs.Count;
        }

        // A port whose trial could not finish leaves its logins unknown, whatever the other ports said.
        var outcome = errors > 0 ? RuleOutcome.Error : RuleOutcome.Pass;
        if (outcome == RuleOutcome.Pass && cutShort && !IsListFocused(device, context.Options))
        {
            outcome = RuleOutcome.Error;
            notes.Add(UnfocusedNote(pairs.Count, context.Options.MaxAttemptsPerProtocol));
        }
        else if (outcome == RuleOutcome.Pass && cutShort)
        {
            // A pass on the likeliest logins is still a sample: say how large, so nobody reads it as all.
            notes.Add($"the cap of {context.Options.MaxAttemptsPerProtocol} attempt(s) per protocol covered the "
                + $"likeliest part of {pairs.Count} listed logins; raise -MaxAttempts to try more");
        }

        return Result(device, outcome, string.Join("; ", notes));
    }

    /// <summary>
    /// True when the attempts go to the likeliest logins: the admin's own list, or the built-in list
    /// ordered for a known vendor or class of device. For an unidentified device the cap cuts a list
    /// in no useful order, so a few rejections prove nothing (a camera's Mirai login can sit sixth).
    /// </summary>
    private static bool IsListFocused(IoTDevice device, AuditOptions options) =>
        options.Credentials.Count > 0
        || device.Profile != DeviceProfile.General
        || !string.IsNullOrEmpty(device.Vendor);

    private static string UnfocusedNote(int listed, int cap) =>
        $"check incomplete: the device's vendor and class are unknown, so the cap of {cap} attempt(s) covered "
        + $"only part of {listed} built-in defaults; give -Profile, a credential list or a higher -MaxAttempts";

    private async Task<PortReport> TryPortAsync(
        IoTDevice device,
        int port,
        IReadOnlyList<CredentialPair> pairs,
        int budget,
        AuditContext context,
        CancellationToken cancellationToken)
    {
        var where = $"{_protocol} {device.Address}:{port}";
        var tried = new List<string>();
        for (var index = 0; index < pairs.Count && tried.Count < budget; index++)
        {
            if (tried.Count > 0)
            {
                await Task.Delay(context.Options.DelayBetweenAttempts, cancellationToken).ConfigureAwait(false);
            }

            // Logs carry the user name only; evidence may show the masked password.
            var pair = pairs[index];
            context.Log.Verbose(
                $"{_info.Id}: attempt {tried.Count + 1} of at most {budget} on {where} as user '{pair.UserName}'.");
            var verdict = await _attempt(port, pair, cancellationToken).ConfigureAwait(false);
            tried.Add(pair.ToString());
            context.Log.Debug($"{_info.Id}: {pair.UserName} on {where}: {verdict.Outcome} ({verdict.Detail})");
            var report = Judge(where, pair, verdict, tried);
            if (report is not null)
            {
                return report;
            }
        }

        var note = tried.Count == 0
            ? $"{where}: no attempt left in the budget of {context.Options.MaxAttemptsPerProtocol}"
            : $"{where}: rejected {Join(tried)}";
        return new PortReport(note, tried.Count);
    }

    private static PortReport? Judge(string where, CredentialPair pair, AttemptVerdict verdict, List<string> tried)
    {
        var before = tried.Count > 1 ? $" after rejecting {Join(tried.Take(tried.Count - 1))}" : string.Empty;
        switch (verdict.Outcome)
        {
            case LoginOutcome.Rejected:
                return null;
            case LoginOutcome.Accepted:
                return new PortReport(
                    $"{where} accepted the default login {pair.UserName} / {pair.MaskedPassword} "
                    + $"on attempt {tried.Count} ({verdict.Detail}){before}",
                    tried.Count) { Accepted = true };
            case LoginOutcome.NoPasswordMethod:
                return new PortReport($"{where}: {verdict.Detail}", tried.Count) { NoPasswordMethod = true };
            default:
                return new PortReport(
                    $"{where}: check incomplete, {verdict.Outcome} with {pair}{before}: {verdict.Detail}",
                    tried.Count) { Inconclusive = true };
        }
    }

    private RuleResult Result(IoTDevice device, RuleOutcome outcome, string evidence) =>
        new RuleResult(device.Address, device.Name, _info, outcome, evidence);

    private static string Join(IEnumerable<string> pairs) => string.Join(", ", pairs);

    private sealed class PortReport
    {
        public PortReport(string note, int attempts)
        {
            Note = note;
            Attempts = attempts;
        }

        public string Note { get; }

        public int Attempts { get; }

        public bool Accepted { get; set; }

        public bool NoPasswordMethod { get; set; }

        public bool Inconclusive { get; set; }
    }
}
