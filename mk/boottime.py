#!/usr/bin/env python3
"""boottime.py STAGE_DIR: wall time from QEMU's start to the shell's first prompt,
CPUS=1, the median of 11 boots (make bench)."""
import os, select, statistics, subprocess, sys, time

d = sys.argv[1]
cmd = ["qemu-system-riscv64", "-machine", "virt", "-bios", "default", "-m", "128M", "-smp", "1",
       "-nographic", "-monitor", "none", "-serial", "stdio", "-no-reboot",
       "-global", "virtio-mmio.force-legacy=false",
       "-drive", f"file={d}/fs.img,if=none,format=raw,id=x0,snapshot=on",
       "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0",
       "-kernel", f"{d}/kernel", "-append", "watchdog=10"]
times = []
for _ in range(11):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = b""
    while b"$ " not in out and time.monotonic() - t0 < 20:
        r, _, _ = select.select([p.stdout], [], [], 1)
        if r:
            out += os.read(p.stdout.fileno(), 4096)
    if b"$ " in out:
        times.append(time.monotonic() - t0)
    p.kill()
    p.wait()
if len(times) == 11:
    print(f"bench: boot_to_prompt_wall {statistics.median(times) * 1000:.0f} ms")
else:
    print("bench: boot_to_prompt_wall FAIL (no prompt)")
