using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IoTAdmin.Engine.DeviceLogs;

/// <summary>
/// Reads the log line formats IoT devices write and recognises the login events of dropbear, OpenSSH,
/// BusyBox login and PAM. Formats: RFC 3164 syslog (with or without BusyBox's facility.level), OpenWrt
/// logread, ISO 8601 (rsyslog), RFC 5424, dropbear's own '-E' stderr lines, and bare messages whose
/// program is taken from the file name (sshd.log). Year-less dates are placed in the past year.
/// </summary>
public sealed class DeviceLogParser
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled;
    private static readonly TimeSpan s_timeout = TimeSpan.FromMilliseconds(200);

    private const string Clock = @"\d\d:\d\d:\d\d";
    private const string MonthDay = @"[A-Z][a-z]{2} [ \d]\d";
    private const string SshMethod = "(?:password|publickey|keyboard-interactive/pam|none)";
    private const string SshFrom = @" from (?<addr>\S+) port (?<port>\d+)";
    private const string DropbearFrom = @" from (?<addr>\S+?):(?<port>\d+)";

    private static readonly Regex s_logread = new(
        $@"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?<date>{MonthDay} {Clock} \d{{4}}) (?<pri>\w+\.\w+) (?<rest>.*)$",
        Options, s_timeout);

    private static readonly Regex s_rfc3164 = new(
        $@"^(?<date>{MonthDay} {Clock}) (?<host>\S+) (?:(?<pri>[a-z0-9]+\.[a-z]+) )?(?<rest>.*)$",
        Options, s_timeout);

    private static readonly Regex s_iso = new(
        @"^(?<date>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?) (?<host>\S+) (?<rest>.*)$",
        Options, s_timeout);

    private static readonly Regex s_rfc5424 = new(
        @"^<(?<prival>\d{1,3})>1 (?<date>\S+) (?<host>\S+) (?<app>\S+) (?<pid>\S+) \S+ (?:-|\[.*?\]) ?(?<msg>.*)$",
        Options, s_timeout);

    private static readonly Regex s_dropbearStderr = new(
        $@"^\[(?<pid>\d+)\] (?<date>{MonthDay} {Clock}) (?<msg>.*)$", Options, s_timeout);

    private static readonly Regex s_tag = new(
        @"^(?<prog>[^\s\[:]+)(?:\[(?<pid>\d+)\])?: (?<msg>.*)$", Options, s_timeout);

    private static readonly (Regex Pattern, DeviceLogEventKind Kind)[] s_events =
    {
        (Event("Bad password attempt for '(?<user>[^']*)'" + DropbearFrom), DeviceLogEventKind.FailedLogin),
        (Event("Bad PAM password attempt for '(?<user>[^']*)'" + DropbearFrom), DeviceLogEventKind.FailedLogin),
        (Event("Login attempt for nonexistent user(?: '(?<user>[^']*)')?(?:" + DropbearFrom + ")?"),
            DeviceLogEventKind.InvalidUser),
        (Event("(?:Password|Pubkey|PAM password) auth succeeded for '(?<user>[^']*)'.*" + DropbearFrom),
            DeviceLogEventKind.Login),
        (Event($"Failed {SshMethod} for invalid user (?<user>\\S*)" + SshFrom), DeviceLogEventKind.InvalidUser),
        (Event($"Failed {SshMethod} for (?<user>\\S+)" + SshFrom), DeviceLogEventKind.FailedLogin),
        (Event(@"Invalid user (?<user>\S*) from (?<addr>\S+)(?: port (?<port>\d+))?"), DeviceLogEventKind.InvalidUser),
        (Event($"Accepted {SshMethod} for (?<user>\\S+)" + SshFrom), DeviceLogEventKind.Login),
        (Event(@"authentication failure;.*?rhost=(?<addr>\S*)(?:\s+user=(?<user>\S+))?"),
            DeviceLogEventKind.FailedLogin),
        (Event("invalid password for '(?<user>[^']*)'(?: on '[^']*')?(?: from '(?<addr>[^']*)')?"),
            DeviceLogEventKind.FailedLogin),
        (Event(@"^(?<user>\S+) login on '[^']*'(?: from '(?<addr>[^']*)')?"), DeviceLogEventKind.Login),
    };

    private static readonly Regex s_connection =
        Event(@"^Child connection from (?<addr>[^\s:]+|\[[^\]]+\]):(?<port>\d+)");
    private const int MaxConnections = 4096;
    private readonly DateTimeOffset _now;

    /// <summary>dropbear names the client on its 'Child connection' line; later lines of the pid inherit it.</summary>
    private readonly System.Collections.Generic.Dictionary<(string, int), (string, int)> _connections = new();

    public DeviceLogParser(DateTimeOffset? now = null) => _now = now ?? DateTimeOffset.UtcNow;

    /// <summary>Parses one line; never throws: an unknown format keeps the whole line as the message.</summary>
    public DeviceLogEvent Parse(string device, string source, string line)
    {
        var entry = new DeviceLogEvent { Device = device, Source = source, Line = line };
        try
        {
            ReadFrame(entry, line, source);
            Classify(entry);
            Correlate(entry);
        }
        catch (RegexMatchTimeoutException)
        {
            entry.Message = line;
        }

        return entry;
    }

    private void ReadFrame(DeviceLogEvent entry, string line, string source)
    {
        Match m;
        if ((m = s_rfc5424.Match(line)).Success)
        {
            entry.Time = Iso(m.Groups["date"].Value);
            entry.Host = Nil(m.Groups["host"].Value);
            entry.Program = Nil(m.Groups["app"].Value);
            entry.ProcessId = int.TryParse(m.Groups["pid"].Value, out var pid) ? pid : null;
            entry.Priority = Priority(int.Parse(m.Groups["prival"].Value, CultureInfo.InvariantCulture));
            entry.Message = m.Groups["msg"].Value.TrimStart('\uFEFF');
        }
        else if ((m = s_logread.Match(line)).Success)
        {
            entry.Time = Exact(m.Groups["date"].Value, "MMM d HH:mm:ss yyyy");
            entry.Priority = m.Groups["pri"].Value;
            Tag(entry, m.Groups["rest"].Value);
        }
        else if ((m = s_dropbearStderr.Match(line)).Success)
        {
            entry.Time = WithoutYear(m.Groups["date"].Value);
            entry.Program = "dropbear";
            entry.ProcessId = int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture);
            entry.Message = m.Groups["msg"].Value;
        }
        else if ((m = s_iso.Match(line)).Success || (m = s_rfc3164.Match(line)).Success)
        {
            var date = m.Groups["date"].Value;
            entry.Time = char.IsDigit(date[0]) ? Iso(date) : WithoutYear(date);
            entry.Host = m.Groups["host"].Value;
            entry.Priority = m.Groups["pri"].Success ? m.Groups["pri"].Value : string.Empty;
            Tag(entry, m.Groups["rest"].Value);
        }
        else
        {
            entry.Program = ProgramFromFile(source);
            entry.Message = line;
        }
    }

    private static void Tag(DeviceLogEvent entry, string rest)
    {
        var m = s_tag.Match(rest);
        if (m.Success)
        {
            entry.Program = m.Groups["prog"].Value;
            entry.ProcessId = m.Groups["pid"].Success
                ? int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture)
                : null;
            entry.Message = m.Groups["msg"].Value;
        }
        else
        {
            entry.Message = rest;
        }
    }

    private static void Classify(DeviceLogEvent entry)
    {
        foreach (var (pattern, kind) in s_events)
        {
            var m = pattern.Match(entry.Message);
            if (!m.Success)
            {
                continue;
            }

            entry.Kind = kind;
            entry.User = m.Groups["user"].Success ? m.Groups["user"].Value : string.Empty;
            entry.SourceAddress = m.Groups["addr"].Success ? m.Groups["addr"].Value.Trim('<', '>') : string.Empty;
            entry.SourcePort = m.Groups["port"].Success && int.TryParse(m.Groups["port"].Value, out var port)
                ? port : null;
            return;
        }
    }

    private void Correlate(DeviceLogEvent entry)
    {
        if (entry.ProcessId is not { } pid)
        {
            return;
        }

        var key = (entry.Source, pid);
        var connection = s_connection.Match(entry.Message);
        if (connection.Success)
        {
            if (_connections.Count >= MaxConnections)
            {
                _connections.Clear();
            }

            _connections[key] = (connection.Groups["addr"].Value,
                int.Parse(connection.Groups["port"].Value, CultureInfo.InvariantCulture));
        }
        else if (entry.Kind != DeviceLogEventKind.Other && entry.SourceAddress.Length == 0
            && _connections.TryGetValue(key, out var client))
        {
            entry.SourceAddress = client.Item1;
            entry.SourcePort = client.Item2;
        }
    }

    private DateTimeOffset? WithoutYear(string text)
    {
        var parsed = Exact(text + " " + _now.Year.ToString(CultureInfo.InvariantCulture), "MMM d HH:mm:ss yyyy");
        return parsed > _now.AddDays(1) ? parsed.Value.AddYears(-1) : parsed;
    }

    private static DateTimeOffset? Exact(string text, string format)
    {
        var normalised = Regex.Replace(text, "  +", " ", RegexOptions.None, s_timeout);
        return DateTimeOffset.TryParseExact(normalised, format, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var time) ? time : null;
    }

    private static DateTimeOffset? Iso(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time : null;

    private static string Nil(string text) => text == "-" ? string.Empty : text;

    private static string Priority(int prival)
    {
        string[] facilities = { "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
            "authpriv", "ftp", "ntp", "audit", "alert", "clock", "local0", "local1", "local2", "local3", "local4",
            "local5", "local6", "local7" };
        string[] severities = { "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug" };
        var facility = prival / 8;
        return (facility < facilities.Length ? facilities[facility] : facility.ToString(CultureInfo.InvariantCulture))
            + "." + severities[prival % 8];
    }

    private static string ProgramFromFile(string source)
    {
        var name = System.IO.Path.GetFileName(source);
        var dot = name.IndexOf('.');
        return dot > 0 ? name.Substring(0, dot) : name;
    }

    private static Regex Event(string pattern) => new(pattern, Options, s_timeout);
}
