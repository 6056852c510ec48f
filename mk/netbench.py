#!/usr/bin/env python3
"""netbench.py STAGE_DIR [--quick]: make bench's network figures (run by mk/bench.py),
wall time, as `bench: NAME VALUE UNIT` or `bench: NAME unmeasured REASON`:

  net_tcp_h2g    MB/s  the host sends 1 MiB over TCP to a sink in the guest (median of 5)
  net_tcp_g2h    MB/s  a source in the guest sends 1 MiB over TCP to the host (median of 5)
  net_http       req/s sequential GETs of a small file (/echo), a new connection each,
                       from httpd (median of 5 rounds of 100)
  net_udp_rtt    us    round trip of a 32-byte UDP datagram echoed (median of 200)

The host reaches the guest through QEMU's user network (slirp), its ports forwarded from
free ports on 127.0.0.1; the guest runs `nettest bench` (user/tests/nettest.c). Every
answer is checked (byte counts, the pattern, the file's bytes, the datagram).

Each figure has a `_native` twin, the ceiling: the same client code through the same
slirp with its same forwarded ports, but with Linux's own TCP/IP and native servers
(Python: sink, source, http.server with the same file, UDP echo) behind it instead of
the guest. To get there without root, this script runs itself again in a new user and
network namespace (unshare -rn), where a tap device at 10.0.2.15 is joined to QEMU's
slirp by a QEMU hub; QEMU's CPU only waits (wfi). The frames take slirp's path plus a
tap instead of virtio-net's rings. Where unshare or the tap device is not allowed, the
_native figures print as unmeasured with the reason.

--quick (grade/nettest.py bench): one round of each, smaller, for a figure-presence test."""
import atexit, http.server, os, select, shutil, socket, socketserver, statistics, struct, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "grade"))
import fsimg  # noqa: E402

if len(sys.argv) < 2 or not os.path.isdir(sys.argv[1]):
    sys.exit("usage: netbench.py STAGE_DIR [--quick]")
D = sys.argv[1]
QUICK = "--quick" in sys.argv
KERNEL = os.environ.get("MV6_KERNEL") or os.path.join(D, "kernel-test")
IMG = os.environ.get("MV6_DISK") or os.path.join(D, "fs.img")
QEMU = [os.environ.get("MV6_QEMU") or "qemu-system-riscv64", "-machine", "virt",
        "-bios", os.environ.get("MV6_BIOS") or "default", "-m", "128M", "-smp", "1",
        "-nographic", "-monitor", "none", "-no-reboot"]
ROUNDS = 1 if QUICK else 5
SIZE = (256 if QUICK else 1024) * 1024
REQS = 40 if QUICK else 100      # more than the guest's 16 TCP slots: TIME_WAIT must give way
PINGS = 20 if QUICK else 200
FILE = "/echo"
NAMES = ["net_tcp_h2g", "net_tcp_g2h", "net_http", "net_udp_rtt"]
UNITS = {"net_tcp_h2g": "MB/s", "net_tcp_g2h": "MB/s", "net_http": "req/s", "net_udp_rtt": "us"}
GUEST_PORTS = {"h2g": 80, "g2h": 81, "http": 8080, "udp": 7}


def pattern(n, cache={}):
    """What the guest's source sends: byte i is (i * 131 + (i >> 10)) & 0xff (nettest.c).
    Made once: the native source must not spend its time in Python making it."""
    if n not in cache:
        cache[n] = bytes((i * 131 + (i >> 10)) & 0xff for i in range(n))
    return cache[n]


def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def forwards():
    """Free host ports for the four services, and the -netdev user option forwarding them."""
    ports = {k: free_port(socket.SOCK_DGRAM if k == "udp" else socket.SOCK_STREAM) for k in GUEST_PORTS}
    fwd = ",".join(f"hostfwd={'udp' if k == 'udp' else 'tcp'}:127.0.0.1:{p}-:{GUEST_PORTS[k]}"
                   for k, p in ports.items())
    return ports, fwd


def recv_all(c):
    out = bytearray()
    while True:
        chunk = c.recv(65536)
        if not chunk:
            return bytes(out)
        out += chunk


def tcp_h2g(port):
    data = os.urandom(SIZE)
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as c:
        c.sendall(data)
        c.shutdown(socket.SHUT_WR)
        back = recv_all(c)
    t = time.monotonic() - t0
    if back != f"got {SIZE}".encode():
        raise RuntimeError(f"the sink answered {back[:40]!r}")
    return SIZE / t / 1e6


def tcp_g2h(port, want):
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as c:
        c.sendall(str(SIZE).encode())
        got = recv_all(c)
    t = time.monotonic() - t0
    if got != want:
        raise RuntimeError(f"the source sent {len(got)} bytes, not the {SIZE} of the pattern")
    return SIZE / t / 1e6


def http_rate(port, want):
    import urllib.request
    t0 = time.monotonic()
    for _ in range(REQS):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{FILE}", timeout=30) as r:
            if r.status != 200 or r.read() != want:
                raise RuntimeError(f"GET {FILE}: {r.status}, not the file's {len(want)} bytes")
    return REQS / (time.monotonic() - t0)


def udp_rtt(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    times = []
    for i in range(PINGS):
        data = os.urandom(32)
        t0 = time.monotonic()
        s.sendto(data, ("127.0.0.1", port))
        while s.recv(2048) != data:    # a late echo of an earlier one (never expected) is skipped
            pass
        times.append(time.monotonic() - t0)
    s.close()
    return statistics.median(times) * 1e6


def measure(ports, want_file, suffix):
    """Runs the four measurements; prints each figure (median of ROUNDS) or why not."""
    want_src = pattern(SIZE)
    runs = [("net_tcp_h2g", lambda: tcp_h2g(ports["h2g"])), ("net_tcp_g2h", lambda: tcp_g2h(ports["g2h"], want_src)),
            ("net_http", lambda: http_rate(ports["http"], want_file)), ("net_udp_rtt", lambda: udp_rtt(ports["udp"]))]
    for name, f in runs:
        try:
            v = statistics.median(f() for _ in range(ROUNDS))
            print(f"bench: {name}{suffix} {v:.{0 if v >= 100 else 2}f} {UNITS[name]}", flush=True)
        except (OSError, RuntimeError) as e:
            print(f"bench: {name}{suffix} unmeasured {type(e).__name__}: {e}", flush=True)


def guest():
    """The guest's figures: boot `nettest bench`, wait for its four servers, measure."""
    hello = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    hello.bind(("127.0.0.1", 0))
    ports, fwd = forwards()
    cmd = QEMU + ["-serial", "stdio", "-global", "virtio-mmio.force-legacy=false",
                  "-drive", f"file={IMG},if=none,format=raw,id=x0,snapshot=on",
                  "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0",
                  "-netdev", f"user,id=net0,{fwd}", "-device", "virtio-net-device,netdev=net0,bus=virtio-mmio-bus.1",
                  "-kernel", KERNEL, "-append",
                  f"run=net prog=nettest arg=bench hostport={hello.getsockname()[1]} watchdog=1000"]
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out, end = b"", time.monotonic() + 90
        need = [b"httpd: listening on port 8080", b"nettest: serving port 80", b"nettest: serving port 81"]
        while not all(n in out for n in need) and time.monotonic() < end:
            if select.select([p.stdout], [], [], 1)[0]:
                data = os.read(p.stdout.fileno(), 4096)
                if not data:
                    break
                out += data
        hello.settimeout(max(1, end - time.monotonic()))
        try:
            ready = hello.recv(100) == b"nettest hello" and all(n in out for n in need)
        except socket.timeout:
            ready = False
        if not ready:
            tail = out.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            for n in NAMES:
                print(f"bench: {n} unmeasured the guest's servers did not start ({tail[0][:80]})", flush=True)
            return
        def drain():                   # the console read on, so the guest never blocks on it
            while os.read(p.stdout.fileno(), 4096):
                pass
        threading.Thread(target=drain, daemon=True).start()
        measure(ports, fsimg.Image(open(IMG, "rb").read()).file(FILE), "")
    finally:
        p.kill()
        p.wait()


def native():
    """The ceiling, run outside: this script again in a user and network namespace."""
    try:
        r = subprocess.run(["unshare", "-rn", sys.executable, os.path.abspath(__file__), D, "--inside"]
                           + (["--quick"] if QUICK else []), capture_output=True, text=True, timeout=600,
                           env=dict(os.environ, MV6_DISK=IMG))
        lines = [ln for ln in r.stdout.splitlines() if ln.startswith("bench: ")]
        why = (r.stderr.strip().splitlines() or [f"exit status {r.returncode}"])[-1][:100]
    except (OSError, subprocess.TimeoutExpired) as e:
        lines, why = [], str(e)[:100]
    for n in NAMES:
        got = [ln for ln in lines if ln.split()[1] == n + "_native"]
        print(got[0] if got else f"bench: {n}_native unmeasured {why}", flush=True)


class Sink(socketserver.BaseRequestHandler):
    def handle(self):
        n = 0
        while chunk := self.request.recv(65536):
            n += len(chunk)
        self.request.sendall(f"got {n}".encode())


class Source(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.sendall(pattern(int(self.request.recv(100))))


class Quiet(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass


def inside():
    """In the namespace: tap0 as 10.0.2.15 behind a QEMU whose slirp forwards as for the
    guest, native servers on the guest's ports, then the same measurements."""
    for c in (["ip", "link", "set", "lo", "up"], ["ip", "tuntap", "add", "dev", "tap0", "mode", "tap"],
              ["ip", "addr", "add", "10.0.2.15/24", "dev", "tap0"], ["ip", "link", "set", "tap0", "up"]):
        r = subprocess.run(c, capture_output=True, text=True)
        if r.returncode:
            sys.exit(f"{' '.join(c)}: {r.stderr.strip()}")
    pattern(SIZE)
    www = tempfile.mkdtemp()
    atexit.register(shutil.rmtree, www, True)
    want = fsimg.Image(open(IMG, "rb").read()).file(FILE)
    with open(www + FILE, "wb") as f:
        f.write(want)
    servers = [socketserver.ThreadingTCPServer(("10.0.2.15", 80), Sink),
               socketserver.ThreadingTCPServer(("10.0.2.15", 81), Source),
               http.server.ThreadingHTTPServer(("10.0.2.15", 8080),
                                                lambda *a: Quiet(*a, directory=www))]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    echo = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    echo.bind(("10.0.2.15", 7))

    def echo_loop():
        while True:
            data, peer = echo.recvfrom(2048)
            echo.sendto(data, peer)
    threading.Thread(target=echo_loop, daemon=True).start()
    ports, fwd = forwards()
    with open(www + "/wfi.bin", "wb") as f:   # the CPU's program: wfi; j wfi (a stopped CPU, -S,
        f.write(struct.pack("<II", 0x10500073, 0xffdff06f))   # would stop QEMU's network too)
    cmd = QEMU[:]
    cmd[cmd.index("-bios") + 1] = "none"
    p = subprocess.Popen(cmd + ["-kernel", www + "/wfi.bin", "-serial", "none", "-netdev", f"user,id=u,{fwd}",
                                 "-netdev", "tap,id=t,ifname=tap0,script=no,downscript=no",
                                 "-netdev", "hubport,id=hu,hubid=0,netdev=u",
                                 "-netdev", "hubport,id=ht,hubid=0,netdev=t"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        time.sleep(1)
        if p.poll() is not None:
            sys.exit("QEMU with a tap: " + p.stderr.read().decode(errors="replace").strip()[:100])
        measure(ports, want, "_native")
    finally:
        p.kill()
        p.wait()


if "--inside" in sys.argv:
    inside()
else:
    guest()
    native()
