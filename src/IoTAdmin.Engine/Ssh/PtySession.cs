using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using IoTAdmin.Engine.Probes;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace IoTAdmin.Engine.Ssh;

/// <summary>
/// An interactive shell on a pseudo-terminal for devices whose exec channel does not work (BR-08).
/// No prompt is matched (BR-07): each command is framed by begin and end markers that printf
/// assembles from two halves, so the terminal's echo of the command line never looks like a marker.
/// Escape sequences are stripped from the output. History is sent to /dev/null first, so secrets
/// passed as input never land in the device's shell history.
/// </summary>
internal sealed class PtySession : IDisposable
{
    private const string Setup =
        "export HISTFILE=/dev/null; unset PROMPT_COMMAND; stty -echo 2>/dev/null; PS1=''; PS2=''";
    private readonly ShellStream _stream;
    private readonly OutputCapture _output = new OutputCapture(long.MaxValue);
    private int _consumed;

    private PtySession(ShellStream stream)
    {
        _stream = stream;
    }

    public static async Task<PtySession> OpenAsync(SshClient client, CancellationToken ct)
    {
        var modes = new Dictionary<TerminalModes, uint> { { TerminalModes.ECHO, 0 } };
        ShellStream stream;
        try
        {
            stream = client.CreateShellStream("dumb", 200, 50, 0, 0, 64 * 1024, modes);
        }
        catch (SshException ex)
        {
            throw new DeviceShellException(SshFailure.ProtocolError,
                $"The device refused an interactive shell: {ex.Message}", ex);
        }

        var session = new PtySession(stream);
        _ = session._output.PumpAsync(stream);
        var ready = await session.RunAsync(Setup, null, ct).ConfigureAwait(false);
        if (ready.TimedOut)
        {
            session.Dispose();
            throw new OperationCanceledException("the shell did not answer");
        }

        return session;
    }

    public async Task<ShellCommandResult> RunAsync(string command, string? standardInput, CancellationToken ct)
    {
        var tag = Guid.NewGuid().ToString("N").Substring(0, 12);
        var begin = "IOTADMIN_B_" + tag;
        var end = new Regex("IOTADMIN_E_" + tag + @"_(\d+)");
        var script = BuildScript(command, standardInput, tag);
        var bytes = Encoding.UTF8.GetBytes(script);
        await _stream.WriteAsync(bytes, 0, bytes.Length, ct).ConfigureAwait(false);
        _stream.Flush();

        while (true)
        {
            var text = AnsiText.Strip(CurrentText());
            var parsed = Parse(text, begin, end, standardInput);
            if (parsed is not null)
            {
                return parsed;
            }

            if (_output.Completed || !await _output.WaitForDataAsync(ct).ConfigureAwait(false))
            {
                // Deadline or closed shell: hand back what the command printed so far (BR-06).
                var partial = After(text, begin) ?? string.Empty;
                return new ShellCommandResult(null, Blank(partial, standardInput), string.Empty, timedOut: true);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            _stream.Dispose();
        }
        catch (Exception)
        {
            // Closing a dead channel may throw; it is gone either way.
        }
    }

    private static string BuildScript(string command, string? standardInput, string tag)
    {
        var script = new StringBuilder();
        script.Append("printf '%s_%s\\n' IOTADMIN_B ").Append(tag).Append('\n');
        if (standardInput is null)
        {
            script.Append(command).Append('\n');
        }
        else
        {
            // A here-document is read by the shell as data, so input lines can never run as commands.
            var eof = "IOTADMIN_IN_" + tag;
            script.Append(command).Append(" <<'").Append(eof).Append("'\n").Append(standardInput);
            if (!standardInput.EndsWith("\n", StringComparison.Ordinal))
            {
                script.Append('\n');
            }

            script.Append(eof).Append('\n');
        }

        script.Append("printf '\\n%s_%s_%d\\n' IOTADMIN_E ").Append(tag).Append(" $?\n");
        return script.ToString();
    }

    private string CurrentText()
    {
        var bytes = _output.ToArray();
        return Encoding.UTF8.GetString(bytes, _consumed, bytes.Length - _consumed);
    }

    private ShellCommandResult? Parse(string text, string begin, Regex end, string? standardInput)
    {
        var body = After(text, begin);
        if (body is null)
        {
            return null;
        }

        var match = end.Match(body);
        if (!match.Success)
        {
            return null;
        }

        // Everything up to the end marker belongs to this command; later bytes are the next prompt.
        _consumed = _output.ToArray().Length;
        var output = body.Substring(0, match.Index).Replace("\r\n", "\n").Replace("\r", string.Empty);
        if (output.EndsWith("\n", StringComparison.Ordinal))
        {
            output = output.Substring(0, output.Length - 1);
        }

        var status = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return new ShellCommandResult(status, Blank(output, standardInput), string.Empty, timedOut: false);
    }

    /// <summary>The text after the begin marker's own line, or null when the marker is not there yet.</summary>
    private static string? After(string text, string begin)
    {
        var at = text.IndexOf(begin, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var lineEnd = text.IndexOf('\n', at);
        return lineEnd < 0 ? null : text.Substring(lineEnd + 1);
    }

    /// <summary>Removes any echo of the input lines, for shells that ignored "stty -echo".</summary>
    private static string Blank(string output, string? standardInput)
    {
        if (string.IsNullOrEmpty(standardInput))
        {
            return output;
        }

        foreach (var line in standardInput!.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.Length > 0)
            {
                output = output.Replace(trimmed, "***");
            }
        }

        return output;
    }
}
