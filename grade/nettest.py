#!/usr/bin/env python3
"""nettest.py STAGE_DIR LOG RUN udp|tcp|http|nc|bad|bench: the network from the host (a script test:
grade.py runs it with the run's images and key in MV6_KERNEL, MV6_DISK, MV6_KEY, and
the user to run QEMU as in MV6_RUN_UID). The guest runs `nettest udp`
(user/tests/nettest.c): one datagram to 10.0.2.2:hostport=, then it echoes every
datagram that reaches its port 7 until one says "quit". Every check is made here, on
the bytes that come back; ports are picked free, never fixed.

udp: QEMU's user network, the guest's UDP port 7 forwarded from a free host port. The
     guest's datagram reaches a host socket (guest -> 10.0.2.2:port); datagrams of 1
     to 1472 random bytes come back echoed whole both from that socket (the reply
     path) and through the forwarded port (host -> guest).
tcp: the guest's port 80 forwarded from a free host port: 256 KiB of random bytes
     echoed whole over a connection (host -> guest -> host); the guest sends 1 MiB
     to a host server (10.0.2.2:port) that checks every byte; a connection the host
     resets ends the guest's receive instead of hanging it; the host server takes 64 KiB
     of a long transfer and resets it: the guest's send must return an error.
http: httpd (user/httpd.c) on the forwarded port 80, fetched with urllib: files of
     the disk image byte for byte (read by the grader itself, grade/fsimg.py), an empty
     one and one of 1 MiB through the doubly-indirect block (written by `nettest files`,
     which then execs httpd), 80 fetches in a row (more than the guest's TCP slots),
     404s, a fetch beside two idle connections, 8 at once.
nc:  nc typed into the shell: a TCP listener and a UDP client, lines both ways; then
     `ping -c 2`, which must print a reply from the gateway.
bad: the test is the whole network (a -netdev socket backend: raw Ethernet frames
     over UDP on 127.0.0.1), playing 10.0.2.2. It answers the guest's ARP, checks
     every IP, ICMP and UDP checksum the guest sends, pings it and has datagrams
     echoed; then it sends bad frames (truncated headers, wrong checksums, bogus
     lengths, fragments, other versions, random bytes) of which none may be answered,
     and a flood of pings; afterwards a ping and an echo must still work, and after
     a SYN flood TCP and an httpd fetch (the test's own TCP) too.
bench: make bench's network figures are present and sane (mk/netbench.py --quick)."""
import os, random, re, select, socket, struct, subprocess, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keys  # noqa: E402

stage_dir, log_path, run, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
kernel = os.environ.get("MV6_KERNEL") or os.path.join(stage_dir, "kernel-test")
img = os.environ.get("MV6_DISK") or os.path.join(stage_dir, "fs.img")
key = bytes.fromhex(os.environ.get("MV6_KEY", ""))
uid = int(os.environ["MV6_RUN_UID"]) if os.environ.get("MV6_RUN_UID") else None
rng = random.Random(time.time_ns() ^ run)
log = open(log_path, "w")
lines = []
GUEST, HOST = bytes([10, 0, 2, 15]), bytes([10, 0, 2, 2])
HOSTMAC = bytes.fromhex("525500000202")


def say(msg):
    log.write(msg + "\n")
    log.flush()


def fail(msg):
    say("FAIL: " + msg)
    print(msg)
    sys.exit(1)


def as_user():
    if uid is not None:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)


def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def boot(netdev, hostport, case="udp", append=None):
    cmd = [os.environ.get("MV6_QEMU") or "qemu-system-riscv64", "-machine", "virt",
           "-bios", os.environ.get("MV6_BIOS") or "default", "-m", "128M", "-smp", "1",
           "-nographic", "-monitor", "none", "-serial", "stdio", "-no-reboot",
           "-global", "virtio-mmio.force-legacy=false",
           "-drive", f"file={img},if=none,format=raw,id=x0,snapshot=on",
           "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0",
           "-netdev", netdev, "-device", "virtio-net-device,netdev=net0,bus=virtio-mmio-bus.1",
           "-kernel", kernel, "-append", append or f"run=net prog=nettest arg={case} hostport={hostport} watchdog=120"]
    say("# " + " ".join(cmd))
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         start_new_session=True, preexec_fn=as_user, env={"PATH": os.environ.get("PATH", "")})

    def read():
        for raw in p.stdout:
            line = raw.decode(errors="replace").rstrip("\r\n")
            lines.append(line)
            say(line)
    threading.Thread(target=read, daemon=True).start()
    return p


def wait_line(rx, limit=30):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if any(re.search(rx, l) for l in lines):
            return True
        time.sleep(0.05)
    return False


def finish(p, sock, addr):
    """Tell the guest to stop; its verdict must come, tagged with the run's key."""
    sock.sendto(b"quit", addr)
    if not wait_line(r"^init: nettest exited", 30):
        fail("the guest's nettest did not end after 'quit'")
    texts = keys.verified(lines, key or None)[0]
    if key and "nettest udp: ok" not in texts:
        fail("no verified 'nettest udp: ok' from the guest")


def echo_check(sock, addr, sizes, what):
    for n in sizes:
        data = bytes(rng.randrange(256) for _ in range(n))
        sock.sendto(data, addr)
        sock.settimeout(10)
        try:
            back, _ = sock.recvfrom(2048)
        except socket.timeout:
            fail(f"{what}: no echo of a {n}-byte datagram")
        if back != data:
            fail(f"{what}: a {n}-byte datagram came back as {len(back)} other bytes")
    say(f"# {what}: {len(sizes)} datagrams echoed whole")


def udp():
    host = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    host.bind(("127.0.0.1", 0))
    fwd = free_port(socket.SOCK_DGRAM)
    p = boot(f"user,id=net0,hostfwd=udp:127.0.0.1:{fwd}-:7", host.getsockname()[1])
    try:
        host.settimeout(30)
        try:
            hello, guest = host.recvfrom(2048)
        except socket.timeout:
            fail("guest -> host: no datagram from the guest")
        if hello != b"nettest hello":
            fail(f"guest -> host: the datagram holds {hello!r}")
        echo_check(host, guest, [1, 100, 1000, 1472], "host -> guest's reply path -> host")
        other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        echo_check(other, ("127.0.0.1", fwd), [1, 512, 1472, 7], "host -> forwarded port -> guest -> host")
        finish(p, other, ("127.0.0.1", fwd))
    finally:
        p.kill()
        p.wait()
    print("udp both ways: every byte back")


def pattern(n):
    """What the guest sends: byte i is (i * 131 + (i >> 10)) & 0xff (nettest.c, PATTERN)."""
    return bytes((i * 131 + (i >> 10)) & 0xff for i in range(n))


def tcp():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    fwd = free_port(socket.SOCK_STREAM)
    p = boot(f"user,id=net0,hostfwd=tcp:127.0.0.1:{fwd}-:80", server.getsockname()[1], "tcp")
    try:
        if not wait_line(r"^nettest: listening$", 60):
            fail("the guest never listened")
        data = bytes(rng.randrange(256) for _ in range(256 * 1024))
        c = socket.create_connection(("127.0.0.1", fwd), timeout=30)
        t0 = time.monotonic()
        sender = threading.Thread(target=lambda: (c.sendall(data), c.shutdown(socket.SHUT_WR)), daemon=True)
        sender.start()
        back = bytearray()
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            back += chunk
        echo_s = time.monotonic() - t0
        c.close()
        if bytes(back) != data:
            fail(f"host -> guest -> host over TCP: {len(data)} bytes came back as {len(back)} "
                 f"{'other ' if len(back) == len(data) else ''}bytes")
        say(f"# TCP echo: {len(data)} bytes both ways in {echo_s:.2f}s")
        server.settimeout(30)
        try:
            g, _ = server.accept()
        except socket.timeout:
            fail("guest -> host over TCP: the guest never connected")
        g.settimeout(30)
        t0, got = time.monotonic(), bytearray()
        while True:
            chunk = g.recv(65536)
            if not chunk:
                break
            got += chunk
        out_s = time.monotonic() - t0
        if bytes(got) != pattern(1 << 20):
            fail(f"guest -> host over TCP: {len(got)} bytes, not the 1 MiB the guest sent")
        g.sendall(f"got {len(got)}".encode())
        g.close()
        say(f"# TCP guest -> host: 1 MiB in {out_s:.2f}s")
        if not wait_line(r"^nettest: listening again$", 30):
            fail("the guest did not come back to listen")
        r = socket.create_connection(("127.0.0.1", fwd), timeout=30)
        r.sendall(b"about to vanish")
        time.sleep(0.2)
        r.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        r.close()              # a reset
        try:
            g, _ = server.accept()
        except socket.timeout:
            fail("the guest did not connect a second time to the host server")
        g.settimeout(30)
        taken = 0
        while taken < 64 * 1024:
            chunk = g.recv(65536)
            if not chunk:
                fail(f"the guest's long transfer ended after {taken} bytes")
            taken += len(chunk)
        g.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        g.close()              # gone mid-transfer: the guest's send must return an error
        t0 = time.monotonic()
        if not wait_line(r"^nettest: a peer gone mid-transfer: ", 60):
            fail("the guest's send to a peer that reset did not return (hung?)")
        say(f"# a peer gone mid-transfer after {taken} bytes: the guest's send returned in "
            f"{time.monotonic() - t0:.2f}s")
        if not wait_line(r"^init: nettest exited", 60):
            fail("the guest's nettest did not end (a reset connection hung it?)")
        if key and "nettest tcp: ok" not in keys.verified(lines, key)[0]:
            fail("no verified 'nettest tcp: ok' from the guest")
    finally:
        p.kill()
        p.wait()
    print(f"TCP: 256 KiB echoed ({echo_s:.2f}s), 1 MiB guest -> host ({out_s:.2f}s), a reset survived")


def http():
    """httpd (user/httpd.c) from the host with urllib: files of the image byte for byte,
    404 for a missing file and for a device, a fetch served beside two idle
    connections, 8 fetches at once."""
    import urllib.error
    import urllib.request
    import fsimg
    fs = fsimg.Image(open(img, "rb").read())
    fwd = free_port(socket.SOCK_STREAM)
    p = boot(f"user,id=net0,hostfwd=tcp:127.0.0.1:{fwd}-:80", 0,
             append="run=net prog=nettest arg=files watchdog=300")
    big = pattern(1024 * 1024)         # BIGFILE bytes, as nettest files writes it

    def get(path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{fwd}{path}", timeout=30) as r:
                return r.status, r.read(), r.headers.get("Content-Length")
        except urllib.error.HTTPError as e:
            return e.code, e.read(), None
    try:
        if not wait_line(r"^httpd: listening on port 80$", 60):
            fail("httpd did not start")
        t0, total = time.monotonic(), 0
        for path in ["/README.md", "/usertests", "/fstests", "/echo", "/cat"]:
            want = fs.file(path)
            status, body, length = get(path)
            if status != 200 or body != want or length != str(len(want)):
                fail(f"GET {path}: {status}, {len(body)} bytes (length {length}), want 200 and the "
                     f"file's {len(want)} bytes")
            total += len(body)
        for path, want in [("/empty", b""), ("/big", big)]:
            status, body, length = get(path)
            if status != 200 or body != want or length != str(len(want)):
                fail(f"GET {path}: {status}, {len(body)} bytes (length {length}), want 200 and the "
                     f"{len(want)} bytes nettest files wrote")
            total += len(body)
        say(f"# {total} bytes in 7 files in {time.monotonic() - t0:.2f}s")
        # More connections in a row than the guest's 16 TCP slots: httpd closes first, so
        # each leaves a slot in TIME_WAIT (1 s) that a new connection must be able to take.
        # Without that, a connection that finds every slot taken is dropped until slirp
        # sends its SYN again, a second or more later; with it, a GET takes milliseconds.
        # The bound leaves room for a loaded host and scales with MV6_WALL_SCALE.
        t0, want, slowest = time.monotonic(), fs.file("/echo"), 0
        limit = 1.0 * float(os.environ.get("MV6_WALL_SCALE") or 1)
        for i in range(80):
            t1 = time.monotonic()
            status, body, _ = get("/echo")
            slowest = max(slowest, time.monotonic() - t1)
            if status != 200 or body != want:
                fail(f"GET /echo, number {i + 1} in a row: {status}, {len(body)} bytes")
        if slowest > limit:
            fail(f"of 80 GETs in a row, one took {slowest:.2f}s, over {limit:.1f}s (a new connection "
                 "waited for a TIME_WAIT slot?)")
        say(f"# 80 GETs in a row in {time.monotonic() - t0:.2f}s, the slowest {slowest * 1000:.0f} ms")
        # Twice from the same host port: slirp keeps the port, so the second SYN names the
        # connection the guest just closed and keeps in TIME_WAIT; it must open a new one.
        port = 0
        for k in range(2):
            c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            c.bind(("127.0.0.1", port))
            port = c.getsockname()[1]
            c.settimeout(30)
            t1 = time.monotonic()
            c.connect(("127.0.0.1", fwd))
            c.sendall(b"GET /echo HTTP/1.0\r\n\r\n")
            got = b""
            while chunk := c.recv(65536):
                got += chunk
            c.close()
            took = time.monotonic() - t1
            if not got.startswith(b"HTTP/1.0 200") or not got.endswith(want):
                fail(f"GET /echo from host port {port}, time {k + 1}: {got[:40]!r}...")
            if took > limit:
                fail(f"GET /echo again from host port {port} took {took:.2f}s, over {limit:.1f}s "
                     "(its SYN met the old connection in TIME_WAIT?)")
        say(f"# GET /echo twice from host port {port}")
        for path in ["/nonexistent", "/console", "/"]:
            status, _, _ = get(path)
            if status != 404:
                fail(f"GET {path}: {status}, want 404")
        idle = [socket.create_connection(("127.0.0.1", fwd), timeout=30) for _ in range(2)]
        time.sleep(0.5)                 # two clients that say nothing hold two workers ...
        t0 = time.monotonic()
        status, body, _ = get("/README.md")
        if status != 200 or body != fs.file("/README.md") or time.monotonic() - t0 > 4:
            fail(f"GET beside two idle connections: {status} after {time.monotonic() - t0:.1f}s "
                 "(httpd serves one connection at a time?)")
        for c in idle:                  # ... and the others serve meanwhile
            c.close()
        results = [None] * 8
        threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, get("/usertests")), daemon=True)
                   for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        want = fs.file("/usertests")
        if any(r is None or r[0] != 200 or r[1] != want for r in results):
            fail(f"8 fetches at once: {[r and (r[0], len(r[1])) for r in results]}")
    finally:
        p.kill()
        p.wait()
    print("httpd: 7 files of 0 B to 1 MiB byte for byte, 3 x 404, 8 fetches at once")


def nc():
    """nc (user/nc.c) typed into the shell: `nc -l 80` gets a line from a host client
    and sends one typed at the console; `nc -u 10.0.2.2 PORT` sends a typed line to a
    host socket and prints its answer."""
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    fwd = free_port(socket.SOCK_STREAM)
    p = boot(f"user,id=net0,hostfwd=tcp:127.0.0.1:{fwd}-:80", 0, append="run=net watchdog=300")
    word = lambda: "%016x" % rng.getrandbits(64)     # noqa: E731

    def type_(text):
        p.stdin.write(text.encode())
        p.stdin.flush()
    try:
        if not wait_line(r"^init: pid 1, starting sh$", 60):
            fail("no shell")
        time.sleep(0.5)
        type_("nc -l 80\n")
        if not wait_line(r"^\$ nc -l 80$", 10):
            fail("the shell did not take the command")
        time.sleep(1)
        c = socket.create_connection(("127.0.0.1", fwd), timeout=30)
        a, b = word(), word()
        c.sendall(f"host {a}\n".encode())
        if not wait_line(rf"^host {a}$", 10):
            fail("nc -l: the host's line did not reach the console")
        type_(f"guest {b}\n")
        got = b""
        while b"\n" not in got:
            chunk = c.recv(100)
            if not chunk:
                break
            got += chunk
        if got != f"guest {b}\n".encode():
            fail(f"nc -l: the host got {got!r} for the line typed")
        c.close()
        # nc ends when its receiver sees the host's close; a line typed before that is
        # nc's to send, not the shell's. So type markers until the shell runs one.
        for k in range(10):
            type_(f"echo ready-{k}\n")
            if wait_line(r"^(\$ )?ready-\d$", 3):
                break
        else:
            fail("nc -l did not end when the host closed the connection")
        type_(f"nc -u 10.0.2.2 {u.getsockname()[1]}\n")
        time.sleep(1)
        type_(f"udp {a}\n")
        u.settimeout(10)
        try:
            data, peer = u.recvfrom(100)
        except socket.timeout:
            fail("nc -u: no datagram from the guest")
        if data != f"udp {a}\n".encode():
            fail(f"nc -u: the host got {data!r}")
        u.sendto(f"back {b}\n".encode(), peer)
        if not wait_line(rf"^back {b}$", 10):
            fail("nc -u: the host's answer did not reach the console")
        type_("\x04")                                   # the end of input ends nc -u
        type_("echo nc-done\n")
        if not wait_line(r"^(\$ )?nc-done$", 10):   # the prompt may come after the typed line
            fail("the shell did not come back after nc -u")
        type_("ping -c 2\n")                            # the tool, its default: the gateway
        if not wait_line(r"^64 bytes from 10\.0\.2\.2: seq=[12] time=\d+\.\d ms$", 10):
            fail("ping: no reply from the gateway printed")
    finally:
        p.kill()
        p.wait()
    print("nc: TCP listener and UDP client, both ways; ping the gateway")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip_packet(proto, payload, src=HOST, dst=GUEST, ident=1, frag=0, ver=4, ihl=5, total=None, bad_sum=False):
    total = 20 + len(payload) if total is None else total
    h = struct.pack("!BBHHHBBH4s4s", ver << 4 | ihl, 0, total, ident, frag, 64, proto, 0, src, dst)
    c = csum(h) ^ (0x1234 if bad_sum else 0)
    return h[:10] + struct.pack("!H", c) + h[12:] + payload


def icmp_echo(ident, seq, data, bad_sum=False):
    m = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    c = csum(m) ^ (0x4321 if bad_sum else 0)
    return m[:2] + struct.pack("!H", c) + m[4:]


def udp_dgram(sport, dport, data, src=HOST, dst=GUEST, length=None, bad_sum=False):
    length = 8 + len(data) if length is None else length
    u = struct.pack("!HHHH", sport, dport, length, 0) + data
    c = csum(src + dst + struct.pack("!BBH", 0, 17, 8 + len(data)) + u) or 0xffff
    return u[:6] + struct.pack("!H", c ^ (0x5555 if bad_sum else 0)) + u[8:]


class Wire:
    """The host's end of the guest's Ethernet: frames out to QEMU, frames in from it, each
    checked (ARP answered for 10.0.2.2; IP header, ICMP and UDP checksums verified)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.qemu = ("127.0.0.1", free_port(socket.SOCK_DGRAM))
        self.mac = None            # the guest's, from its first frame
        self.got = []              # IP packets from the guest: (proto, src port or id, payload)

    def send(self, frame):
        self.sock.sendto(frame, self.qemu)

    def eth(self, etype, payload, dst=None):
        return (dst or self.mac) + HOSTMAC + struct.pack("!H", etype) + payload

    def pump(self, secs):
        end = time.monotonic() + secs
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                return
            f = self.sock.recv(4096)
            self.frame(f)

    def frame(self, f):
        if len(f) < 14:
            fail(f"the guest sent a {len(f)}-byte frame")
        self.mac = self.mac or f[6:12]
        etype = struct.unpack("!H", f[12:14])[0]
        if etype == 0x0806:
            a = f[14:42]
            op, sha, spa, tpa = struct.unpack("!H", a[6:8])[0], a[8:14], a[14:18], a[24:28]
            if sha != self.mac or spa != GUEST:
                fail(f"an ARP frame from the guest says it is {sha.hex()} {spa.hex()}")
            if op == 1 and tpa == HOST:
                self.send(self.eth(0x0806, struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2,
                                                       HOSTMAC, HOST, self.mac, GUEST)))
            if op == 2:
                self.got.append(("arp", tpa, a))
            return
        if etype != 0x0800:
            fail(f"the guest sent a frame of type {etype:#x}")
        ip = f[14:]
        ihl, total = (ip[0] & 15) * 4, struct.unpack("!H", ip[2:4])[0]
        if ip[0] >> 4 != 4 or ihl != 20 or total > len(ip) or csum(ip[:20]) != 0 or ip[12:16] != GUEST:
            fail(f"the guest sent a bad IP header: {ip[:20].hex()}")
        body, proto = ip[20:total], ip[9]
        if proto == 1:
            if csum(body) != 0:
                fail("the guest sent an ICMP message with a wrong checksum")
            self.got.append(("icmp", body[0], body))
        elif proto == 17:
            pseudo = ip[12:20] + struct.pack("!BBH", 0, 17, len(body))
            if struct.unpack("!H", body[6:8])[0] == 0 or csum(pseudo + body) != 0:
                fail("the guest sent a UDP datagram with a wrong (or no) checksum")
            self.got.append(("udp", struct.unpack("!H", body[:2])[0], body[8:]))
        elif proto == 6:
            pseudo = ip[12:20] + struct.pack("!BBH", 0, 6, len(body))
            if csum(pseudo + body) != 0:
                fail("the guest sent a TCP segment with a wrong checksum")
            sport, dport, seq, ack, off, flags, win = struct.unpack("!HHIIBBH", body[:16])
            self.got.append(("tcp", dport, body[(off >> 4) * 4:], {"seq": seq, "ack": ack, "flags": flags,
                                                                     "win": win, "sport": sport}))
        else:
            fail(f"the guest sent IP protocol {proto}")

    def take(self, kind, match, secs=5):
        end = time.monotonic() + secs
        while time.monotonic() < end:
            for g in self.got:
                if g[0] == kind and match(g):
                    self.got.remove(g)
                    return g
            self.pump(0.05)
        return None

    def ping(self, ident, seq, data, secs=5):
        self.send(self.eth(0x0800, ip_packet(1, icmp_echo(ident, seq, data))))
        g = self.take("icmp", lambda g: g[1] == 0 and g[2][4:8] == struct.pack("!HH", ident, seq), secs)
        return g and g[2][8:] == data

    def echo(self, data, secs=5):
        self.send(self.eth(0x0800, ip_packet(17, udp_dgram(4000, 7, data))))
        g = self.take("udp", lambda g: g[1] == 7 and g[2] == data, secs)
        return g is not None


SYN, ACK, FIN, RST, PSH = 2, 16, 1, 4, 8


def tcp_seg(sport, dport, seq, ack, flags, win, data=b""):
    h = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff, 5 << 4, flags, win, 0, 0)
    c = csum(HOST + GUEST + struct.pack("!BBH", 0, 6, len(h) + len(data)) + h + data)
    return h[:16] + struct.pack("!H", c) + h[18:] + data


def tcp_raw(w):
    """TCP against the guest's echo on port 80, the test as the peer: a reset for a
    closed port, a SYN-ACK and data sent again when not acknowledged, nothing but probes
    into a closed window, every byte echoed once it opens, FIN both ways; a SYN flood;
    then a connection still works."""
    def seg(port, seq, ack, flags, win=8192, data=b""):
        w.send(w.eth(0x0800, ip_packet(6, tcp_seg(port, 80 if port != 5001 else 81, seq, ack, flags, win, data))))

    def take(port, cond, secs=5):
        return w.take("tcp", lambda g: g[1] == port and cond(g[3], g[2]), secs)

    seg(5001, 7000, 0, SYN)
    g = take(5001, lambda h, d: h["flags"] & RST)
    if not g or g[3]["ack"] != 7001 or not g[3]["flags"] & ACK:
        fail(f"a SYN to a closed port: no right reset ({g and g[3]})")
    seg(5000, 1000, 0, SYN)
    a = take(5000, lambda h, d: h["flags"] & (SYN | ACK) == SYN | ACK and h["ack"] == 1001)
    t0 = time.monotonic()
    b = a and take(5000, lambda h, d: h["flags"] & SYN and h["seq"] == a[3]["seq"], 5)
    if not a or not b or time.monotonic() - t0 < 0.2:
        fail("a SYN-ACK not acknowledged was not sent again after a while")
    una = a[3]["seq"] + 1
    seg(5000, 1001, una, ACK)
    seg(5000, 1001, una, ACK | PSH, data=b"hello tcp")
    e1 = take(5000, lambda h, d: d == b"hello tcp" and h["seq"] == una)
    t0 = time.monotonic()
    e2 = e1 and take(5000, lambda h, d: d == b"hello tcp" and h["seq"] == una, 5)
    if not e1 or not e2 or time.monotonic() - t0 < 0.2:
        fail("data not acknowledged was not sent again after a while")
    una += 9
    seg(5000, 1010, una, ACK, win=0)
    data = bytes(rng.randrange(256) for _ in range(3000))
    for i in range(0, 3000, 1000):
        seg(5000, 1010 + i, una, ACK | PSH, win=0, data=data[i:i + 1000])
    w.pump(1.5)
    over = [g for g in w.got if g[0] == "tcp" and g[1] == 5000 and len(g[2]) > 1]
    if over:
        fail(f"the guest sent {len(over[0][2])} bytes into a closed window")
    w.got = [g for g in w.got if not (g[0] == "tcp" and g[1] == 5000)]
    seg(5000, 4010, una, ACK, win=65535)
    got, end = bytearray(), time.monotonic() + 10
    while len(got) < 3000 and time.monotonic() < end:
        g = take(5000, lambda h, d: len(d) > 0, 1)
        if g and g[3]["seq"] == una + len(got):
            got += g[2]
        if g:
            seg(5000, 4010, una + len(got), ACK, win=65535)
    if bytes(got) != data:
        fail(f"after the window opened: {len(got)} bytes echoed, {'not ' if len(got) == 3000 else ''}all")
    seg(5000, 4010, una + 3000, FIN | ACK, win=65535)
    f = take(5000, lambda h, d: h["flags"] & FIN)
    if not f or f[3]["ack"] != 4011:
        fail("no FIN from the guest after ours")
    seg(5000, 4011, f[3]["seq"] + 1, ACK)
    say("# TCP: reset, SYN-ACK and data sent again, closed window respected, 3000 bytes echoed, FIN both ways")
    for i in range(200):                # a SYN flood
        seg(20000 + i, rng.randrange(1 << 32), 0, SYN)
    w.pump(1)
    w.got = [g for g in w.got if g[0] != "tcp"]
    seg(6000, 50, 0, SYN)
    a = take(6000, lambda h, d: h["flags"] & (SYN | ACK) == SYN | ACK and h["ack"] == 51, 5)
    if not a:
        fail("no connection after a SYN flood")
    una = a[3]["seq"] + 1
    seg(6000, 51, una, ACK)
    seg(6000, 51, una, ACK | PSH, data=b"quit")
    if not take(6000, lambda h, d: d == b"quit"):
        fail("no echo after a SYN flood")
    seg(6000, 55, una + 4, FIN | ACK)
    f = take(6000, lambda h, d: h["flags"] & FIN)
    if f:
        seg(6000, 56, f[3]["seq"] + 1, ACK)


def http_raw(w, path, want):
    """GET path from httpd on the guest's port 8080 with the test's own TCP: the answer
    must be a 200 with the file's bytes."""
    me, una = 7000 + rng.randrange(1000), 500

    def seg(seq, ack, flags, data=b""):
        w.send(w.eth(0x0800, ip_packet(6, tcp_seg(me, 8080, seq, ack, flags, 65535, data))))
    seg(una - 1, 0, SYN)
    a = w.take("tcp", lambda g: g[1] == me and g[3]["flags"] & (SYN | ACK) == SYN | ACK and g[3]["ack"] == una)
    if not a:
        fail("httpd: no SYN-ACK")
    rcv, req, got = a[3]["seq"] + 1, f"GET {path} HTTP/1.0\r\n\r\n".encode(), bytearray()
    seg(una, rcv, ACK | PSH, req)
    end, fin = time.monotonic() + 20, False
    while not fin and time.monotonic() < end:
        g = w.take("tcp", lambda g: g[1] == me and (g[2] or g[3]["flags"] & (FIN | RST)), 1)
        if g and g[3]["flags"] & RST:
            fail("httpd: the connection was reset")
        if g and g[3]["seq"] == rcv:          # in order: take it (else our ACK asks again)
            got += g[2]
            rcv += len(g[2])
            fin = bool(g[3]["flags"] & FIN)
            rcv += fin
        seg(una + len(req), rcv, ACK)
    seg(una + len(req), rcv, FIN | ACK)
    head, _, body = bytes(got).partition(b"\r\n\r\n")
    if not fin or not head.startswith(b"HTTP/1.0 200") or body != want:
        fail(f"httpd: GET {path} after the bad frames: {head[:20]!r}, {len(body)} bytes "
             f"{'' if fin else 'and no FIN '}(want the file's {len(want)})")


def bad():
    w = Wire()
    p = boot(f"socket,id=net0,udp=127.0.0.1:{w.sock.getsockname()[1]},localaddr={w.qemu[0]}:{w.qemu[1]}", 9,
             "raw")
    try:
        # the guest's first datagram (to 10.0.2.2:9) needs our ARP answer first
        if not w.take("udp", lambda g: g[2] == b"nettest hello", 60):
            fail("no datagram from the guest (ARP answered, checksums right)")
        w.send(w.eth(0x0806, struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, HOSTMAC, HOST, bytes(6), GUEST),
                     dst=b"\xff" * 6))
        if not w.take("arp", lambda g: g[1] == HOST and g[2][8:14] == w.mac):
            fail("no ARP reply to the host's request")
        for i, n in enumerate([0, 56, 1472]):
            if not w.ping(0x4242, i, bytes(rng.randrange(256) for _ in range(n))):
                fail(f"no right echo reply to a ping with {n} bytes")
        if not w.echo(b"before the bad frames"):
            fail("no UDP echo before the bad frames")
        mark = b"BAD!"                  # in every bad frame that could be answered
        ping = icmp_echo(0x6666, 1, mark)
        udpd = udp_dgram(4000, 7, mark)
        frames = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 14))) for _ in range(20)]
        frames += [
            w.eth(0x0800, b""), w.eth(0x0806, b"\0\1\x08\0\6\4"), w.eth(0x0800, ip_packet(1, ping)[:19]),
            w.eth(0x0800, ip_packet(1, ping, bad_sum=True)),          # IP header checksum
            w.eth(0x0800, ip_packet(1, icmp_echo(0x6666, 2, mark, bad_sum=True))),
            w.eth(0x0800, ip_packet(17, udp_dgram(4000, 7, mark, bad_sum=True))),
            w.eth(0x0800, ip_packet(1, ping, total=2000)), w.eth(0x0800, ip_packet(1, ping, total=10)),
            w.eth(0x0800, ip_packet(1, ping, ihl=4)), w.eth(0x0800, ip_packet(1, ping, ihl=15)),
            w.eth(0x0800, ip_packet(1, ping, ver=6)), w.eth(0x0800, ip_packet(1, ping, frag=0x2000)),
            w.eth(0x0800, ip_packet(17, udpd, frag=0x0010)),
            w.eth(0x0800, ip_packet(17, udp_dgram(4000, 7, mark, length=200))),
            w.eth(0x0800, ip_packet(17, udp_dgram(4000, 7, mark, length=4))),
            w.eth(0x0800, ip_packet(17, udpd)[:30]),
            w.eth(0x0800, ip_packet(1, ping, dst=bytes([10, 0, 2, 99]))),   # not ours
        ]
        for _ in range(300):
            body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 1500)))
            frames.append(w.eth(rng.choice([0x0800, 0x0806, rng.randrange(65536)]), body))
        for f in frames:
            w.send(f)
            w.pump(0)
        for i in range(300):            # a flood: some replies may be dropped, nothing may break
            w.send(w.eth(0x0800, ip_packet(1, icmp_echo(0x7777, i, b"flood"))))
        w.pump(3)
        say(f"# flood: {sum(g[0] == 'icmp' and g[2][4:6] == b'ww' for g in w.got)} of 300 pings answered")
        answered = [g for g in w.got if mark in bytes(g[2]) and g[0] != "arp"]
        if answered:
            fail(f"the guest answered a bad frame: {answered[0]}")
        if not w.ping(0x4242, 99, b"after") or not w.echo(b"after the bad frames"):
            fail("the guest no longer answers a ping or a UDP echo after the bad frames")
        tcp_raw(w)
        import fsimg
        http_raw(w, "/echo", fsimg.Image(open(img, "rb").read()).file("/echo"))
        say("# httpd: GET /echo after the bad frames and the SYN flood, byte for byte")
        w.send(w.eth(0x0800, ip_packet(17, udp_dgram(4000, 7, b"quit"))))
        if not wait_line(r"^init: nettest exited", 30):
            fail("the guest's nettest did not end after 'quit'")
        if key and "nettest raw: ok" not in keys.verified(lines, key)[0]:
            fail("no verified 'nettest raw: ok' from the guest")
    finally:
        p.kill()
        p.wait()
    print(f"{len(frames)} bad frames and 300 pings: none answered wrongly, still serving")


def bench():
    """make bench's network figures are there: mk/netbench.py --quick (one short round of
    each) prints every one, the guest's as a number > 0 in its unit, each native ceiling
    as one too or as unmeasured with a reason (unshare may be refused). Not timed."""
    units = {"net_tcp_h2g": "MB/s", "net_tcp_g2h": "MB/s", "net_http": "req/s", "net_udp_rtt": "us"}
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "mk", "netbench.py")
    say(f"# {script} {stage_dir} --quick")
    r = subprocess.run([sys.executable, script, stage_dir, "--quick"], capture_output=True, text=True, timeout=400,
                       preexec_fn=as_user, env=dict(os.environ, MV6_KERNEL=kernel, MV6_DISK=img))
    say(r.stdout + r.stderr)
    got = {ln.split()[1]: ln.split()[2:] for ln in r.stdout.splitlines() if ln.startswith("bench: ") and
           len(ln.split()) >= 3}
    for name, unit in units.items():
        for n in (name, name + "_native"):
            f = got.get(n)
            if f is None:
                fail(f"no 'bench: {n}' line from mk/netbench.py")
            if f[0] == "unmeasured" and n != name and len(f) > 1:
                continue
            if not re.fullmatch(r"\d+(\.\d+)?", f[0]) or float(f[0]) <= 0 or f[1:] != [unit]:
                fail(f"bench: {n} {' '.join(f)}: want a number > 0 in {unit}"
                     + ("" if n == name else ", or unmeasured and why"))
    print("network figures: " + ", ".join(f"{n} {' '.join(got[n][:2])}" for n in sorted(got)))


{"udp": udp, "bad": bad, "tcp": tcp, "http": http, "nc": nc, "bench": bench}[mode]()
