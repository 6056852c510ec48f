#!/usr/bin/env python3
"""bench.py STAGE_DIR [NAME...] | STAGE_DIR --scale: make bench. Runs the benchmark programs, CPUS=1, and prints
their `bench: NAME VALUE UNIT` lines; a figure a run did not produce prints as
`bench: NAME unmeasured REASON` (the watchdog fired, a FAIL, a panic, a timeout).

Instruction figures come from runs under -icount shift=0,align=off,sleep=off, where
instret counts guest instructions; the programs subtract the instret that passed while
the hart idled in wfi (STAT_IDLE), which QEMU jumps over. Wall figures come from runs
without icount and vary with the host's load. With NAMEs, only the runs that give one of
those figures (a quicker look while working on one).

--scale (make bench-scale): K = 1 and 2 independent clients (user/tests/scalebench.c:
getpid loops, pipe round trips, file writers in directories of their own, ping pairs,
and a compute loop without system calls: the host's own ceiling), wall time without
icount at CPUS=1 and CPUS=2, five rounds each, interleaved; prints the medians and the
ratio two clients on 2 harts / two clients on 1 hart (the issue asks <= 0.65).
Wall time: meaningful only on a quiet host.

The network's figures (TCP both ways, HTTP requests, UDP round trips, each beside a
native ceiling through the same QEMU user network) come from mk/netbench.py."""
import os, re, select, statistics, subprocess, sys, time

D = sys.argv[1]
ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]
DISK = ["-global", "virtio-mmio.force-legacy=false",
        "-drive", f"file={D}/fs.img,if=none,format=raw,id=x0,snapshot=on",
        "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0",
        "-netdev", "user,id=net0", "-device", "virtio-net-device,netdev=net0,bus=virtio-mmio-bus.1"]
# $MV6_QEMU and $MV6_BIOS pick another QEMU and firmware, as for grade.py (mk/qemu10.sh).
QEMU = [os.environ.get("MV6_QEMU") or "qemu-system-riscv64", "-machine", "virt",
        "-bios", os.environ.get("MV6_BIOS") or "default", "-m", "128M", "-smp", "1",
        "-nographic", "-monitor", "none", "-serial", "stdio", "-no-reboot"]
HOST_LIMIT = 300          # seconds of host time per run

# (kernel command line, QEMU options, the figures the run prints). Runs under init
# (run=os, run=fs) cannot power the machine off: this script stops QEMU once the
# figures are in, and the guest watchdog is only a backstop (long enough for the disk
# waits, which sleep=off turns into jumps of guest time).
RUNS = [
    ("run=bench mode=icount watchdog=60", ICOUNT,
     ["ipc_roundtrip", "ipc_fastpath_share", "bulk_copy_64k_aligned", "bulk_copy_64k_unaligned"]),
    ("run=bench mode=wall watchdog=60", [], ["ipc_roundtrip_wall"]),
    ("run=os prog=procbench watchdog=60", ICOUNT,
     ["getpid", "fork_exit_wait", "exec", "fork_exec_wait", "zero_fill_fault", "cow_fault"]),
    ("run=fs prog=procbench arg=fs watchdog=600", ICOUNT + DISK, ["fork_exec_wait_fs", "pipe_roundtrip"]),
    ("run=fs prog=fsbench watchdog=600", ICOUNT + DISK,
     ["fs_write", "fs_read", "fs_unlink", "disk_inflight_max"]),
    ("run=fs prog=fsbench arg=wall watchdog=600", DISK,
     ["fs_write_wall", "fs_read_wall", "fs_unlink_wall"]),
    ("run=fs prog=nop benchboot watchdog=600", ICOUNT + DISK, ["boot_to_shell"]),
]


def run(cmdline, opts, names):
    """Runs one QEMU; prints the figures named, or why each is missing."""
    p = subprocess.Popen(QEMU + ["-kernel", f"{D}/kernel-test", "-append", cmdline] + opts,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    got, buf, reason = {}, b"", "no output (QEMU exited)"
    end = time.monotonic() + HOST_LIMIT
    while len(got) < len(names):
        r, _, _ = select.select([p.stdout], [], [], max(0, end - time.monotonic()))
        if not r:
            reason = f"host timeout {HOST_LIMIT} s"
            break
        data = os.read(p.stdout.fileno(), 4096)
        if not data:
            break
        buf += data.replace(b"\r", b"")
        *lines, buf = buf.split(b"\n")
        for ln in (x.decode(errors="replace") for x in lines):
            f = ln.split()
            if ln.startswith("bench: ") and len(f) >= 3 and f[1] in names:
                got[f[1]] = ln
                print(ln, flush=True)
            elif "watchdog" in ln:
                reason = "guest watchdog fired"
            elif "FAIL" in ln or "panic" in ln:
                reason = "failed: " + ln.strip()[:100]
                print(ln, flush=True)
    p.kill()
    p.wait()
    for n in names:
        if n not in got:
            print(f"bench: {n} unmeasured {reason}", flush=True)


def boot_wall():
    """Wall time from QEMU's start to the shell's first prompt: the median of 11 boots."""
    cmd = QEMU + DISK + ["-kernel", f"{D}/kernel", "-append", "watchdog=10"]
    times = []
    for _ in range(11):
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
        out = b""
        while b"$ " not in out and time.monotonic() - t0 < 20:
            r, _, _ = select.select([p.stdout], [], [], 1)
            if r:
                data = os.read(p.stdout.fileno(), 4096)
                if not data:
                    break
                out += data
        if b"$ " in out:
            times.append(time.monotonic() - t0)
        p.kill()
        p.wait()
    if len(times) == 11:
        print(f"bench: boot_to_prompt_wall {statistics.median(times) * 1000:.0f} ms")
    else:
        print(f"bench: boot_to_prompt_wall unmeasured no prompt in {11 - len(times)} of 11 boots")


ROUNDS = 5


def scale():
    """Median wall times of scalebench at CPUS=1 and 2, and the ratios; with the
    kernel's counts for two clients on two harts (IPC fast and general paths, IPIs)."""
    got, counts, failed = {}, {}, set()
    for _ in range(ROUNDS):
        for cpus in (1, 2):
            cmd = QEMU[:]
            cmd[cmd.index("-smp") + 1] = str(cpus)
            p = subprocess.Popen(cmd + DISK + ["-kernel", f"{D}/kernel-test", "-append",
                                 "run=fs prog=scalebench watchdog=600"], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            lines, end = [], time.monotonic() + HOST_LIMIT
            while time.monotonic() < end:   # until it is done: init never powers off
                ln = p.stdout.readline().decode(errors="replace")
                if not ln or "scalebench: " in ln:
                    break
                lines.append(ln)
            p.kill()
            p.wait()
            fail = False            # a FAIL line (a client's check) taints the workload's next figure
            for ln in lines:
                f = ln.split()
                fail = fail or ln.startswith("FAIL")
                if ln.startswith("bench: scale_") and len(f) >= 10:
                    work = f[1].split("_")[1]
                    if fail:
                        failed.add(work)
                        fail = False
                        continue
                    got.setdefault((work, cpus), []).append((int(f[2]), int(f[7])))
                    if m := re.search(r"2: (\d+) (\d+) (\d+)\) commits 1: (\d+), 2: (\d+)", ln):
                        counts.setdefault((work, cpus), []).append(tuple(map(int, m.groups())))
    for work in ("getpid", "pipe", "fswrite", "ping", "compute"):
        one, two = got.get((work, 1), []), got.get((work, 2), [])
        if work in failed:
            print(f"bench: scale_{work} unmeasured a client's checks failed (FAIL lines)", flush=True)
            continue
        if len(one) < ROUNDS or len(two) < ROUNDS:
            print(f"bench: scale_{work} unmeasured scalebench did not finish", flush=True)
            continue
        m = {c: [statistics.median(x[k] for x in got[(work, c)]) for k in (0, 1)] for c in (1, 2)}
        c = [statistics.median(x[k] for x in counts.get((work, 2), [(0,) * 5])) for k in range(5)]
        c1 = [statistics.median(x[k] for x in counts.get((work, 1), [(0,) * 5])) for k in range(5)]
        commits = (f"; log commits for the writes of 1 client, and of 2 on 1 and 2 harts: {c1[3]:.0f}, {c1[4]:.0f}, "
                   f"{c[4]:.0f}" if work == "fswrite" else "")
        print(f"bench: scale_{work} {m[2][1] / m[1][1]:.2f} ratio (2 clients: {m[1][1] / 1000:.0f} ms on 1 hart, "
              f"{m[2][1] / 1000:.0f} ms on 2; 1 client: {m[1][0] / 1000:.0f} ms, {m[2][0] / 1000:.0f} ms; "
              f"2 clients on 2 harts: {c[0]:.0f} fast and {c[1]:.0f} general-path IPC, {c[2]:.0f} IPIs{commits})",
              flush=True)


if sys.argv[2:] == ["--scale"]:
    scale()
    sys.exit(0)
ONLY = set(sys.argv[2:])
for r in RUNS:
    if not ONLY or ONLY & set(r[2]):
        run(*r)
if not ONLY or "boot_to_prompt_wall" in ONLY:
    boot_wall()
NET = {"net_tcp_h2g", "net_tcp_g2h", "net_http", "net_udp_rtt"}    # and each's _native ceiling
if not ONLY or ONLY & (NET | {n + "_native" for n in NET}):
    sys.stdout.flush()
    try:
        subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "netbench.py"),
                        D], timeout=2 * HOST_LIMIT)
    except subprocess.TimeoutExpired:
        print(f"bench: net_* unmeasured mk/netbench.py still running after {2 * HOST_LIMIT} s", flush=True)
