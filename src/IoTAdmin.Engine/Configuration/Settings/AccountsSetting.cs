using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace IoTAdmin.Engine.Configuration.Settings;

/// <summary>
/// Accounts: each listed account exists, its password is younger than MaxPasswordAgeDays (the
/// last-change day in /etc/shadow) and is no well-known default (judged by the password the run
/// logged in with, checked against the built-in default list). The fix is a password rotation by
/// issue 4's Set-IoTPassword engine, which proves the new password logs in and the old one fails;
/// it runs after every other change because it ends the run's current login.
/// </summary>
/// <remarks>
/// A default password on an account the run did not log in with is not detected here;
/// Test-IoTCredential (issue 4) and the baseline's IOT-CRED rules find those.
/// </remarks>
internal sealed class AccountsSetting : IConfigurationSetting
{
    private const string ReadCommand = "head -c 65536 /etc/shadow";

    public string Name => "Accounts";

    public bool IsManaged(DesiredConfiguration desired) => desired.Accounts is { Count: > 0 };

    public async Task<SettingObservation> ObserveAsync(SettingContext context, CancellationToken cancellationToken)
    {
        var shadow = ParseShadow(await context.RunCheckedAsync(ReadCommand, "reading /etc/shadow",
            cancellationToken).ConfigureAwait(false));
        var today = (int)(DateTime.UtcNow - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalDays;
        var wanted = new List<string>();
        var actual = new List<string>();
        var rotate = new List<string>();
        foreach (var account in context.Desired.Accounts!)
        {
            wanted.Add(Describe(account));
            var (state, drifts) = Judge(account, shadow, today, context);
            actual.Add($"{account.Name}: {state}");
            if (drifts)
            {
                rotate.Add(account.Name);
            }
        }

        var seen = new SettingObservation(string.Join("; ", wanted), string.Join("; ", actual), rotate.Count == 0);
        var missing = rotate.Where(a => !shadow.ContainsKey(a)).ToList();
        var noPassword = rotate.Where(a => shadow.ContainsKey(a) && !context.Secrets.NewPasswords.ContainsKey(a))
            .ToList();
        if (missing.Count + noPassword.Count > 0)
        {
            seen.NotRemediable = (missing.Count > 0 ? $"Account(s) {string.Join(", ", missing)} do not exist. " : "")
                + (noPassword.Count > 0
                    ? $"No new password for {string.Join(", ", noPassword)}: pass -NewCredential to rotate it."
                    : "");
        }

        foreach (var name in rotate.Except(missing).Except(noPassword))
        {
            seen.Plan.Add(new PlannedOperation(
                Name,
                $"Rotate the password of {name}",
                $"{context.Access.EngineName("ChangePassword")} -UserName {name} -NewPassword ******** "
                    + "(verify the new password logs in and the old one is refused)",
                async (c, ct) =>
                {
                    await c.Access.ChangePasswordAsync(c.Target, name, c.Secrets.NewPasswords[name], ct)
                        .ConfigureAwait(false);
                    c.Reconnect();
                })
            { RunsLast = true });
        }

        return seen;
    }

    private static (string State, bool Drifts) Judge(
        AccountSetting account, IReadOnlyDictionary<string, int?> shadow, int today, SettingContext context)
    {
        if (!shadow.TryGetValue(account.Name, out var changed))
        {
            return ("missing", true);
        }

        var states = new List<string>();
        var drifts = false;
        if (account.NoDefaultPassword && context.Access.LoginUsesDefaultPassword(context.Target, account.Name))
        {
            states.Add("well-known default password");
            drifts = true;
        }

        if (account.MaxPasswordAgeDays is int maxAge)
        {
            // Day 0 means "must change at next login": as old as it gets.
            var age = changed is int day and > 0 ? today - day : (int?)null;
            states.Add(age is null ? "password age unknown" : $"password {age} day(s) old");
            drifts |= age is null || age > maxAge;
        }

        return (states.Count == 0 ? "present" : string.Join(", ", states), drifts);
    }

    private static string Describe(AccountSetting account) =>
        account.Name + (account.NoDefaultPassword ? ": no default password" : ":")
        + (account.MaxPasswordAgeDays is int age ? $", at most {age} day(s) old" : string.Empty);

    /// <summary>Account name to its last-change day (days since 1970), from shadow text; hashes are dropped.</summary>
    internal static IReadOnlyDictionary<string, int?> ParseShadow(string text)
    {
        var accounts = new Dictionary<string, int?>(StringComparer.Ordinal);
        foreach (var line in ShellText.Lines(text))
        {
            var fields = line.Split(':');
            if (fields.Length < 3 || fields[0].Length == 0)
            {
                continue;
            }

            accounts[fields[0]] = int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
                ? day
                : null;
        }

        return accounts;
    }
}
