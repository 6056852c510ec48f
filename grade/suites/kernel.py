"""Kernel system tests (issue: kernel core). Each boots build/s4/kernel-test with
run=GROUP, which starts the boot tasks of that group (kernel/boottab.c). The test
programs (user/tests/) check the data themselves and print "NAME: ok" only if every
check passed; a FAIL line or a kernel panic/watchdog fails the test."""

from dataclasses import replace

from testlib import Test, DEFAULT_FORBID

FORBID = DEFAULT_FORBID + [r"FAIL"]


def kt(name, group, expect, **kw):
    kw.setdefault("forbid", FORBID)
    return Test(name=name, suite="kernel", boot=f"run={group}", expect=expect, **kw)


BANNER = r"^\[kernel\] mv6 microkernel"
MANY = [r"^manyclients: 10 clients, 20000 calls, 0 wrong replies$", r"^manyclients: ok$"]
FAULTS = [
    r"^\[kernel\] fault: task faulter pc 0x[0-9a-f]+ scause 13 \(load page fault\) stval 0x0*40000000$",
    r"^\[kernel\] fault: task faulter pc 0x[0-9a-f]+ scause 15 \(store page fault\) stval 0x[0-9a-f]+$",
    r"^\[kernel\] fault: task faulter pc 0x[0-9a-f]+ scause 2 \(illegal instruction\)",
    r"^\[kernel\] fault: task faulter pc 0x[0-9a-f]+ scause 13 \(load page fault\) stval 0x0*80200000$",
    r"^faults: ok$",
]

TESTS = [
    kt("boot", "hello", [BANNER], auth=[r"^hello: ok$"], end=r"^hello: (ok|FAIL)"),
    kt("boot-smp4", "hello", [BANNER, r"^\[kernel\] 4 harts"], auth=[r"^hello: ok$"], cpus=4,
       end=r"^hello: (ok|FAIL)"),
    kt("pingpong", "pingpong", [r"^pingpong: 10000 round trips", r"^pingpong: ok$"], deps=["boot"]),
    kt("many", "many", MANY, deps=["boot"]),
    kt("many-smp4", "many", MANY, cpus=4, deps=["boot-smp4"]),
    kt("many-smp4-real", "many", MANY, cpus=4, icount=False, repeat=20, deps=["boot-smp4"]),
    kt("bulk", "bulk", [r"^bulk: ok$"], deps=["boot"]),
    kt("bulk-kernel", "kbulk", [r"^kbulk: ok$"], deps=["boot"]),
    # make bench's IPC figures are there (ipcbench checks that unaligned bulk copies
    # cost less than 4 times aligned ones: byte-wise copies cost 7 times).
    kt("bench-ipc", "bench", [r"^bench: ipc_roundtrip \d+ instructions$", r"^bench: ipc_fastpath_share [\d.]+ percent$",
                              r"^bench: bulk_copy_64k_aligned \d+ instructions$",
                              r"^bench: bulk_copy_64k_unaligned \d+ instructions$", r"^ipcbench: ok$"],
       deps=["bulk"]),
    kt("notify", "notify", [r"^notify: uart interrupt delivered 'x'$", r"^notify: ok$"],
       input=[(r"notify: waiting for a key", "x")], deps=["boot"]),
    kt("kernel-stop-unwinds", "kstop", [r"^stopper: kwait stopped inside the kernel and unwound$", r"^kstop: ok$"],
       deps=["bulk-kernel"]),
    kt("outstanding", "outstanding", [r"^outstanding: 8 calls held", r"^outstanding: ok$"], deps=["boot"]),
    kt("outstanding-smp4-real", "outstanding", [r"^outstanding: 8 calls held", r"^outstanding: ok$"],
       cpus=4, icount=False, repeat=20, deps=["outstanding"]),
    kt("preempt", "preempt", [r"^preempt: ok$"], deps=["boot"]),
    kt("preempt-smp2", "preempt", [r"^preempt: ok$"], cpus=2, deps=["preempt"]),
    kt("badinput", "badinput", [r"^badinput: ok$"], end=r"^badinput: (ok|FAIL)", deps=["boot"]),
    kt("faults", "faults", FAULTS, deps=["boot"]),
    kt("deadserver", "deadserver", [r"^deadserver: the waiting call failed", r"^deadserver: ok$"], deps=["boot"]),
    kt("trace", "trace", [r"^\[kernel\] ipc: call tracer -> ep 1 label 7", r"^\[kernel\] ipc: reply pong -> tracer",
                          r"^\[kernel\] dump requested", r"^\[kernel\]   thread \d+ prio 4 recv on ep 1 of pong$",
                          r"^trace: ok$"], deps=["boot"]),
    # make profile: the kernel's samples, symbolised, put a known hot function on top.
    Test(name="profile", suite="kernel", script="grade/profcheck.py", deps=["boot"]),
    # The kernel's own diagnostics: a panic prints a symbolic backtrace; the watchdog
    # dumps every task and what it waits on, then powers off.
    Test(name="panic-backtrace", suite="kernel", boot="run=hello selftest=panic", forbid=[r"^hello"],
         expect=[r"^\[kernel\] panic: selftest: panic$", r"^\[kernel\] backtrace:$",
                 r"^\[kernel\]   0x[0-9a-f]+ boot_tests\+\d+$", r"^\[kernel\]   0x[0-9a-f]+ boot_tasks\+\d+$",
                 r"^\[kernel\]   0x[0-9a-f]+ start\+\d+$"]),
    Test(name="watchdog-dump", suite="kernel", boot="run=hello", budget=0.5, forbid=[r"panic"],
         expect=[r"^hello: ok$", r"^\[kernel\] watchdog: time limit reached$", r"^\[kernel\] task 0 pong$",
                 r"^\[kernel\]   thread 0 prio 4 recv on ep 1 of pong$"]),
    kt("pager", "pager", [r"^lazy: pages made present by the pager: ok$",
                          r"^\[kernel\] fault: task lazy pc 0x[0-9a-f]+ scause 13 .* stval 0x0*50000000$",
                          r"^pager: ok$"], deps=["boot"]),
] + [
    # the rights table (kernel/boottab.h): one test a right refused (user/tests/rights.c)
    kt(f"rights-{case}", f"r{case}", [], auth=[rf"^rights {case}: ok$"], end=rf"^rights {case}: (ok|FAIL)")
    for case in ("task", "map", "thread", "uart", "virtio", "respawn", "respawned")
]

# A smoke set at the stages where subsystems still run in the kernel.
SMOKE = ["boot", "pingpong", "bulk-kernel", "kernel-stop-unwinds", "faults", "badinput"]
for stage in (1, 2, 3):
    for t in [t for t in TESTS if t.name in SMOKE and t.stage == 4]:
        TESTS.append(replace(t, name=f"{t.name}-s{stage}", stage=stage,
                             deps=[f"{d}-s{stage}" for d in t.deps if d in SMOKE]))
