using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace IoTAdmin.Engine.Exposure;

/// <summary>
/// The POSIX shell script that switches a service off on a device for good, whatever starts it:
/// systemd units (disabled, stopped and masked), OpenWrt procd scripts (/etc/init.d/NAME disable),
/// SysV init (update-rc.d or chkconfig), BusyBox-style /etc/init.d/S??NAME scripts (stopped and
/// renamed to K??NAME, which rcS skips), BusyBox inetd.conf lines and inittab respawn lines
/// (commented out, the daemon told to reload). It runs on BusyBox ash as well as bash, prints one
/// "IOTADMIN-ACTION style:item" line per change and "IOTADMIN-DONE" at the end. Service names are
/// checked before they reach the script, so nothing can be injected.
/// </summary>
public static class ServiceDisableScript
{
    public const string ActionMarker = "IOTADMIN-ACTION ";

    /// <summary>Starts a line naming where the service is already off.</summary>
    public const string OffMarker = "IOTADMIN-OFF ";
    public const string DoneMarker = "IOTADMIN-DONE";

    private static readonly Regex s_safeName = new Regex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$");

    private static readonly Dictionary<string, string[]> s_aliases =
        new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["telnet"] = new[] { "telnet", "telnetd", "utelnetd", "inetutils-telnetd" },
            ["ftp"] = new[] { "ftp", "ftpd", "vsftpd", "proftpd", "pure-ftpd", "bftpd" },
            ["http"] = new[] { "httpd", "lighttpd", "uhttpd", "boa", "goahead", "mini_httpd", "thttpd" },
            ["upnp"] = new[] { "miniupnpd", "upnpd" },
            ["snmp"] = new[] { "snmpd", "mini_snmpd" },
            ["ssh"] = new[] { "ssh", "sshd", "dropbear" },
            ["mqtt"] = new[] { "mosquitto", "mqtt" },
            ["rtsp"] = new[] { "rtsp", "rtspd" },
        };

    private static readonly Dictionary<string, int> s_ports =
        new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["telnet"] = 23, ["ftp"] = 21, ["http"] = 80, ["upnp"] = 5000, ["ssh"] = 22, ["mqtt"] = 1883,
            ["rtsp"] = 554,
        };

    /// <summary>The TCP port a service usually listens on, or null when there is no usual one.</summary>
    public static int? StandardPort(string service)
    {
        if (s_ports.TryGetValue(service, out var port))
        {
            return port;
        }

        // A daemon's own name (telnetd, dropbear) has its family's port.
        var family = s_aliases.FirstOrDefault(a => a.Value.Contains(service, StringComparer.OrdinalIgnoreCase)).Key;
        return family is not null && s_ports.TryGetValue(family, out var familyPort) ? familyPort : null;
    }

    /// <summary>The init-script and process names a service goes by: telnet is telnetd or utelnetd.</summary>
    public static IReadOnlyList<string> NamesFor(string service)
    {
        Check(service);
        return s_aliases.TryGetValue(service, out var names)
            ? names.Concat(new[] { service }).Distinct().ToList()
            : new[] { service };
    }

    /// <exception cref="ArgumentException">The name holds characters a service name never has.</exception>
    public static void Check(string service)
    {
        if (service is null || !s_safeName.IsMatch(service))
        {
            throw new ArgumentException(
                $"'{service}' is not a service name (letters, digits, '.', '_' and '-', at most 32).",
                nameof(service));
        }
    }

    /// <summary>
    /// The script for one service; with <paramref name="dryRun"/> it only reports what it would change.
    /// </summary>
    public static string Build(string service, bool dryRun)
    {
        var names = string.Join(" ", NamesFor(service));
        var alternation = string.Join("|", NamesFor(service).Select(n => n.Replace(".", "\\.")));
        var script = new StringBuilder();
        script.Append("PATH=/usr/sbin:/usr/bin:/sbin:/bin; export PATH\n");
        script.Append($"names='{names}'; pattern='{alternation}'; dry={(dryRun ? 1 : 0)}\n");
        script.Append(Body);
        return script.ToString();
    }

    /// <summary>The "style:item" actions the script reported, in order.</summary>
    public static IReadOnlyList<string> ParseActions(string output) => Marked(output, ActionMarker);

    /// <summary>
    /// The places where the service is already switched off (a K-link, an entry commented out by us, a
    /// masked unit): what makes a re-run of the same hardening "already off" rather than "not found".
    /// </summary>
    public static IReadOnlyList<string> ParseAlreadyOff(string output) => Marked(output, OffMarker);

    private static IReadOnlyList<string> Marked(string output, string marker) =>
        (output ?? string.Empty).Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith(marker, StringComparison.Ordinal))
            .Select(line => line.Substring(marker.Length))
            .ToList();

    public static bool Completed(string output) =>
        (output ?? string.Empty).IndexOf(DoneMarker, StringComparison.Ordinal) >= 0;

    // Each block acts only where its init style is present; "act" prints the action and, unless dry,
    // runs the command. Errors of one block never stop the next. SSH daemons are never killed by
    // name: that would cut the session this script runs in; their init scripts stop the listener.
    private const string Body = @"act() { echo ""IOTADMIN-ACTION $1""; shift; [ $dry = 1 ] || ""$@"" >/dev/null 2>&1; }
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  for n in $names; do
    for u in $n.socket $n.service; do
      if systemctl list-unit-files ""$u"" 2>/dev/null | grep -q ""^$u""; then
        act ""systemd:$u"" systemctl disable --now ""$u""
        act ""systemd-mask:$u"" systemctl mask ""$u""
      fi
    done
  done
fi
if [ -f /etc/openwrt_release ] || [ -x /sbin/procd ]; then
  for n in $names; do
    if [ -x /etc/init.d/$n ] && grep -q 'USE_PROCD\|START=' /etc/init.d/$n 2>/dev/null; then
      act ""procd-stop:$n"" /etc/init.d/$n stop
      act ""procd:$n"" /etc/init.d/$n disable
    fi
  done
elif command -v update-rc.d >/dev/null 2>&1 || command -v chkconfig >/dev/null 2>&1; then
  for n in $names; do
    if [ -x /etc/init.d/$n ] && ls /etc/rc[2345].d/S??$n >/dev/null 2>&1; then
      act ""sysv-stop:$n"" /etc/init.d/$n stop
      if command -v update-rc.d >/dev/null 2>&1; then act ""sysv:$n"" update-rc.d $n disable
      else act ""sysv:$n"" chkconfig $n off; fi
    fi
  done
fi
for n in $names; do
  for f in /etc/init.d/S[0-9][0-9]$n /etc/rc.d/S[0-9][0-9]$n /etc/rcS.d/S[0-9][0-9]$n; do
    [ -e ""$f"" ] || continue
    d=${f%/*}; b=${f##*/}
    act ""initd-stop:$f"" ""$f"" stop
    act ""initd:$f->$d/K${b#S}"" mv ""$f"" ""$d/K${b#S}""
  done
done
if [ -f /etc/inetd.conf ] && grep -Eq ""^[[:space:]]*($pattern)[[:space:]]"" /etc/inetd.conf; then
  act ""inetd:/etc/inetd.conf"" sed -i -E ""s/^([[:space:]]*($pattern)[[:space:]])/#IoTAdmin# \1/"" /etc/inetd.conf
  for p in $(pidof inetd 2>/dev/null); do act ""inetd-reload:$p"" kill -HUP $p; done
fi
if [ -f /etc/inittab ] && grep -Eq ""^[^#].*:respawn:.*($pattern)"" /etc/inittab; then
  act ""inittab:/etc/inittab"" sed -i -E ""s/^([^#].*:respawn:.*($pattern))/#IoTAdmin# \1/"" /etc/inittab
  act ""inittab-reload:1"" kill -HUP 1
fi
for n in $names; do
  case $n in *ssh*|dropbear) continue ;; esac
  for p in $(pidof $n 2>/dev/null); do act ""kill:$n($p)"" kill $p; done
done
for n in $names; do
  for f in /etc/init.d/K[0-9][0-9]$n /etc/rc.d/K[0-9][0-9]$n /etc/rcS.d/K[0-9][0-9]$n; do
    [ -e ""$f"" ] && echo ""IOTADMIN-OFF initd:$f""
  done
  if command -v systemctl >/dev/null 2>&1; then
    for u in $n.socket $n.service; do
      [ ""$(systemctl is-enabled ""$u"" 2>/dev/null)"" = masked ] && echo ""IOTADMIN-OFF systemd:$u""
    done
  fi
done
[ -f /etc/inetd.conf ] && grep -Eq ""^#IoTAdmin# [[:space:]]*($pattern)[[:space:]]"" /etc/inetd.conf &&
  echo ""IOTADMIN-OFF inetd:/etc/inetd.conf""
[ -f /etc/inittab ] && grep -Eq ""^#IoTAdmin# .*:respawn:.*($pattern)"" /etc/inittab &&
  echo ""IOTADMIN-OFF inittab:/etc/inittab""
echo IOTADMIN-DONE
";
}
