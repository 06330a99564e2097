#!/bin/bash
# IoTAdmin device lab: three emulated IoT devices (cam1, hvac1, gw1), each in its own
# network, mount, PID and UTS namespace with its own persistent root filesystem, on the
# host-only bridge iotlab0 (10.47.0.0/24). See README.md next to this script.
#
#   lab.sh install | up | down | restart DEVICE | status | verify | selftest | env
set -euo pipefail

SELF=$(readlink -f "$0")
LAB_DIR=$(dirname "$SELF")
STATE=/var/lib/iotadmin-lab          # persistent: device disks, secrets, lab.json
CACHE=$STATE/cache                   # generated keys; survives `down`
RUNDIR=/run/iotadmin-lab             # transient host-side bookkeeping
BR=iotlab0
BR_IP=10.47.0.1
SUBNET=10.47.0.0/24
DEVICES=(cam1 hvac1 gw1)
declare -A DEV_IP=([cam1]=10.47.0.11 [hvac1]=10.47.0.12 [gw1]=10.47.0.13)
declare -A DEV_MAC=([cam1]=02:47:00:00:00:11 [hvac1]=02:47:00:00:00:12 [gw1]=02:47:00:00:00:13)
declare -A DEV_PROFILE=([cam1]=Camera [hvac1]=BuildingControl [gw1]=Gateway)
# TCP ports that must listen before a device counts as booted.
# PORT:SERVICE; a port is only awaited while the device's /etc/init.d/S??SERVICE is enabled.
declare -A DEV_TCP=([cam1]="22:dropbear 23:telnetd 80:httpd 554:rtsp 8080:isapi" [hvac1]="48022:sshd 443:lighttpd"
                    [gw1]="22:dropbear 1883:mosquitto 5000:miniupnpd 1884:mqttauth")
declare -A DEV_UDP=([cam1]="161:snmpd 5353:avahi" [hvac1]="161:snmpd 5353:avahi" [gw1]="1900:miniupnpd 5353:avahi")
GW_WAN_IP=100.64.47.2                # gw1's "internet" side, a veth pair inside iotlab-gw1
GW_ISP_IP=100.64.47.1
CAM_ROOT_PASSWORD=xmhdipc            # Mirai list default (seclists-mirai-botnet.txt)
CAM_DIGEST_USER=admin               # device API (digest) default, Mirai list
CAM_DIGEST_PASSWORD=7ujMko0admin
GW_MQTT_USER=root                   # password broker default, Mirai list
GW_MQTT_PASSWORD=xc3511
PY=/usr/bin/python3
DEV_DROP_CAPS=-sys_admin,-mknod,-sys_module,-sys_rawio,-sys_time,-dac_read_search,-syslog,-mac_admin,-mac_override,-audit_control,-sys_pacct,-wake_alarm,-block_suspend,-bpf,-perfmon,-checkpoint_restore
PKGS=(iproute2 util-linux procps coreutils busybox-static dropbear-bin openssh-server
      openssh-client sshpass snmpd snmp snmpsim onesixtyone avahi-daemon minissdpd miniupnpd-nftables nftables
      lighttpd lighttpd-mod-openssl openssl mosquitto mosquitto-clients socat python3 curl
      netcat-openbsd nmap ssh-audit sslscan miniupnpc iptables rsyslog rsyslog-gnutls softflowd conntrack)

die() { echo "lab.sh: ERROR: $*" >&2; exit 1; }
say() { echo "lab.sh: $*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }
nsx() { local d=$1; shift; ip netns exec "iotlab-$d" "$@"; }
randpw() { openssl rand -base64 48 | tr -dc 'A-Za-z0-9' | cut -c1-"${1:-24}"; }

lock() {
    # The script file itself is the lock, so nothing is left behind.
    exec 9<"$SELF"
    flock -w 60 9 || die "another lab.sh run holds the lock for more than 60 s"
}

need_root() { [ "$(id -u)" = 0 ] || die "must run as root"; }

# ---------------------------------------------------------------- install
cmd_install() {
    local missing=() p
    for p in "${PKGS[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then say "all lab packages are installed"; return 0; fi
    say "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Keep the packages' maintainer scripts from starting host-wide daemons
    # (snmpd, avahi, mosquitto, lighttpd, sshd, minissdpd) in the root namespace.
    local prc=/usr/sbin/policy-rc.d made_prc=0
    if [ ! -e $prc ]; then printf '#!/bin/sh\nexit 101\n' > $prc; chmod 755 $prc; made_prc=1; fi
    local rc=0
    if ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1; then apt-get update || rc=$?; fi
    if [ $rc = 0 ] && ! apt-get install -y --no-install-recommends "${missing[@]}"; then
        apt-get update && apt-get install -y --no-install-recommends "${missing[@]}" || rc=$?
    fi
    [ $made_prc = 1 ] && rm -f $prc
    [ $rc = 0 ] || die "apt-get failed"
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
        systemctl disable --now avahi-daemon.socket avahi-daemon minissdpd miniupnpd snmpd \
            mosquitto lighttpd 2>/dev/null || true
    fi
    say "install done"
}

check_tools() {
    local t
    for t in ip unshare nsenter flock busybox dropbear dropbearkey /usr/sbin/sshd ssh-keygen snmpd \
             avahi-daemon miniupnpd nft lighttpd mosquitto socat openssl $PY; do
        command -v "$t" >/dev/null || die "missing '$t': run 'lab.sh install' first"
    done
    busybox --list | grep -qx telnetd || die "busybox has no telnetd: install busybox-static"
    [ -e /usr/lib/lighttpd/mod_openssl.so ] || die "lighttpd-mod-openssl missing: run 'lab.sh install'"
}

# ---------------------------------------------------------------- secrets and keys
load_secrets() {
    local f=$STATE/secrets.env
    if [ ! -s $f ]; then
        umask 077
        {
            echo "CAM_ROOT_PASSWORD=$CAM_ROOT_PASSWORD"
            echo "CAM_HTTP_USER=admin"
            echo "CAM_HTTP_PASSWORD=admin"
            echo "GW_ROOT_PASSWORD=$(randpw 24)"
            echo "HVAC_HTTPS_USER=admin"
            echo "HVAC_HTTPS_PASSWORD=$(randpw 24)"
            echo "HVAC_SNMP_USER=bmsadmin"
            echo "HVAC_SNMP_AUTH_PASS=$(randpw 24)"
            echo "HVAC_SNMP_PRIV_PASS=$(randpw 24)"
        } > $f.tmp
        mv $f.tmp $f
        umask 022
    fi
    chmod 600 $f
    # shellcheck disable=SC1090
    . $f
}

make_keys() {
    local d k
    mkdir -p $CACHE; chmod 700 $CACHE
    for d in cam1 gw1; do
        mkdir -p $CACHE/$d
        for k in rsa ecdsa ed25519; do
            [ -s $CACHE/$d/dropbear_${k}_host_key ] && continue
            case $k in
                rsa) dropbearkey -t rsa -s 2048 -f $CACHE/$d/dropbear_${k}_host_key >/dev/null 2>&1 ;;
                ecdsa) dropbearkey -t ecdsa -s 256 -f $CACHE/$d/dropbear_${k}_host_key >/dev/null 2>&1 ;;
                ed25519) dropbearkey -t ed25519 -f $CACHE/$d/dropbear_${k}_host_key >/dev/null 2>&1 ;;
            esac
        done
    done
    mkdir -p $CACHE/hvac1
    [ -s $CACHE/hvac1/ssh_host_ed25519_key ] || ssh-keygen -q -t ed25519 -N '' -C hvac1 -f $CACHE/hvac1/ssh_host_ed25519_key
    [ -s $CACHE/hvac1/ssh_host_rsa_key ] || ssh-keygen -q -t rsa -b 3072 -N '' -C hvac1 -f $CACHE/hvac1/ssh_host_rsa_key
    [ -s $CACHE/hvac1_root_ed25519 ] || ssh-keygen -q -t ed25519 -N '' -C iotlab-client -f $CACHE/hvac1_root_ed25519
    chmod 600 $CACHE/hvac1_root_ed25519
    if [ ! -s $CACHE/hvac1/tls-cert.pem ]; then
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
            -subj "/C=DE/O=Example Building Systems/CN=hvac1.local" \
            -addext "subjectAltName=DNS:hvac1,DNS:hvac1.local,IP:${DEV_IP[hvac1]}" \
            -keyout $CACHE/hvac1/tls-key.pem -out $CACHE/hvac1/tls-cert.pem >/dev/null 2>&1 \
            || die "openssl could not make the hvac1 certificate"
    fi
    # known_hosts for consumers
    {
        for d in cam1 gw1; do
            for k in rsa ecdsa ed25519; do
                echo "${DEV_IP[$d]} $(dropbearkey -y -f $CACHE/$d/dropbear_${k}_host_key | grep -E '^(ssh|ecdsa)-' | cut -d' ' -f1,2)"
            done
        done
        for k in ed25519 rsa; do
            echo "[${DEV_IP[hvac1]}]:48022 $(cut -d' ' -f1,2 $CACHE/hvac1/ssh_host_${k}_key.pub)"
        done
    } > $STATE/known_hosts.tmp && mv $STATE/known_hosts.tmp $STATE/known_hosts
}

# ---------------------------------------------------------------- device disks (factory state)
# Files copied from the host's /etc into every device's own /etc (never shadow, keys, etc.).
ETC_COPY=(passwd group nsswitch.conf ld.so.cache ld.so.conf ld.so.conf.d alternatives ssl
          services protocols rpc networks host.conf gai.conf localtime timezone mime.types
          shells login.defs pam.d security default environment bash.bashrc inputrc
          os-release debian_version terminfo ethertypes libaudit.conf)

factory_common() {
    local d=$1 R=$2 shell=$3 rootpw=$4 f
    mkdir -p $R/{etc/init.d,etc/iotlab,var/log,var/lib,var/tmp,var/www,var/spool,root,data,tmp,run,proc,sys,dev,usr,opt,home,mnt}
    for f in bin sbin lib lib64; do
        if [ -L /$f ]; then ln -sfn "$(readlink /$f)" $R/$f; elif [ -d /$f ]; then mkdir -p $R/$f; fi
    done
    chmod 700 $R/root; chmod 1777 $R/tmp $R/var/tmp
    ln -sfn /run $R/var/run; ln -sfn /run/lock $R/var/lock
    for f in "${ETC_COPY[@]}"; do [ -e /etc/$f ] && cp -a /etc/$f $R/etc/; done
    rm -rf $R/etc/ssl/private/*
    mkdir -p $R/etc/ssh; [ -e /etc/ssh/moduli ] && cp /etc/ssh/moduli $R/etc/ssh/
    # devices hash passwords with SHA-512 crypt (busybox login cannot verify yescrypt)
    sed -i 's/\byescrypt\b/sha512/' $R/etc/pam.d/common-password 2>/dev/null || true
    if grep -q '^ENCRYPT_METHOD' $R/etc/login.defs 2>/dev/null; then
        sed -i 's/^ENCRYPT_METHOD.*/ENCRYPT_METHOD SHA512/' $R/etc/login.defs
    else
        echo 'ENCRYPT_METHOD SHA512' >> $R/etc/login.defs
    fi
    # own root account; every other system account is locked
    sed -i "s#^root:.*#root:x:0:0:root:/root:$shell#" $R/etc/passwd
    local hash; hash=$(openssl passwd -6 "$rootpw")
    [ "$rootpw" = '*' ] && hash='*'
    awk -F: -v h="$hash" '{ if ($1=="root") print "root:" h ":20000:0:99999:7:::"; else print $1 ":*:20000:0:99999:7:::" }' \
        $R/etc/passwd > $R/etc/shadow
    awk -F: '{ print $1 ":*::" }' $R/etc/group > $R/etc/gshadow
    chmod 640 $R/etc/shadow $R/etc/gshadow; chgrp shadow $R/etc/shadow $R/etc/gshadow 2>/dev/null || true
    echo "$d" > $R/etc/hostname
    printf '127.0.0.1\tlocalhost\n%s\t%s %s.local\n' "${DEV_IP[$d]}" "$d" "$d" > $R/etc/hosts
    grep -qx "$shell" $R/etc/shells || echo "$shell" >> $R/etc/shells
    cat > $R/etc/profile <<'EOF'
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=${HOME:-/root}
PS1="$(hostname)# "
[ -n "$BASH_VERSION" ] && [ -f /etc/bash.bashrc ] && . /etc/bash.bashrc
EOF
    cat > $R/etc/inittab <<'EOF'
# busybox init: the device's PID 1
::sysinit:/etc/init.d/rcS
::shutdown:/etc/init.d/rcK
EOF
    cat > $R/etc/init.d/rcS <<'EOF'
#!/bin/sh
# Device boot: start every enabled service script /etc/init.d/S??* in order.
# Disable a service by removing it, renaming it (e.g. to K20telnetd) or chmod -x.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mkdir -p /run/lock /run/iotlab /var/log
echo "boot: $(hostname) $(date -u +%FT%TZ)" >> /var/log/boot.log
for s in /etc/init.d/S??*; do
    [ -x "$s" ] || continue
    "$s" start >> /var/log/boot.log 2>&1 || echo "boot: $s failed" >> /var/log/boot.log
done
touch /run/iotlab/boot-done
EOF
    cat > $R/etc/init.d/rcK <<'EOF'
#!/bin/sh
for s in $(ls -r /etc/init.d/S??* 2>/dev/null); do [ -x "$s" ] && "$s" stop; done
EOF
    cat > $R/etc/iotlab/functions.sh <<'EOF'
# helpers for /etc/init.d service scripts
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
svc_start() {   # svc_start NAME COMMAND...   (COMMAND must stay in the foreground)
    n=$1; shift
    if [ -f /run/iotlab/$n.pid ] && kill -0 "$(cat /run/iotlab/$n.pid)" 2>/dev/null; then echo "$n: already running"; return 0; fi
    setsid "$@" < /dev/null >> /var/log/$n.log 2>&1 &
    echo $! > /run/iotlab/$n.pid
    echo "$n: started ($!)"
}
svc_stop() {
    n=$1
    [ -f /run/iotlab/$n.pid ] && kill "$(cat /run/iotlab/$n.pid)" 2>/dev/null
    rm -f /run/iotlab/$n.pid; echo "$n: stopped"
}
svc_main() {    # svc_main NAME ACTION  (uses do_start from the script)
    case "$2" in
        start) do_start ;;
        stop) svc_stop "$1" ;;
        restart) svc_stop "$1"; sleep 1; do_start ;;
        status) if [ -f /run/iotlab/$1.pid ] && kill -0 "$(cat /run/iotlab/$1.pid)" 2>/dev/null; then echo "$1 running"; else echo "$1 stopped"; return 3; fi ;;
        *) echo "usage: $0 start|stop|restart|status"; return 2 ;;
    esac
}
EOF
    chmod 755 $R/etc/init.d/rcS $R/etc/init.d/rcK
}

# svc NAME ORDER BODY: writes /etc/init.d/S<ORDER><NAME> with do_start() { BODY }
svc() {
    local R=$1 name=$2 order=$3 body=$4
    cat > $R/etc/init.d/S$order$name <<EOF
#!/bin/sh
. /etc/iotlab/functions.sh
do_start() {
$body
}
svc_main $name "\$1"
EOF
    chmod 755 $R/etc/init.d/S$order$name
}

avahi_conf() {
    local R=$1 d=$2
    mkdir -p $R/etc/avahi/services
    cat > $R/etc/avahi/avahi-daemon.conf <<EOF
[server]
host-name=$d
domain-name=local
use-ipv4=yes
use-ipv6=no
allow-interfaces=eth0
enable-dbus=no
ratelimit-interval-usec=1000000
ratelimit-burst=1000

[wide-area]
enable-wide-area=no

[publish]
publish-hinfo=no
publish-workstation=no
publish-addresses=yes

[reflector]
enable-reflector=no
EOF
    svc $R avahi 60 '    mkdir -p /run/avahi-daemon
    svc_start avahi avahi-daemon -f /etc/avahi/avahi-daemon.conf --no-drop-root --no-chroot --no-rlimits'
}

avahi_service() {   # avahi_service ROOT FILE NAME TYPE PORT [TXT...]
    local R=$1 f=$2 name=$3 type=$4 port=$5; shift 5
    {
        echo '<?xml version="1.0" standalone="no"?>'
        echo '<!DOCTYPE service-group SYSTEM "avahi-service.dtd">'
        echo '<service-group>'
        echo "  <name>$name</name>"
        echo "  <service><type>$type</type><port>$port</port>"
        local t; for t in "$@"; do echo "    <txt-record>$t</txt-record>"; done
        echo '  </service>'
        echo '</service-group>'
    } > $R/etc/avahi/services/$f.service
}

snmpd_svc() {
    local R=$1
    mkdir -p $R/var/lib/snmp; chown Debian-snmp:Debian-snmp $R/var/lib/snmp 2>/dev/null || true
    svc $R snmpd 50 '    SNMP_PERSISTENT_DIR=/var/lib/snmp svc_start snmpd snmpd -f -Lo -C -c /etc/snmp/snmpd.conf -m "" -I -smux -u Debian-snmp -g Debian-snmp'
}

dropbear_svc() {
    local R=$1 d=$2 k
    mkdir -p $R/etc/dropbear
    for k in rsa ecdsa ed25519; do install -m 600 $CACHE/$d/dropbear_${k}_host_key $R/etc/dropbear/; done
    svc $R dropbear 20 '    svc_start dropbear dropbear -F -E -p 22 -r /etc/dropbear/dropbear_rsa_host_key -r /etc/dropbear/dropbear_ecdsa_host_key -r /etc/dropbear/dropbear_ed25519_host_key -P /run/dropbear.pid'
}

# The camera's device API on 8080: lighttpd with HTTP Digest auth and a published default login.
isapi_svc() {
    local R=$1
    mkdir -p $R/etc/isapi $R/var/www/isapi
    printf '%s:%s\n' "$CAM_DIGEST_USER" "$CAM_DIGEST_PASSWORD" > $R/etc/isapi/users
    chown root:www-data $R/etc/isapi/users; chmod 640 $R/etc/isapi/users
    printf '<deviceInfo><model>VC-2042-IR</model></deviceInfo>\n' > $R/var/www/isapi/index.html
    cat > $R/etc/isapi/lighttpd.conf <<'EOF'
server.modules = ("mod_auth", "mod_authn_file")
server.document-root = "/var/www/isapi"
server.bind = "0.0.0.0"
server.port = 8080
server.username = "www-data"
server.groupname = "www-data"
server.pid-file = "/run/isapi.pid"
server.tag = "VistaCam-ISAPI"
index-file.names = ("index.html")
auth.backend = "plain"
auth.backend.plain.userfile = "/etc/isapi/users"
auth.require = ("/" => ("method" => "digest", "realm" => "VistaCam ISAPI", "require" => "valid-user"))
EOF
    svc $R isapi 45 '    svc_start isapi lighttpd -D -f /etc/isapi/lighttpd.conf'
}

factory_cam1() {
    local R=$1
    factory_common cam1 $R /bin/sh "$CAM_ROOT_PASSWORD"
    dropbear_svc $R cam1
    isapi_svc $R
    # A vendor support account with its published default password (Mirai list), as cameras ship it.
    echo 'support:x:1001:1001:vendor support:/data:/bin/sh' >> $R/etc/passwd
    echo "support:$(openssl passwd -6 support):20000:0:99999:7:::" >> $R/etc/shadow
    # telnetd: busybox login (selected by the name "login")
    mkdir -p $R/opt/busybox
    ln -sfn /bin/busybox $R/opt/busybox/login
    printf 'VistaCam VC-2042-IR Network Camera\r\n' > $R/etc/issue.net
    printf '\nBusyBox v1.35.0 built-in shell (ash)\nVistaCam firmware V5.4.5 build 170123\n\n' > $R/etc/motd
    svc $R telnetd 30 '    svc_start telnetd busybox telnetd -F -p 23 -l /opt/busybox/login -f /etc/issue.net'
    # web admin (basic auth admin/admin, plain HTTP)
    mkdir -p $R/var/www/cgi-bin
    printf '/:%s:%s\n' "$CAM_HTTP_USER" "$CAM_HTTP_PASSWORD" > $R/etc/httpd.conf
    cat > $R/var/www/index.html <<'EOF'
<!DOCTYPE html>
<html><head><title>VistaCam VC-2042-IR - Web Admin</title></head>
<body>
<h1>VistaCam VC-2042-IR</h1>
<p>Network Camera - Firmware V5.4.5 build 170123</p>
<ul>
<li><a href="/live.html">Live view</a> (rtsp://cam1.local:554/Streaming/Channels/101)</li>
<li><a href="/config.html">Configuration</a></li>
</ul>
</body></html>
EOF
    printf '<html><body><h1>Live view</h1><p>Plugin required.</p></body></html>\n' > $R/var/www/live.html
    printf '<html><body><h1>Configuration</h1><p>Device name: cam1</p><p>Telnet: enabled</p><p>UPnP: enabled</p></body></html>\n' > $R/var/www/config.html
    svc $R httpd 40 '    svc_start httpd busybox httpd -f -v -p 80 -h /var/www -c /etc/httpd.conf -r IPCam'
    # SNMP v2c, community public
    mkdir -p $R/etc/snmp
    cat > $R/etc/snmp/snmpd.conf <<'EOF'
agentAddress udp:161
rocommunity public default
sysDescr VistaCam VC-2042-IR Network Camera, firmware V5.4.5 build 170123, Linux 3.10.0
sysObjectID .1.3.6.1.4.1.39165.1.1
sysName cam1
sysLocation Lab entrance
sysContact admin@example.invalid
sysServices 72
EOF
    snmpd_svc $R
    cam1_firmware $R
    avahi_conf $R cam1
    avahi_service $R http 'VistaCam VC-2042-IR (cam1)' _http._tcp 80 path=/
    avahi_service $R rtsp 'VistaCam VC-2042-IR stream (cam1)' _rtsp._tcp 554 path=/Streaming/Channels/101
    # RTSP stub
    cat > $R/etc/iotlab/rtsp-stub.sh <<'EOF'
#!/bin/sh
# Minimal RTSP responder: OPTIONS -> 200, anything else -> 401 Digest.
method= cseq=0
while IFS= read -r line; do
    line=$(printf '%s' "$line" | tr -d '\r')
    case "$line" in
        '')
            [ -z "$method" ] && continue
            if [ "$method" = OPTIONS ]; then
                printf 'RTSP/1.0 200 OK\r\nCSeq: %s\r\nServer: VistaCam RTSP Server/1.0\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER\r\n\r\n' "$cseq"
            else
                printf 'RTSP/1.0 401 Unauthorized\r\nCSeq: %s\r\nServer: VistaCam RTSP Server/1.0\r\nWWW-Authenticate: Digest realm="IP Camera", nonce="4f2a9c1e7b3d", stale="FALSE"\r\n\r\n' "$cseq"
            fi
            method= cseq=0 ;;
        [Cc][Ss][Ee][Qq]:*) cseq=$(echo "${line#*:}" | tr -d ' ') ;;
        *' RTSP/1.0') method=${line%% *} ;;
    esac
done
EOF
    chmod 755 $R/etc/iotlab/rtsp-stub.sh
    svc $R rtsp 70 '    svc_start rtsp socat TCP-LISTEN:554,fork,reuseaddr EXEC:/etc/iotlab/rtsp-stub.sh'
    # recordings
    mkdir -p $R/data/recordings
    local i
    for i in 1 2 3; do
        head -c $((20000 + i * 1000)) /dev/urandom > $R/data/recordings/2026-01-0${i}_080000_ch1.mp4
    done
    echo "motion detected 2026-01-02 08:03:11" > $R/data/recordings/events.log
}

# cam1 firmware: its version lives in /etc/firmware-release on the device disk; at boot S45firmware
# publishes it through SNMP (sysDescr and ENTITY-MIB entPhysicalFirmwareRev.1 via snmpd "override").
# /opt/vistacam/bin/fw-upgrade IMAGE installs an image (a tar.gz holding firmware-release for this
# model) and restarts the device's init (busybox ::restart), i.e. a reboot that keeps the disk.
cam1_firmware() {
    local R=$1
    cat > $R/etc/firmware-release <<'EOF'
VENDOR="VistaCam"
MODEL="VC-2042-IR"
VERSION="V5.4.5 build 170123"
BUILD_DATE="2017-01-23"
EOF
    mkdir -p $R/etc/firmware $R/opt/vistacam/bin
    printf 'auto_update=off\nupdate_url=http://update.vistacam.example/firmware/vc2042\n' > $R/etc/firmware/update.conf
    # the web admin shows the update settings too (behind its basic login)
    local shown='<p>Automatic updates: off</p><p>Update server: http://update.vistacam.example/firmware/vc2042</p>'
    sed -i "s#</body>#$shown</body>#" $R/var/www/config.html
    sed -i '/^sysDescr /d' $R/etc/snmp/snmpd.conf
    echo 'includeFile /etc/snmp/firmware.conf' >> $R/etc/snmp/snmpd.conf
    echo '::restart:/bin/busybox init' >> $R/etc/inittab
    cat > $R/etc/init.d/S45firmware <<'EOF'
#!/bin/sh
# Publishes the installed firmware version to the SNMP agent (read at its start).
[ "$1" = start ] || exit 0
. /etc/firmware-release
cat > /etc/snmp/firmware.conf <<CONF
sysDescr $VENDOR $MODEL Network Camera, firmware $VERSION, Linux 3.10.0
override .1.3.6.1.2.1.47.1.1.1.1.2.1 octet_str "$VENDOR $MODEL"
override .1.3.6.1.2.1.47.1.1.1.1.9.1 octet_str "$VERSION"
override .1.3.6.1.2.1.47.1.1.1.1.10.1 octet_str "$VERSION"
override .1.3.6.1.2.1.47.1.1.1.1.12.1 octet_str "$VENDOR"
override .1.3.6.1.2.1.47.1.1.1.1.13.1 octet_str "$MODEL"
CONF
echo "firmware: $VERSION"
EOF
    cat > $R/opt/vistacam/bin/fw-upgrade <<'EOF'
#!/bin/sh
# fw-upgrade IMAGE: installs a VistaCam firmware image and reboots. Exit 2: bad image, 3: wrong model.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
img=${1:-/tmp/firmware.img}
log() { echo "$(date -u +%FT%TZ) $*" >> /var/log/firmware.log; echo "$*"; }
[ -f "$img" ] || { log "fw-upgrade: no image at $img"; exit 2; }
work=$(mktemp -d /tmp/fw.XXXXXX) || exit 2
trap 'rm -rf "$work"' EXIT
if ! tar -xzf "$img" -C "$work" firmware-release 2>/dev/null; then
    log "fw-upgrade: $img is not a firmware image"; rm -f "$img"; exit 2
fi
new_model=$(sed -n 's/^MODEL="\(.*\)"$/\1/p' "$work/firmware-release")
new_version=$(sed -n 's/^VERSION="\(.*\)"$/\1/p' "$work/firmware-release")
. /etc/firmware-release
[ "$new_model" = "$MODEL" ] || { log "fw-upgrade: image is for '$new_model', device is '$MODEL'"; exit 3; }
[ -n "$new_version" ] || { log "fw-upgrade: image names no version"; exit 2; }
cp "$work/firmware-release" /etc/firmware-release.new && mv /etc/firmware-release.new /etc/firmware-release
rm -f "$img"
log "fw-upgrade: installed $new_version (was $VERSION); rebooting"
setsid sh -c 'sleep 1; kill -QUIT 1' </dev/null >/dev/null 2>&1 &
exit 0
EOF
    chmod 755 $R/etc/init.d/S45firmware $R/opt/vistacam/bin/fw-upgrade
}

factory_hvac1() {
    local R=$1
    factory_common hvac1 $R /bin/bash '*'
    # OpenSSH, key only, modern algorithms only
    local k
    for k in ed25519 rsa; do
        install -m 600 $CACHE/hvac1/ssh_host_${k}_key $R/etc/ssh/
        install -m 644 $CACHE/hvac1/ssh_host_${k}_key.pub $R/etc/ssh/
    done
    mkdir -p $R/root/.ssh; chmod 700 $R/root/.ssh
    install -m 600 $CACHE/hvac1_root_ed25519.pub $R/root/.ssh/authorized_keys
    cat > $R/etc/ssh/sshd_config <<'EOF'
Port 48022
AddressFamily inet
ListenAddress 0.0.0.0
HostKey /etc/ssh/ssh_host_ed25519_key
HostKey /etc/ssh/ssh_host_rsa_key
KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org
Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com
MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com
HostKeyAlgorithms ssh-ed25519,rsa-sha2-512,rsa-sha2-256
PubkeyAcceptedAlgorithms ssh-ed25519,rsa-sha2-512,rsa-sha2-256
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitEmptyPasswords no
UsePAM no
LoginGraceTime 30
MaxAuthTries 3
X11Forwarding no
AllowAgentForwarding no
AllowTcpForwarding no
PermitTunnel no
PrintMotd no
PidFile /run/sshd.pid
Subsystem sftp internal-sftp
EOF
    svc $R sshd 20 '    mkdir -p /run/sshd; chmod 755 /run/sshd
    svc_start sshd /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config'
    # lighttpd, HTTPS only
    mkdir -p $R/etc/lighttpd/tls $R/var/log/lighttpd $R/var/www
    install -m 600 $CACHE/hvac1/tls-key.pem $R/etc/lighttpd/tls/key.pem
    install -m 644 $CACHE/hvac1/tls-cert.pem $R/etc/lighttpd/tls/cert.pem
    printf '%s:%s\n' "$HVAC_HTTPS_USER" "$(openssl passwd -apr1 "$HVAC_HTTPS_PASSWORD")" > $R/etc/lighttpd/htpasswd
    chown root:www-data $R/etc/lighttpd/htpasswd; chmod 640 $R/etc/lighttpd/htpasswd
    chown www-data:www-data $R/var/log/lighttpd
    cat > $R/etc/lighttpd/lighttpd.conf <<'EOF'
server.modules = ("mod_openssl", "mod_auth", "mod_authn_file", "mod_setenv", "mod_accesslog")
server.document-root = "/var/www"
server.bind = "0.0.0.0"
server.port = 443
server.username = "www-data"
server.groupname = "www-data"
server.pid-file = "/run/lighttpd.pid"
server.errorlog = "/var/log/lighttpd/error.log"
accesslog.filename = "/var/log/lighttpd/access.log"
server.tag = "BMS-4000"
index-file.names = ("index.html")
mimetype.assign = (".html" => "text/html", ".json" => "application/json", ".css" => "text/css")
ssl.engine = "enable"
ssl.pemfile = "/etc/lighttpd/tls/cert.pem"
ssl.privkey = "/etc/lighttpd/tls/key.pem"
ssl.openssl.ssl-conf-cmd = ("MinProtocol" => "TLSv1.2", "CipherString" => "ECDHE+AESGCM:ECDHE+CHACHA20")
auth.backend = "htpasswd"
auth.backend.htpasswd.userfile = "/etc/lighttpd/htpasswd"
auth.require = ("/" => ("method" => "basic", "realm" => "BMS-4000", "require" => "valid-user"))
setenv.add-response-header = ("Strict-Transport-Security" => "max-age=31536000", "X-Content-Type-Options" => "nosniff", "X-Frame-Options" => "DENY")
EOF
    cat > $R/var/www/index.html <<'EOF'
<!DOCTYPE html>
<html><head><title>BMS-4000 Building Controller</title></head>
<body><h1>BMS-4000 Building Automation Controller</h1>
<p>Firmware 3.2.1 (build 2024-05-14)</p><p>Zone AHU-1 supply air 18.5 C</p></body></html>
EOF
    printf '{"device":"hvac1","model":"BMS-4000","firmware":"3.2.1"}\n' > $R/var/www/status.json
    svc $R lighttpd 40 '    svc_start lighttpd lighttpd -D -f /etc/lighttpd/lighttpd.conf'
    # SNMPv3 only (no community lines at all)
    mkdir -p $R/etc/snmp
    cat > $R/etc/snmp/snmpd.conf <<EOF
agentAddress udp:161
createUser $HVAC_SNMP_USER SHA "$HVAC_SNMP_AUTH_PASS" AES "$HVAC_SNMP_PRIV_PASS"
rouser -s usm $HVAC_SNMP_USER priv
sysDescr BMS-4000 Building Automation Controller, firmware 3.2.1 (build 2024-05-14), BACnet/IP
sysObjectID .1.3.6.1.4.1.32473.47.2
sysName hvac1
sysLocation Plant room B1
sysContact facility@example.invalid
sysServices 72
EOF
    chmod 600 $R/etc/snmp/snmpd.conf
    snmpd_svc $R
    avahi_conf $R hvac1
    avahi_service $R https 'BMS-4000 controller (hvac1)' _https._tcp 443 path=/
    # Like avahi's stock ssh.service: the key-only SSH port is advertised, so discovery knows it.
    avahi_service $R ssh 'BMS-4000 controller (hvac1)' _ssh._tcp 48022
    mkdir -p $R/data/trends
    printf 'time,ahu1_supply_c\n2026-01-01T00:00Z,18.4\n2026-01-01T00:15Z,18.6\n' > $R/data/trends/ahu1.csv
}

factory_gw1() {
    local R=$1
    factory_common gw1 $R /bin/sh "$GW_ROOT_PASSWORD"
    dropbear_svc $R gw1
    # firewall first, then miniupnpd
    mkdir -p $R/etc/nftables $R/etc/miniupnpd
    cat > $R/etc/nftables/miniupnpd.nft <<'EOF'
table inet filter {
    chain forward { type filter hook forward priority 0; policy drop; jump miniupnpd; }
    chain miniupnpd { }
    chain prerouting { type nat hook prerouting priority -100; jump prerouting_miniupnpd; }
    chain postrouting { type nat hook postrouting priority 100; jump postrouting_miniupnpd; }
    chain prerouting_miniupnpd { }
    chain postrouting_miniupnpd { }
}
EOF
    svc $R firewall 10 '    nft delete table inet filter 2>/dev/null
    nft -f /etc/nftables/miniupnpd.nft && echo "firewall: loaded"'
    cat > $R/etc/miniupnpd/miniupnpd.conf <<EOF
ext_ifname=wan0
# wan0 has a CGNAT address, for which miniupnpd refuses every mapping; declare a public one (never
# contacted) so LAN hosts can open ports, as on a real consumer router.
ext_ip=81.47.0.13
listening_ip=eth0
http_port=5000
enable_upnp=yes
enable_natpmp=yes
secure_mode=no
ipv6_disable=yes
system_uptime=yes
notify_interval=30
clean_ruleset_interval=600
uuid=5a3f6c2e-4b7d-4e21-9c8a-0247000000d1
friendly_name=HomeGate HG-3000 (gw1)
manufacturer_name=HomeGate Networks
manufacturer_url=http://www.example.com/
model_name=HG-3000
model_description=HomeGate HG-3000 IoT Gateway
model_number=2.1.7
model_url=http://www.example.com/hg3000
serial=HG3K47013
presentation_url=http://${DEV_IP[gw1]}/
allow 1024-65535 $SUBNET 1024-65535
deny 0-65535 0.0.0.0/0 0-65535
EOF
    svc $R miniupnpd 30 '    svc_start miniupnpd miniupnpd -d -f /etc/miniupnpd/miniupnpd.conf -P /run/miniupnpd.pid'
    mkdir -p $R/etc/mosquitto
    cat > $R/etc/mosquitto/mosquitto.conf <<'EOF'
per_listener_settings false
listener 1883 0.0.0.0
allow_anonymous true
persistence false
log_dest stdout
user mosquitto
EOF
    svc $R mosquitto 40 '    svc_start mosquitto mosquitto -c /etc/mosquitto/mosquitto.conf
    ( i=0; while [ $i -lt 50 ]; do
          mosquitto_pub -h 127.0.0.1 -r -t gw1/status -m online 2>/dev/null && break
          i=$((i+1)); sleep 0.1
      done
      mosquitto_pub -h 127.0.0.1 -r -t gw1/firmware -m "HG-3000 2.1.7"
      mosquitto_pub -h 127.0.0.1 -r -t home/livingroom/temperature -m 21.5
      mosquitto_pub -h 127.0.0.1 -r -t home/frontdoor/lock -m unlocked ) >/dev/null 2>&1 &'
    # A second broker on 1884 that wants a login (published default), beside the anonymous one.
    cat > $R/etc/mosquitto/auth.conf <<'EOF'
per_listener_settings false
listener 1884 0.0.0.0
allow_anonymous false
password_file /etc/mosquitto/passwd
persistence false
log_dest stdout
user mosquitto
EOF
    mosquitto_passwd -b -c $R/etc/mosquitto/passwd "$GW_MQTT_USER" "$GW_MQTT_PASSWORD" >/dev/null 2>&1
    chown mosquitto:mosquitto $R/etc/mosquitto/passwd 2>/dev/null || true; chmod 600 $R/etc/mosquitto/passwd
    svc $R mqttauth 41 '    svc_start mqttauth mosquitto -c /etc/mosquitto/auth.conf'
    avahi_conf $R gw1
    avahi_service $R mqtt 'HomeGate HG-3000 MQTT (gw1)' _mqtt._tcp 1883
    mkdir -p $R/data
    printf 'zigbee 00:17:88:01:02:03:04:05 hue-lamp-1\nzigbee 00:15:8d:00:01:02:03:04 door-lock\n' > $R/data/paired-devices.txt
}

ensure_disk() {
    local d=$1 R=$STATE/$d
    [ -f $R/.factory-done ] && return 0
    rm -rf $R
    mkdir -p $R
    factory_$d $R
    date -u +%FT%TZ > $R/.factory-done
}

# ---------------------------------------------------------------- network
ensure_bridge() {
    if ! ip link show $BR >/dev/null 2>&1; then
        ip link add $BR type bridge stp_state 0 mcast_snooping 0
    fi
    ip link set $BR type bridge stp_state 0 mcast_snooping 0
    sysctl -qw net.ipv6.conf.$BR.disable_ipv6=1
    ip addr replace $BR_IP/24 dev $BR
    ip link set $BR up
    ip route replace 224.0.0.0/4 dev $BR
}

ensure_netns() {
    local d=$1 ns=iotlab-$1 host=il-$1
    [ -e /run/netns/$ns ] || ip netns add $ns
    nsx $d sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    nsx $d ip link set lo up
    if ! nsx $d ip link show eth0 >/dev/null 2>&1; then
        ip link del $host 2>/dev/null || true
        ip link add $host type veth peer name eth0 netns $ns
    fi
    sysctl -qw net.ipv6.conf.$host.disable_ipv6=1 2>/dev/null || true
    ip link set $host master $BR up
    nsx $d ip link set eth0 address ${DEV_MAC[$d]}
    nsx $d ip addr replace ${DEV_IP[$d]}/24 dev eth0
    nsx $d ip link set eth0 up
    nsx $d ip route replace 224.0.0.0/4 dev eth0
    if [ $d = gw1 ] && ! nsx $d ip link show wan0 >/dev/null 2>&1; then
        nsx $d ip link add wan0 type veth peer name wan0-isp
    fi
    if [ $d = gw1 ]; then
        nsx $d ip addr replace $GW_WAN_IP/24 dev wan0
        nsx $d ip link set wan0 up
        nsx $d ip link set wan0-isp up
    fi
}

# ---------------------------------------------------------------- device processes
dev_pids() { ip netns pids iotlab-$1 2>/dev/null || true; }

dev_init_pid() {   # PID (host view) of the device's busybox init, empty if not running
    local p c
    p=$(cat $RUNDIR/$1.pid 2>/dev/null) || return 0
    [ -n "$p" ] && [ -d /proc/$p ] || return 0
    [ "$(ip netns identify $p 2>/dev/null)" = iotlab-$1 ] || return 0
    c=$(cat /proc/$p/task/$p/children 2>/dev/null | awk '{print $1}')
    [ -n "$c" ] && grep -q 'busybox' /proc/$c/cmdline 2>/dev/null && echo "$c"
    return 0
}

dev_kill() {   # power-cut: SIGKILL everything in the device's network namespace
    local d=$1 i pids
    for i in $(seq 1 50); do
        pids=$(dev_pids $d)
        [ -z "$pids" ] && break
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null || true
        sleep 0.1
    done
    [ -z "$(dev_pids $d)" ] || die "could not stop the processes of $d: $(dev_pids $d | tr '\n' ' ')"
    rm -f $RUNDIR/$d.pid
}

# Closes every descriptor above stderr that this shell inherited or opened (our own lock on fd 9
# included). A device's processes must hold none of them: a lock taken by `flock FILE lab.sh ...`
# would otherwise stay held for as long as the device runs. Bash keeps its script on fd 255.
close_inherited_fds() {
    local f
    for f in /proc/$BASHPID/fd/*; do
        f=${f##*/}
        if [ "$f" -gt 2 ] && [ "$f" -ne 255 ]; then eval "exec $f>&-" 2>/dev/null || true; fi
    done
}

dev_start() {
    local d=$1
    mkdir -p $RUNDIR
    (
        close_inherited_fds
        exec setsid ip netns exec iotlab-$d unshare --pid --fork --kill-child --mount --uts --ipc \
            --propagation private "$SELF" __devinit $d
    ) </dev/null >>$RUNDIR/$d.console 2>&1 &
    echo $! > $RUNDIR/$d.pid
}

# Runs as PID 1 of the device's PID namespace, in its own mount namespace: builds the
# device's root from its disk plus read-only system directories, pivots into it and
# becomes busybox init, which runs the device's own /etc/init.d/rcS.
devinit() {
    local d=$1 R=$STATE/$1 f
    hostname "$(cat $R/etc/hostname 2>/dev/null || echo $d)"
    mount --bind $R $R
    for f in usr bin sbin lib lib64; do
        [ -d /$f ] && [ ! -L /$f ] || continue
        mkdir -p $R/$f
        mount --bind /$f $R/$f
        mount -o remount,bind,ro $R/$f
    done
    mount -t tmpfs -o mode=755,size=32m tmpfs $R/run
    mount -t tmpfs -o mode=1777,size=64m tmpfs $R/tmp
    mount -t tmpfs -o mode=755,size=1m tmpfs $R/dev
    mknod -m 666 $R/dev/null c 1 3; mknod -m 666 $R/dev/zero c 1 5; mknod -m 666 $R/dev/full c 1 7
    mknod -m 666 $R/dev/random c 1 8; mknod -m 666 $R/dev/urandom c 1 9; mknod -m 666 $R/dev/tty c 5 0
    mkdir -p $R/dev/pts $R/dev/shm
    mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts $R/dev/pts
    ln -s pts/ptmx $R/dev/ptmx; ln -s /proc/self/fd $R/dev/fd
    ln -s /proc/self/fd/0 $R/dev/stdin; ln -s /proc/self/fd/1 $R/dev/stdout; ln -s /proc/self/fd/2 $R/dev/stderr
    mount -t proc proc $R/proc
    for f in sys sysrq-trigger irq bus; do   # host-wide knobs stay read-only
        [ -e $R/proc/$f ] || continue
        mount --bind $R/proc/$f $R/proc/$f && mount -o remount,bind,ro $R/proc/$f
    done
    mount -t sysfs -o ro sysfs $R/sys 2>/dev/null || true
    cd $R
    mkdir -p .oldroot
    pivot_root . .oldroot
    cd /
    umount -l /.oldroot
    rmdir /.oldroot
    # Device root may not mount, mknod, load modules, set the clock or open files by handle:
    # its changes stay on its own disk and network namespace.
    exec setpriv --bounding-set "$DEV_DROP_CAPS" \
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb /bin/busybox init
}

svc_enabled() {   # is /etc/init.d/S??NAME executable on the device's disk?
    local f
    for f in $STATE/$1/etc/init.d/S??$2; do [ -x "$f" ] && return 0; done
    return 1
}

# A listening port 5353 is not enough: avahi probes its names for about a second before it answers
# queries and announces the services, and discovery right after a restart would miss the device.
avahi_ready() {
    local log=$STATE/$1/var/log/avahi.log n
    n=$(ls $STATE/$1/etc/avahi/services/*.service 2>/dev/null | wc -l)
    [ -f $log ] && awk -v want=$n '/ starting up/ { up = 0; services = 0 }
        /Server startup complete/ { up = 1 } /successfully established/ { services++ }
        END { exit !(up && services >= want) }' $log
}

dev_wait_ready() {   # bounded wait until the device booted and its ports listen
    local d=$1 deadline=$(( $(date +%s) + ${2:-25} )) c p ok lt lu
    while [ "$(date +%s)" -lt $deadline ]; do
        c=$(dev_init_pid $d)
        if [ -n "$c" ] && [ -e /proc/$c/root/run/iotlab/boot-done ]; then
            ok=1
            lt=$(nsx $d ss -Hltn 2>/dev/null | awk '{print $4}')
            lu=$(nsx $d ss -Hlun 2>/dev/null | awk '{print $4}')
            for p in ${DEV_TCP[$d]}; do svc_enabled $d ${p#*:} || continue; echo "$lt" | grep -q ":${p%%:*}\$" || ok=0; done
            for p in ${DEV_UDP[$d]}; do svc_enabled $d ${p#*:} || continue; echo "$lu" | grep -q ":${p%%:*}\$" || ok=0; done
            if svc_enabled $d avahi && ! avahi_ready $d; then ok=0; fi
            [ $ok = 1 ] && return 0
        fi
        sleep 0.1
    done
    echo "lab.sh: $d did not come up in time; console log:" >&2
    tail -n 20 $RUNDIR/$d.console >&2 || true
    tail -n 20 $STATE/$d/var/log/boot.log >&2 || true
    return 1
}

# ---------------------------------------------------------------- lab.json
write_json() {
    local tmp=$STATE/lab.json.tmp
    umask 077
    CAM_ROOT_PASSWORD=$CAM_ROOT_PASSWORD CAM_HTTP_USER=$CAM_HTTP_USER CAM_HTTP_PASSWORD=$CAM_HTTP_PASSWORD \
    CAM_DIGEST_USER=$CAM_DIGEST_USER CAM_DIGEST_PASSWORD=$CAM_DIGEST_PASSWORD GW_MQTT_USER=$GW_MQTT_USER \
    GW_MQTT_PASSWORD=$GW_MQTT_PASSWORD \
    GW_ROOT_PASSWORD=$GW_ROOT_PASSWORD HVAC_HTTPS_USER=$HVAC_HTTPS_USER HVAC_HTTPS_PASSWORD=$HVAC_HTTPS_PASSWORD \
    HVAC_SNMP_USER=$HVAC_SNMP_USER HVAC_SNMP_AUTH_PASS=$HVAC_SNMP_AUTH_PASS HVAC_SNMP_PRIV_PASS=$HVAC_SNMP_PRIV_PASS \
    STATE=$STATE CACHE=$CACHE BR=$BR BR_IP=$BR_IP SUBNET=$SUBNET GW_WAN_IP=$GW_WAN_IP \
    $PY - > $tmp <<'EOF'
import json, os, datetime
e = os.environ
def svc(name, proto, port, product, tls=False, auth=None):
    s = {"name": name, "protocol": proto, "port": port, "product": product, "tls": tls}
    if auth: s["auth"] = auth
    return s
lab = {
  "schemaVersion": 1,
  "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
  "bridge": {"name": e["BR"], "address": e["BR_IP"], "subnet": e["SUBNET"]},
  "stateDir": e["STATE"],
  "knownHostsFile": e["STATE"] + "/known_hosts",
  "devices": [
    {
      "name": "cam1", "address": "10.47.0.11", "mac": "02:47:00:00:00:11", "netns": "iotlab-cam1",
      "profile": "Camera", "hostName": "cam1.local",
      "vendor": "VistaCam", "model": "VC-2042-IR", "firmware": "V5.4.5 build 170123",
      "sysDescr": "VistaCam VC-2042-IR Network Camera, firmware V5.4.5 build 170123, Linux 3.10.0",
      "sysObjectID": "1.3.6.1.4.1.39165.1.1",
      "services": [
        svc("ssh", "tcp", 22, "dropbear", auth="password"),
        svc("telnet", "tcp", 23, "busybox-telnetd", auth="password"),
        svc("http", "tcp", 80, "busybox-httpd", auth="basic"),
        svc("rtsp", "tcp", 554, "rtsp-stub", auth="digest"),
        svc("snmp", "udp", 161, "net-snmp", auth="v2c-community"),
        svc("mdns", "udp", 5353, "avahi"),
      ],
      "mdnsServices": [{"type": "_http._tcp", "port": 80}, {"type": "_rtsp._tcp", "port": 554}],
      "credentials": {
        "ssh": {"user": "root", "password": e["CAM_ROOT_PASSWORD"], "port": 22},
        "telnet": {"user": "root", "password": e["CAM_ROOT_PASSWORD"], "port": 23},
        "http": {"user": e["CAM_HTTP_USER"], "password": e["CAM_HTTP_PASSWORD"], "port": 80, "scheme": "http"},
        "snmp": {"version": "2c", "community": "public"},
        "httpDigest": {"user": e["CAM_DIGEST_USER"], "password": e["CAM_DIGEST_PASSWORD"], "port": 8080,
                       "scheme": "http"},
      },
      "weaknesses": ["default-root-password", "telnet-enabled", "http-without-tls", "default-web-credentials",
                     "snmp-v2c-public-community", "ssh-password-login"],
      "disk": e["STATE"] + "/cam1",
    },
    {
      "name": "hvac1", "address": "10.47.0.12", "mac": "02:47:00:00:00:12", "netns": "iotlab-hvac1",
      "profile": "BuildingControl", "hostName": "hvac1.local",
      "vendor": "Example Building Systems", "model": "BMS-4000", "firmware": "3.2.1",
      "sysDescr": "BMS-4000 Building Automation Controller, firmware 3.2.1 (build 2024-05-14), BACnet/IP",
      "sysObjectID": "1.3.6.1.4.1.32473.47.2",
      "services": [
        svc("ssh", "tcp", 48022, "openssh", auth="publickey"),
        svc("https", "tcp", 443, "lighttpd", tls=True, auth="basic"),
        svc("snmp", "udp", 161, "net-snmp", auth="v3-authPriv"),
        svc("mdns", "udp", 5353, "avahi"),
      ],
      "mdnsServices": [{"type": "_https._tcp", "port": 443}, {"type": "_ssh._tcp", "port": 48022}],
      "credentials": {
        "ssh": {"user": "root", "port": 48022, "privateKeyPath": e["CACHE"] + "/hvac1_root_ed25519"},
        "https": {"user": e["HVAC_HTTPS_USER"], "password": e["HVAC_HTTPS_PASSWORD"], "port": 443, "scheme": "https",
                  "certificatePath": e["CACHE"] + "/hvac1/tls-cert.pem"},
        "snmp": {"version": "3", "user": e["HVAC_SNMP_USER"], "securityLevel": "authPriv",
                 "authProtocol": "SHA", "authPassphrase": e["HVAC_SNMP_AUTH_PASS"],
                 "privProtocol": "AES", "privPassphrase": e["HVAC_SNMP_PRIV_PASS"]},
      },
      "weaknesses": [],
      "disk": e["STATE"] + "/hvac1",
    },
    {
      "name": "gw1", "address": "10.47.0.13", "mac": "02:47:00:00:00:13", "netns": "iotlab-gw1",
      "profile": "Gateway", "hostName": "gw1.local",
      "vendor": "HomeGate Networks", "model": "HG-3000", "firmware": "2.1.7",
      "wanAddress": e["GW_WAN_IP"],
      "services": [
        svc("ssh", "tcp", 22, "dropbear", auth="password"),
        svc("mqtt", "tcp", 1883, "mosquitto", auth="anonymous"),
        svc("upnp-http", "tcp", 5000, "miniupnpd"),
        svc("ssdp", "udp", 1900, "miniupnpd"),
        svc("nat-pmp", "udp", 5351, "miniupnpd"),
        svc("mdns", "udp", 5353, "avahi"),
      ],
      "mdnsServices": [{"type": "_mqtt._tcp", "port": 1883}],
      "upnp": {"location": "http://10.47.0.13:5000/rootDesc.xml",
               "deviceType": "urn:schemas-upnp-org:device:InternetGatewayDevice:2"},
      "credentials": {
        "ssh": {"user": "root", "password": e["GW_ROOT_PASSWORD"], "port": 22},
        "mqtt": {"anonymous": True, "port": 1883},
        "mqttAuth": {"user": e["GW_MQTT_USER"], "password": e["GW_MQTT_PASSWORD"], "port": 1884},
      },
      "weaknesses": ["mqtt-anonymous", "upnp-igd-enabled", "nat-pmp-enabled", "ssh-password-login"],
      "disk": e["STATE"] + "/gw1",
    },
  ],
}
print(json.dumps(lab, indent=2))
EOF
    umask 022
    chmod 600 $tmp
    mv $tmp $STATE/lab.json
}

# ---------------------------------------------------------------- commands
cmd_up() {
    local t0 d started=()
    t0=$(now)
    check_tools
    mkdir -p $STATE $RUNDIR; chmod 700 $STATE
    load_secrets
    make_keys
    ensure_bridge
    for d in "${DEVICES[@]}"; do
        ensure_netns $d
        ensure_disk $d
        if [ -z "$(dev_init_pid $d)" ]; then
            [ -n "$(dev_pids $d)" ] && dev_kill $d
            dev_start $d
            started+=($d)
        fi
    done
    for d in "${started[@]}"; do
        dev_wait_ready $d 25 || die "device $d failed to boot (see $STATE/$d/var/log/)"
    done
    write_json
    [ ${#started[@]} -gt 0 ] && say "started: ${started[*]}" || say "all devices were already running"
    echo "lab up in $(elapsed $t0) s"
}

cmd_down() {
    local t0 d
    t0=$(now)
    for d in "${DEVICES[@]}"; do
        [ -e /run/netns/iotlab-$d ] && dev_kill $d
        ip netns del iotlab-$d 2>/dev/null || true
        ip link del il-$d 2>/dev/null || true
        rm -rf "${STATE:?}/$d"
    done
    ip link del $BR 2>/dev/null || true
    ip route del 224.0.0.0/4 dev $BR 2>/dev/null || true
    rm -rf $RUNDIR $STATE/lab.json $STATE/secrets.env $STATE/known_hosts $STATE/*.tmp
    # anything left?
    local left=""
    for d in "${DEVICES[@]}"; do [ -e /run/netns/iotlab-$d ] && left+=" netns:iotlab-$d"; done
    ip link show $BR >/dev/null 2>&1 && left+=" bridge:$BR"
    grep -q iotlab /proc/mounts && left+=" mounts"
    [ -z "$left" ] || die "down left behind:$left"
    echo "lab down in $(elapsed $t0) s"
}

cmd_restart() {
    local d=${1:-} t0
    [ -n "$d" ] && [ -n "${DEV_IP[$d]:-}" ] || die "usage: lab.sh restart cam1|hvac1|gw1"
    [ -e /run/netns/iotlab-$d ] && [ -f $STATE/$d/.factory-done ] || die "$d is not set up: run 'lab.sh up' first"
    t0=$(now)
    dev_kill $d
    ensure_netns $d
    dev_start $d
    dev_wait_ready $d 25 || die "device $d failed to boot after restart"
    echo "$d restarted in $(elapsed $t0) s"
}

cmd_reset() {   # factory reset: the device's disk is rebuilt from scratch, then it boots
    local d=${1:-} t0
    [ -n "$d" ] && [ -n "${DEV_IP[$d]:-}" ] || die "usage: lab.sh reset cam1|hvac1|gw1"
    [ -e /run/netns/iotlab-$d ] || die "$d is not set up: run 'lab.sh up' first"
    t0=$(now)
    load_secrets
    dev_kill $d
    rm -rf "${STATE:?}/$d"
    ensure_disk $d
    ensure_netns $d
    dev_start $d
    dev_wait_ready $d 25 || die "device $d failed to boot after reset"
    echo "$d reset to factory state in $(elapsed $t0) s"
}

cmd_rekey() {   # new SSH host keys on the device's disk only (the cache keeps the factory keys), then reboot
    local d=${1:-} R k
    [ -n "$d" ] && [ -n "${DEV_IP[$d]:-}" ] || die "usage: lab.sh rekey cam1|hvac1|gw1"
    [ -e /run/netns/iotlab-$d ] && [ -f $STATE/$d/.factory-done ] || die "$d is not set up: run 'lab.sh up' first"
    R=$STATE/$d
    if [ "$d" = hvac1 ]; then
        for k in ed25519 rsa; do
            rm -f $R/etc/ssh/ssh_host_${k}_key $R/etc/ssh/ssh_host_${k}_key.pub
            ssh-keygen -q -t $k -N '' -C "$d-rekeyed" -f $R/etc/ssh/ssh_host_${k}_key
        done
    else
        for k in rsa ecdsa ed25519; do
            rm -f $R/etc/dropbear/dropbear_${k}_host_key
            case $k in
                rsa) dropbearkey -t rsa -s 2048 -f $R/etc/dropbear/dropbear_${k}_host_key >/dev/null 2>&1 ;;
                ecdsa) dropbearkey -t ecdsa -s 256 -f $R/etc/dropbear/dropbear_${k}_host_key >/dev/null 2>&1 ;;
                ed25519) dropbearkey -t ed25519 -f $R/etc/dropbear/dropbear_${k}_host_key >/dev/null 2>&1 ;;
            esac
        done
    fi
    cmd_restart $d >/dev/null
    echo "$d has new SSH host keys ('lab.sh reset $d' restores the factory keys)"
}

cmd_status() {
    local d c n
    if ip link show $BR >/dev/null 2>&1; then
        echo "bridge $BR: $(ip -br addr show $BR | awk '{print $2, $3}')"
    else
        echo "bridge $BR: absent (lab is down)"
    fi
    for d in "${DEVICES[@]}"; do
        if [ ! -e /run/netns/iotlab-$d ]; then echo "$d: down"; continue; fi
        c=$(dev_init_pid $d); n=$(dev_pids $d | wc -l)
        if [ -n "$c" ]; then
            echo "$d (${DEV_PROFILE[$d]}, ${DEV_IP[$d]}): running, init pid $c, $n processes"
        else
            echo "$d (${DEV_PROFILE[$d]}, ${DEV_IP[$d]}): NOT running ($n processes)"
        fi
        echo "   tcp: $(nsx $d ss -Hltn 2>/dev/null | awk '{sub(/.*:/,"",$4); print $4}' | sort -nu | tr '\n' ' ')"
        echo "   udp: $(nsx $d ss -Hlun 2>/dev/null | awk '{sub(/.*:/,"",$4); print $4}' | sort -nu | tr '\n' ' ')"
    done
    [ -f $STATE/lab.json ] && echo "facts: $STATE/lab.json"
    return 0
}

cmd_env() {
    echo "IOTLAB_BRIDGE=$BR"
    echo "IOTLAB_BRIDGE_ADDRESS=$BR_IP"
    echo "IOTLAB_SUBNET=$SUBNET"
    echo "IOTLAB_JSON=$STATE/lab.json"
}

# ---------------------------------------------------------------- verify / selftest
FAILS=0
check() {   # check NAME COMMAND...
    local name=$1 out; shift
    if out=$("$@" 2>&1); then
        printf 'PASS  %s\n' "$name"
    else
        printf 'FAIL  %s\n' "$name"; FAILS=$((FAILS + 1))
        [ -n "$out" ] && printf '%s\n' "$out" | tail -n 5 | sed 's/^/      /'
    fi
}
SSHO=(-o BatchMode=no -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=5)
ssh_cam() { SSHPASS=$CAM_ROOT_PASSWORD timeout 15 sshpass -e ssh "${SSHO[@]}" -o PubkeyAuthentication=no root@${DEV_IP[cam1]} "$@"; }
ssh_hvac() { timeout 15 ssh "${SSHO[@]}" -o BatchMode=yes -i $CACHE/hvac1_root_ed25519 -p 48022 root@${DEV_IP[hvac1]} "$@"; }
ssh_gw() { SSHPASS=$GW_ROOT_PASSWORD timeout 15 sshpass -e ssh "${SSHO[@]}" -o PubkeyAuthentication=no root@${DEV_IP[gw1]} "$@"; }
expect() { local pat=$1; shift; local o; o=$("$@" 2>&1) || { echo "$o"; return 1; }; echo "$o" | grep -qE -- "$pat" || { echo "$o"; return 1; }; }
not() { ! "$@"; }
ssh_probe_none() { timeout 10 ssh "${SSHO[@]}" -o BatchMode=yes -o PreferredAuthentications=none -p $2 root@$1 true 2>&1 || true; }
tcp_open() { timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

load_facts() {
    [ -s $STATE/secrets.env ] || die "lab is not up (no $STATE/secrets.env): run 'lab.sh up'"
    # shellcheck disable=SC1090
    . $STATE/secrets.env
}

cmd_verify() {
    load_facts
    local t0; t0=$(now)
    local cam=${DEV_IP[cam1]} hvac=${DEV_IP[hvac1]} gw=${DEV_IP[gw1]}
    check "cam1 snmpget v2c public sysDescr" expect 'VistaCam.*V5\.4\.5' snmpget -v2c -c public -t 2 -r 1 -On $cam .1.3.6.1.2.1.1.1.0
    check "cam1 sysObjectID under 39165" expect '39165' snmpget -v2c -c public -t 2 -r 1 -On $cam .1.3.6.1.2.1.1.2.0
    check "hvac1 snmpget v3 authPriv" expect 'BMS-4000' snmpget -v3 -l authPriv -u "$HVAC_SNMP_USER" -a SHA -A "$HVAC_SNMP_AUTH_PASS" \
        -x AES -X "$HVAC_SNMP_PRIV_PASS" -t 2 -r 1 -On $hvac .1.3.6.1.2.1.1.1.0
    check "hvac1 ignores v2c public" not snmpget -v2c -c public -t 1 -r 0 $hvac .1.3.6.1.2.1.1.1.0
    check "hvac1 ssh key login (48022)" expect '^hvac1$' ssh_hvac hostname
    check "hvac1 ssh offers publickey only" expect 'Permission denied \(publickey\)' ssh_probe_none $hvac 48022
    check "cam1 ssh root password (sshpass)" expect '^cam1$' ssh_cam hostname
    check "cam1 ssh lands in device root" expect 'recordings' ssh_cam 'ls /data; test ! -e /work'
    check "gw1 ssh root password (sshpass)" expect '^gw1$' ssh_gw hostname
    check "cam1 http basic admin:admin" expect 'VC-2042-IR' curl -sS -f -m 5 -u "$CAM_HTTP_USER:$CAM_HTTP_PASSWORD" http://$cam/
    check "cam1 http without creds is 401" expect '^401$' curl -sS -o /dev/null -w '%{http_code}' -m 5 http://$cam/
    check "hvac1 https basic (self-signed)" expect 'BMS-4000' curl -sS -f -k -m 5 -u "$HVAC_HTTPS_USER:$HVAC_HTTPS_PASSWORD" https://$hvac/
    check "hvac1 https refuses TLS 1.1" not curl -sS -k -m 5 --tls-max 1.1 -o /dev/null https://$hvac/
    check "hvac1 nothing on port 80" not tcp_open $hvac 80
    check "cam1 telnet port 23 open" tcp_open $cam 23
    check "hvac1 telnet port 23 closed" not tcp_open $hvac 23
    check "cam1 telnet login root" $PY $LAB_DIR/labnet.py telnet-login $cam root "$CAM_ROOT_PASSWORD"
    check "cam1 rtsp OPTIONS" expect 'RTSP/1.0 200 OK' $PY $LAB_DIR/labnet.py rtsp-options $cam
    check "gw1 mqtt anonymous pub/sub" mqtt_roundtrip $gw
    check "gw1 mqtt retained topics" expect 'HG-3000' timeout 5 mosquitto_sub -h $gw -t gw1/firmware -C 1 -W 4
    check "cam1 http digest device API (8080)" expect 'VC-2042-IR' curl -sS -f -m 5 --digest \
        -u "$CAM_DIGEST_USER:$CAM_DIGEST_PASSWORD" http://$cam:8080/
    check "gw1 mqtt 1884 refuses anonymous" not timeout 5 mosquitto_pub -h $gw -p 1884 -t iotlab/verify -m x
    check "gw1 mqtt 1884 login" timeout 5 mosquitto_pub -h $gw -p 1884 -u "$GW_MQTT_USER" -P "$GW_MQTT_PASSWORD" \
        -t iotlab/verify -m x
    check "host SSDP M-SEARCH sees gw1 IGD" expect "$gw" $PY $LAB_DIR/labnet.py ssdp $BR_IP
    check "gw1 UPnP description" expect 'HG-3000' curl -sS -f -m 5 http://$gw:5000/rootDesc.xml
    check "host mDNS query sees cam1 _http._tcp" expect "$cam" $PY $LAB_DIR/labnet.py mdns $BR_IP _http._tcp.local
    check "host mDNS multicast reply (port 5353)" expect "$cam" $PY $LAB_DIR/labnet.py mdns-mcast $BR_IP _rtsp._tcp.local
    check "host mDNS sees hvac1 _https._tcp" expect "$hvac" $PY $LAB_DIR/labnet.py mdns $BR_IP _https._tcp.local
    check "host mDNS sees gw1 _mqtt._tcp" expect "$gw" $PY $LAB_DIR/labnet.py mdns $BR_IP _mqtt._tcp.local
    check "host mDNS resolves cam1.local" expect "$cam" $PY $LAB_DIR/labnet.py mdns-a $BR_IP cam1.local
    check "devices have no default route" not nsx cam1 ip route get 8.8.8.8
    echo "verify: $FAILS failure(s) in $(elapsed $t0) s"
    [ $FAILS = 0 ]
}

mqtt_roundtrip() {
    local gw=$1 msg="ping-$$-$RANDOM" out
    out=$(mktemp)
    timeout 6 mosquitto_sub -h $gw -t iotlab/verify -C 1 -W 5 > $out &
    local sp=$!
    local i ok=0
    for i in 1 2 3 4 5 6 7 8 9 10; do
        sleep 0.2
        mosquitto_pub -h $gw -t iotlab/verify -m "$msg"
        if grep -q "$msg" $out; then ok=1; break; fi
    done
    wait $sp 2>/dev/null || true
    grep -q "$msg" $out && ok=1
    rm -f $out
    [ $ok = 1 ]
}

cmd_selftest() {
    load_facts
    local before_host newpw=CamTest$RANDOM$RANDOM h1 h2
    before_host=$(sha256sum /etc/shadow)
    check "cam1 shadow has the factory root hash" expect '^root:\$' ssh_cam 'grep ^root: /etc/shadow'
    h1=$(grep '^root:' $STATE/cam1/etc/shadow)
    check "host file system not writable from cam1" expect 'Read-only' ssh_cam 'touch /usr/iotlab-test 2>&1; true'
    check "cam1 root cannot remount system dirs" not ssh_cam 'mount -o remount,rw /usr'
    check "cam1 sees only its own processes" expect '^[0-9]+$' ssh_cam 'n=$(ls -d /proc/[0-9]* | wc -l); [ $n -lt 40 ] && echo $n'
    check "change root password on cam1 over ssh" ssh_cam "echo root:$newpw | chpasswd"
    h2=$(grep '^root:' $STATE/cam1/etc/shadow)
    check "device shadow (disk) changed" test "$h1" != "$h2"
    check "host /etc/shadow unchanged" test "$(sha256sum /etc/shadow)" = "$before_host"
    check "hvac1 and gw1 shadows untouched" not grep -q "$(echo "$h2" | cut -d: -f2)" $STATE/hvac1/etc/shadow $STATE/gw1/etc/shadow
    check "old password now refused" not ssh_cam true
    check "restart cam1" cmd_restart cam1
    check "new password works after restart" expect '^cam1$' env SSHPASS=$newpw timeout 15 sshpass -e ssh "${SSHO[@]}" \
        -o PubkeyAuthentication=no root@${DEV_IP[cam1]} hostname
    check "telnet login with new password" $PY $LAB_DIR/labnet.py telnet-login ${DEV_IP[cam1]} root "$newpw"
    check "disabled service stays off after restart" disable_telnet_test "$newpw"
    # back to factory password so lab.json stays true
    check "restore factory root password" env SSHPASS=$newpw timeout 15 sshpass -e ssh "${SSHO[@]}" \
        -o PubkeyAuthentication=no root@${DEV_IP[cam1]} "echo root:$CAM_ROOT_PASSWORD | chpasswd"
    check "factory password works again" expect '^cam1$' ssh_cam hostname
    check "host /etc/shadow still unchanged" test "$(sha256sum /etc/shadow)" = "$before_host"
    echo "selftest: $FAILS failure(s)"
    [ $FAILS = 0 ]
}

disable_telnet_test() {   # disable telnetd in cam1's boot config, restart, check, re-enable
    local pw=$1 rc=0
    SSHPASS=$pw timeout 15 sshpass -e ssh "${SSHO[@]}" -o PubkeyAuthentication=no root@${DEV_IP[cam1]} \
        'mv /etc/init.d/S30telnetd /etc/init.d/K30telnetd' || return 1
    cmd_restart cam1 >/dev/null || rc=1
    tcp_open ${DEV_IP[cam1]} 23 && { echo "telnet still open"; rc=1; }
    SSHPASS=$pw timeout 15 sshpass -e ssh "${SSHO[@]}" -o PubkeyAuthentication=no root@${DEV_IP[cam1]} \
        'mv /etc/init.d/K30telnetd /etc/init.d/S30telnetd && /etc/init.d/S30telnetd start' >/dev/null || rc=1
    sleep 0.3
    tcp_open ${DEV_IP[cam1]} 23 || { echo "telnet did not come back"; rc=1; }
    return $rc
}

usage() {
    cat <<EOF
usage: lab.sh COMMAND
  install          install the Debian packages the lab needs (only missing ones)
  up               create bridge, namespaces and devices (idempotent)
  down             stop everything and remove all lab state (key cache stays)
  restart DEVICE   reboot one device (cam1|hvac1|gw1); its disk survives
  reset DEVICE     factory reset one device: its disk is rebuilt, then it boots
  rekey DEVICE     give one device new SSH host keys (as after a re-flash), then reboot it
  status           show what is running
  verify           PASS/FAIL checks against every device
  selftest         prove device isolation and persistence (changes and restores cam1's password)
  env              print bridge address and subnet
EOF
}

main() {
    local c=${1:-}; shift || true
    case "$c" in
        __devinit) devinit "$@"; exit 0 ;;
        env) cmd_env; exit 0 ;;
        -h|--help|help|'') usage; [ -n "$c" ]; exit $? ;;
    esac
    need_root
    case "$c" in
        install) lock; cmd_install ;;
        up) lock; cmd_up ;;
        down) lock; cmd_down ;;
        restart) lock; cmd_restart "$@" ;;
        reset) lock; cmd_reset "$@" ;;
        rekey) lock; cmd_rekey "$@" ;;
        status) cmd_status ;;
        verify) cmd_verify ;;
        selftest) lock; cmd_selftest ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
