#!/usr/bin/python3
"""Small network probes used by lab.sh verify. Only talks to the lab bridge.

  labnet.py ssdp BRIDGE_IP                 M-SEARCH for an IGD, print responders
  labnet.py mdns BRIDGE_IP SERVICE         PTR query (legacy unicast), print answering IPs
  labnet.py mdns-mcast BRIDGE_IP SERVICE   PTR query from port 5353, multicast answers
  labnet.py mdns-a BRIDGE_IP NAME          A query for NAME.local
  labnet.py telnet-login HOST USER PASS    log in over telnet and run a command
  labnet.py rtsp-options HOST              RTSP OPTIONS on port 554
"""
import socket
import struct
import sys
import time

MDNS = ("224.0.0.251", 5353)
SSDP = ("239.255.255.250", 1900)
LAB_PREFIX = "10.47.0."


def check_bridge(ip):
    if not ip.startswith(LAB_PREFIX):
        sys.exit("refusing to use %s: not a lab address" % ip)


def mcast_socket(bridge_ip, port=0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if port:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        s.bind(("0.0.0.0", port))
        mreq = socket.inet_aton(MDNS[0]) + socket.inet_aton(bridge_ip)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    else:
        s.bind((bridge_ip, 0))
    # pin outgoing multicast to the lab bridge
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(bridge_ip))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    return s


def collect(s, seconds):
    out = []
    end = time.time() + seconds
    while True:
        left = end - time.time()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            data, addr = s.recvfrom(9000)
        except socket.timeout:
            break
        out.append((data, addr))
        end = min(end, time.time() + 0.3)   # a short grace for further answers
    return out


def ssdp(bridge_ip):
    s = mcast_socket(bridge_ip)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 2)
    msg = ("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
           "MX: 1\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n").encode()
    found = False
    for _ in range(2):
        s.sendto(msg, SSDP)
        for data, addr in collect(s, 1.5):
            text = data.decode("latin-1")
            loc = [l for l in text.split("\r\n") if l.lower().startswith("location:")]
            print(addr[0], loc[0] if loc else "")
            found = True
        if found:
            break
    return 0 if found else 1


def encode_name(name):
    out = b""
    for part in name.rstrip(".").split("."):
        out += bytes([len(part)]) + part.encode()
    return out + b"\0"


def query(name, qtype, qu=False):
    header = struct.pack("!HHHHHH", 0, 0, 1, 0, 0, 0)
    qclass = 1 | (0x8000 if qu else 0)
    return header + encode_name(name) + struct.pack("!HH", qtype, qclass)


def skip_name(data, off):
    while True:
        n = data[off]
        if n == 0:
            return off + 1
        if n & 0xC0 == 0xC0:
            return off + 2
        off += n + 1


def a_records(data):
    """Return IPv4 addresses from A records anywhere in a DNS message."""
    ips = []
    try:
        qd, an, ns, ar = struct.unpack("!4H", data[4:12])
        off = 12
        for _ in range(qd):
            off = skip_name(data, off) + 4
        for _ in range(an + ns + ar):
            off = skip_name(data, off)
            rtype, _, _, rdlen = struct.unpack("!HHIH", data[off:off + 10])
            off += 10
            if rtype == 1 and rdlen == 4:
                ips.append(socket.inet_ntoa(data[off:off + 4]))
            off += rdlen
    except (IndexError, struct.error):
        pass
    return ips


def mdns(bridge_ip, name, qtype=12, port=0):
    s = mcast_socket(bridge_ip, port)
    found = set()
    for _ in range(3):
        s.sendto(query(name, qtype), MDNS)
        for data, addr in collect(s, 1.0):
            flags = struct.unpack("!H", data[2:4])[0] if len(data) >= 4 else 0
            if not flags & 0x8000:      # a query, not a response
                continue
            if addr[0] == bridge_ip:
                continue
            if name.split(".")[0].encode() not in data and qtype == 12:
                continue
            found.add(addr[0])
            for ip in a_records(data):
                found.add("A " + ip)
        if found:
            break
    for f in sorted(found):
        print(f)
    return 0 if found else 1


def telnet_login(host, user, password):
    s = socket.create_connection((host, 23), timeout=5)
    buf = b""

    def read_until(tokens, seconds=8):
        nonlocal buf
        end = time.time() + seconds
        while time.time() < end:
            low = buf.lower()
            for t in tokens:
                if t in low:
                    return t
            try:
                s.settimeout(max(0.1, end - time.time()))
                chunk = s.recv(4096)
            except socket.timeout:
                break
            if not chunk:
                break
            # answer option negotiation with refusals
            i = 0
            clean = b""
            while i < len(chunk):
                if chunk[i] == 255 and i + 2 < len(chunk) + 1 and i + 1 < len(chunk):
                    cmd = chunk[i + 1]
                    if cmd in (251, 252, 253, 254) and i + 2 < len(chunk):
                        opt = chunk[i + 2]
                        reply = 254 if cmd in (251, 252) else 252
                        if cmd == 251:
                            reply = 254   # WILL -> DONT
                        if cmd == 253:
                            reply = 252   # DO -> WONT
                        s.sendall(bytes([255, reply, opt]))
                        i += 3
                        continue
                    i += 2
                    continue
                clean += bytes([chunk[i]])
                i += 1
            buf += clean
        return None

    if read_until([b"login:"]) is None:
        print("no login prompt:", buf[-200:])
        return 1
    buf = b""
    s.sendall(user.encode() + b"\r\n")
    if read_until([b"password:"]) is None:
        print("no password prompt:", buf[-200:])
        return 1
    buf = b""
    s.sendall(password.encode() + b"\r\n")
    s.sendall(b"echo LAB$((40+2))OK; hostname\r\n")
    if read_until([b"lab42ok"]) is None:
        print("login failed:", buf[-200:])
        return 1
    s.sendall(b"exit\r\n")
    s.close()
    return 0


def rtsp_options(host):
    s = socket.create_connection((host, 554), timeout=5)
    s.sendall(("OPTIONS rtsp://%s:554/ RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: iotlab\r\n\r\n" % host).encode())
    data = b""
    end = time.time() + 5
    while b"\r\n\r\n" not in data and time.time() < end:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    print(data.decode("latin-1"))
    return 0 if data.startswith(b"RTSP/1.0 200") else 1


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    cmd, target = argv[1], argv[2]
    check_bridge(target)
    if cmd == "ssdp":
        return ssdp(target)
    if cmd == "mdns":
        return mdns(target, argv[3], 12)
    if cmd == "mdns-mcast":
        return mdns(target, argv[3], 12, port=5353)
    if cmd == "mdns-a":
        return mdns(target, argv[3], 1)
    if cmd == "telnet-login":
        return telnet_login(target, argv[3], argv[4])
    if cmd == "rtsp-options":
        return rtsp_options(target)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
