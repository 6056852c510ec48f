#!/usr/bin/env python3
"""profcheck.py STAGE_DIR LOG RUN: make profile's system test (a script test, kernel
suite). Boots the test image with run=profhot profile=profhot under -icount shift=0;
user/tests/profhot.c runs about 100 M instructions in hot() and a tenth of that in
cold(). The kernel's samples, symbolised by mk/profile.py, must put profhot's hot() at
the top of the table with most of the executed instructions, and cold() at about a
tenth of hot(): a profiler that samples the wrong pc, task or time fails. The kernel's
functions, counted exactly from QEMU's log, must hold the timer ticks' entries (trapvec,
timer_interrupt) and stay a small share."""
import importlib.util, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location("mv6_profile", os.path.join(ROOT, "mk/profile.py"))
pf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pf)

stage_dir, log_path = sys.argv[1], sys.argv[2]
kernel = os.environ.get("MV6_KERNEL") or os.path.join(stage_dir, "kernel-test")
wall = 60 * float(os.environ.get("MV6_WALL_SCALE", "1"))
lines, kfns = pf.run(kernel, None, "run=profhot profile=profhot watchdog=60", wall=int(wall))
with open(log_path, "w") as f:
    f.write("\n".join(lines))


def fail(why):
    print(f"profcheck: {why}")
    sys.exit(1)


p = pf.parse(lines)
if p is None:
    fail("no profile dump in the log")
if not kfns:
    fail("no exact count of the kernel's functions (QEMU's log had no complete prof_window)")
rows = pf.rows(p, lambda task: pf.symbols(os.path.join(stage_dir, "bin", task)), kfns)
busy = sum(n for n, _, _ in rows)
print(pf.table(p, rows, 5, kernel_exact=bool(kfns)), end="")
samples = {(t, f): n for n, t, f in rows}
hot, cold = samples.get(("profhot", "hot"), 0), samples.get(("profhot", "cold"), 0)
if not rows or rows[0][1:] != ("profhot", "hot"):
    fail(f"top of the table is {rows[0][1:] if rows else None}, not profhot hot")
if hot < 0.7 * busy:
    fail(f"hot has {hot} of {busy} instructions, want at least 70%")
if not 0.05 * hot <= cold <= 0.2 * hot:
    fail(f"cold has {cold} instructions to hot's {hot}, want about a tenth")
# Every sample was a timer tick taken from user mode: each entered the kernel through
# trapvec (about 45 instructions) and timer_interrupt, so the exact count must have them.
ticks = p.samples - p.idle - p.kernel
if kfns.get("trapvec", 0) < 20 * ticks or kfns.get("timer_interrupt", 0) < ticks:
    fail(f"the kernel count has trapvec {kfns.get('trapvec', 0)} and timer_interrupt "
         f"{kfns.get('timer_interrupt', 0)} instructions for {ticks} ticks taken from user mode")
kern = sum(kfns.values())
if not 0 < kern < 0.1 * busy:
    fail(f"the kernel executed {kern} of {busy} instructions, want a few percent of a user-bound run")
print("profcheck: ok")
