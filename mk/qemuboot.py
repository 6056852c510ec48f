"""qemuboot.py: one boot of mv6 in QEMU, its console read until a marker, for the
tools that watch a run (profile.py, trace.py, xv6-usertests.py). $MV6_QEMU and
$MV6_BIOS pick the QEMU and the firmware, as for the grader."""
import os
import select
import subprocess
import time


def console(kernel, boot, disk=None, snapshot=True, cpus=1, icount=False, until=(), after=0.0, wall=300,
            extra=()):
    """The console lines of a boot of kernel with arguments boot (disk: an image on
    virtio-blk, with the network device beside it; snapshot: its writes thrown away;
    extra: more QEMU options).
    Reading stops `after` seconds after a line holding one of `until` (or "[kernel]
    watchdog:") arrives, at end of output, or at `wall` seconds; then QEMU is stopped."""
    cmd = ["timeout", str(wall), os.environ.get("MV6_QEMU", "qemu-system-riscv64"), "-machine", "virt",
           "-bios", os.environ.get("MV6_BIOS", "default"), "-m", "128M", "-smp", str(cpus), "-nographic",
           "-monitor", "none", "-serial", "stdio", "-no-reboot", "-global", "virtio-mmio.force-legacy=false"]
    if icount:
        cmd += ["-icount", "shift=0,align=off,sleep=off"]
    if disk:
        cmd += ["-drive", f"file={disk},if=none,format=raw,id=x0" + (",snapshot=on" if snapshot else ""),
                "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0",
                "-netdev", "user,id=net0", "-device", "virtio-net-device,netdev=net0,bus=virtio-mmio-bus.1"]
    cmd += list(extra) + ["-kernel", kernel, "-append", boot]
    marks = [m.encode() for m in until] + [b"[kernel] watchdog:"]
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    buf, end, stop = b"", time.monotonic() + wall, None
    try:
        while True:
            # whole lines only: a marker read before the rest of its line ("init: x
            # exited" without " with status 0") must not stop the reading yet
            if stop is None and any(m in buf[:buf.rfind(b"\n") + 1] for m in marks):
                stop = time.monotonic() + after
            left = (end if stop is None else min(end, stop)) - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([p.stdout], [], [], left)
            if not ready:
                continue
            data = os.read(p.stdout.fileno(), 65536)
            if not data:
                break
            buf += data
    finally:
        # SIGTERM, which timeout passes on to QEMU (a SIGKILL would stop only timeout
        # and leave QEMU running alone)
        p.terminate()
        p.wait()
    return buf.decode(errors="replace").replace("\r", "").split("\n")
