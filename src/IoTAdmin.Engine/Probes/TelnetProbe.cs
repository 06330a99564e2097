using System;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Baseline;

namespace IoTAdmin.Engine.Probes;

/// <summary>
/// Tries a Telnet login with its own client: option negotiation (BR-28), prompt matching without a
/// trailing newline, escape sequences stripped (BR-07). Each stage (login prompt, password prompt,
/// verdict) has its own absolute deadline.
/// </summary>
public static class TelnetProbe
{
    private static readonly Regex s_loginPrompt = Prompt(@"(login|user\s*name|user|username)\s*:\s*$");
    private static readonly Regex s_passwordPrompt = Prompt(@"pass(word|wd|code)?\s*:\s*$");
    private static readonly Regex s_failure = Prompt(@"incorrect|invalid|fail|denied|wrong|bad password");
    private static readonly Regex s_shellPrompt = Prompt(@"[#$>%]\s*$");

    /// <summary>Tries one user name and password; the password never appears in the result.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public static async Task<TelnetLoginResult> TryLoginAsync(
        string host,
        int port,
        CredentialPair credential,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var result = await AttemptAsync(host, port, credential, timeout, cancellationToken).ConfigureAwait(false);

        // A device that echoes the password must not smuggle it into the evidence.
        if (credential.Password.Length > 0 && result.LastPrompt is not null)
        {
            result.LastPrompt = result.LastPrompt.Replace(credential.Password, credential.MaskedPassword);
        }

        return result;
    }

    private static async Task<TelnetLoginResult> AttemptAsync(
        string host,
        int port,
        CredentialPair credential,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        TelnetSession? session = null;
        var stage = "connect";
        try
        {
            using (var deadline = new ProbeDeadline(timeout, cancellationToken))
            {
                session = await TelnetSession.OpenAsync(host, port, deadline.Token).ConfigureAwait(false);
                stage = "login prompt";
                var patterns = new[] { s_loginPrompt, s_shellPrompt };
                var prompt = await session.WaitForAsync(patterns, deadline.Token).ConfigureAwait(false);
                if (prompt < 0)
                {
                    return Finish(session, LoginOutcome.NoLoginPrompt, "the connection closed without a login prompt");
                }

                if (prompt == 1)
                {
                    return Finish(session, LoginOutcome.Accepted, "a shell prompt appeared without any login");
                }
            }

            return await LoginAsync(session, credential, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A service that accepted but stays silent leaves its logins unknown: a timeout, not "no login".
            return Finish(session, LoginOutcome.Timeout, $"no {stage} within {timeout}");
        }
        catch (SocketException ex)
        {
            return Finish(session, LoginOutcome.ConnectionFailed, ex.Message);
        }
        finally
        {
            session?.Dispose();
        }
    }

    private static async Task<TelnetLoginResult> LoginAsync(
        TelnetSession session,
        CredentialPair credential,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using (var deadline = new ProbeDeadline(timeout, cancellationToken))
        {
            session.ClearText();
            await session.SendLineAsync(credential.UserName, deadline.Token).ConfigureAwait(false);
            var patterns = new[] { s_passwordPrompt, s_failure, s_shellPrompt };
            var answer = await WaitOrExpireAsync(session, patterns, deadline).ConfigureAwait(false);
            if (answer == 1)
            {
                return Finish(session, LoginOutcome.Rejected, "the device rejected the user name");
            }

            if (answer == 2)
            {
                return Finish(session, LoginOutcome.Accepted, "a shell prompt followed the user name (no password)");
            }

            if (answer < 0)
            {
                return Finish(session, LoginOutcome.NoLoginPrompt, "no password prompt after the user name");
            }
        }

        return await SendPasswordAsync(session, credential, timeout, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<TelnetLoginResult> SendPasswordAsync(
        TelnetSession session,
        CredentialPair credential,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = new ProbeDeadline(timeout, cancellationToken);
        session.ClearText();
        await session.SendLineAsync(credential.Password, deadline.Token).ConfigureAwait(false);
        // Some devices answer a wrong password with nothing but a new login or password prompt.
        var patterns = new[] { s_failure, s_loginPrompt, s_passwordPrompt, s_shellPrompt };
        var answer = await WaitOrExpireAsync(session, patterns, deadline).ConfigureAwait(false);
        switch (answer)
        {
            case 0:
                return Finish(session, LoginOutcome.Rejected, "a failure message followed the password");
            case 1:
            case 2:
                return Finish(session, LoginOutcome.Rejected, "the device asked to log in again");
            case 3:
                return Finish(session, LoginOutcome.Accepted, "a shell prompt followed the password");
        }

        if (session.Closed)
        {
            return Finish(session, LoginOutcome.Rejected, "the device closed the connection after the password");
        }

        return session.Text.Trim().Length > 0
            ? Finish(session, LoginOutcome.Accepted, "the device printed no failure message after the password")
            : Finish(session, LoginOutcome.Timeout, $"no answer to the password within {timeout}");
    }

    /// <summary>Like WaitForAsync, but an expired deadline gives -1 instead of an exception.</summary>
    private static async Task<int> WaitOrExpireAsync(TelnetSession session, Regex[] patterns, ProbeDeadline deadline)
    {
        try
        {
            return await session.WaitForAsync(patterns, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            deadline.ThrowIfCallerCancelled();
            return -1;
        }
    }

    private static TelnetLoginResult Finish(TelnetSession? session, LoginOutcome outcome, string detail)
    {
        var result = new TelnetLoginResult(outcome, detail);
        if (session is null)
        {
            return result;
        }

        var text = session.Text.TrimEnd();
        result.LastPrompt = text.Length > 80 ? text.Substring(text.Length - 80) : text;
        result.NegotiationReplies = session.NegotiationReplies;
        return result;
    }

    private static Regex Prompt(string pattern) =>
        new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
