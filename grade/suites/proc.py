"""Process and memory servers (issue: process and memory servers). Each test boots
the servers (run=os: mem, proc, pong; proc starts init), and init runs prog= with
arg=. The programs check effects themselves (values read back, statuses, the memory
server's frame counts) and print FAIL lines for any check that fails."""

import os

from testlib import Test, DEFAULT_FORBID

FORBID = DEFAULT_FORBID + [r"FAIL"]
CASES = ["forktree", "orphans", "exec", "kill", "sbrk", "badmemory", "outofmemory", "cow",
         "forkloop", "malloc", "clock"]


def os_test(name, prog, expect, arg="", group="os", **kw):
    boot = f"run={group} prog={prog}" + (f" arg={arg}" if arg else "")
    kw.setdefault("forbid", FORBID)
    kw.setdefault("budget", 60)
    return Test(name=name, suite="proc", boot=boot,
                expect=[rf"^init: pid 1, starting {prog}$"] + expect + [rf"^init: {prog} exited with status 0$"],
                end=rf"^init: {prog} exited", **kw)


TESTS = [
    os_test("os-boot", "hello", [], auth=[r"^hello: ok$"]),
] + [
    os_test(f"usertests-{case}", "usertests", [rf"^test {case}: ok$", r"^usertests: ALL 1 TESTS OK$"],
            arg=case, deps=["os-boot"])
    for case in CASES
] + [
    os_test("usertests-smp4", "usertests", [r"^usertests: ALL 11 TESTS OK$"], cpus=4, deps=["usertests-forkloop"]),
    os_test("servers-badinput", "srvbad", [r"^srvbad: ok$"], deps=["os-boot"]),
    # make bench's process figures are there (procbench checks getpid's answers and
    # every child's status), and from the file system: exec of a program read from the
    # disk, and a pipe round trip whose bytes it checks each way
    os_test("bench-proc", "procbench", [rf"^bench: {f} \d+ instructions$" for f in
                                        ("getpid", "fork_exit_wait", "exec", "fork_exec_wait",
                                         "zero_fill_fault", "cow_fault")],
            auth=[r"^procbench: ok$"], deps=["os-boot"]),
    os_test("bench-pipes", "procbench", [r"^bench: fork_exec_wait_fs \d+ instructions$",
                                         r"^bench: pipe_roundtrip \d+ instructions$"],
            arg="fs", auth=[r"^procbench: ok$"], group="fs", disk=True, deps=["os-boot"]),
    # kills racing the victim's own system calls on the other hart (issue 14, bug 1); real
    # parallelism (no -icount), where a hart really waits for the lock while the kill runs
    os_test("kill-race-smp2", "killrace", [], auth=[r"^killrace: ok$"], cpus=2, icount=False, repeat=3,
            deps=["os-boot"]),
    # privilege for policy (issue 14): an ordinary process is refused, one test a refusal
    # (killing init: proc-killrules, lab 02)
    os_test("priv-trace", "privtest", [], arg="trace", auth=[r"^privtest trace: ok$"], group="fs",
            disk=True, forbid=FORBID + [r"^\[kernel\] ipc: "], deps=["os-boot"]),
    os_test("priv-notify", "privtest", [], arg="notify", auth=[r"^privtest notify: ok$"], group="fs",
            disk=True, deps=["os-boot"]),
    # kernel lines cannot be forged: a process's "[kernel] panic: ..." is no panic to the
    # grader (DEFAULT_FORBID), through the console driver and through debug_write
    os_test("kernel-lines-unforgeable", "privtest", [r"^\[user\] \[kernel\] panic: forged through"],
            arg="forge", auth=[r"^privtest forge: ok$"], group="fs", disk=True, deps=["os-boot"]),
    # fairness limits on shared tables (issue 14): one process takes all it can of a
    # table, gets an error at its limit, and another process still gets its share
] + [
    os_test(f"fair-{case}", "fairtest", [], arg=case, auth=[rf"^fairtest {case}: ok$"], group="fs", disk=True,
            deps=["os-boot"])
    for case in ("eps", "threads", "pipe", "fork")
] + [
    os_test("cowread", "cowread", [r"^cowread: ok$"], group="osecho", deps=["os-boot"]),
    Test(name="dma", suite="proc", boot="run=dma", forbid=FORBID, expect=[r"^dma: 4 pages at physical", r"^dma: ok$"]),
]

# The same cores hosted in the kernel: S1 (proc and mem in the kernel), S2 and S3 (mem
# in the kernel, proc in its server). Clients and tests are the same.
for stage in (1, 2, 3):
    TESTS += [
        os_test(f"os-boot-s{stage}", "hello", [], auth=[r"^hello: ok$"], stage=stage),
        os_test(f"usertests-s{stage}", "usertests", [r"^usertests: ALL 11 TESTS OK$"], stage=stage,
                deps=[f"os-boot-s{stage}"]),
        os_test(f"servers-badinput-s{stage}", "srvbad", [r"^srvbad: ok$"], stage=stage, deps=[f"os-boot-s{stage}"]),
        os_test(f"kernel-lines-unforgeable-s{stage}", "privtest",
                [r"^\[user\] \[kernel\] panic: forged through"], arg="forge", stage=stage,
                auth=[r"^privtest forge: ok$"], group="fs", disk=True, deps=[f"os-boot-s{stage}"]),
        os_test(f"cowread-s{stage}", "cowread", [r"^cowread: ok$"], group="osecho", stage=stage,
                deps=[f"os-boot-s{stage}"]),
        Test(name=f"dma-s{stage}", suite="proc", boot="run=dma", stage=stage, forbid=FORBID,
             expect=[r"^dma: 4 pages at physical", r"^dma: ok$"]),
    ]

# Several processes forking, exec'ing, waiting and faulting at once, and several shell
# pipelines at once, at every stage (user/tests/proctest.c, lab 02's test program: the
# process subsystem in the kernel at S1, in its server from S2; at S1 a race in an
# earlier kernel-hosted process subsystem hung the pipelines).
for stage in (1, 2, 3, 4):
    for case in ("concurrent", "pipelines"):
        TESTS.append(Test(name=f"concurrency-{case}-s{stage}", suite="proc", stage=stage, disk=True,
                          boot=f"run=fs prog=proctest arg={case}", forbid=FORBID + [r"exec \S+ failed"],
                          expect=[r"^init: pid 1, starting proctest$", r"^init: proctest exited with status 0$"],
                          auth=[rf"^proctest: {case} ok$"],
                          end=r"^init: proctest exited", budget=3))

# getpid across fork on two harts in real time, at every stage: the reference process
# server's second worker answers getpid without the table's lock, and once answered a
# child whose fork was still being finished "not a process" (a race this test meets
# only when the host delays the fork's worker: proctest.c, forkpid).
for stage in (1, 2, 3, 4):
    TESTS.append(Test(name=f"forkpid-s{stage}", suite="proc", stage=stage, disk=True, cpus=2, icount=False,
                      boot="run=fs prog=proctest arg=forkpid", forbid=FORBID,
                      expect=[r"^init: pid 1, starting proctest$", r"^init: proctest exited with status 0$"],
                      auth=[r"^proctest: forkpid ok$"], end=r"^init: proctest exited", budget=3))

# The fuzzer (issue 14; user/tests/fuzz.c): an ordinary process's random system calls
# and messages to every server, then health and leak checks, and fsck from the host.
# make check runs fixed seeds; `make fuzz SEED=s N=n` runs fuzz-custom (MV6_FUZZ=s:n).
# Real time (no -icount): a fuzzing child that blocks for good is cut off by a timer.
def fuzz_test(name, arg, cpus=2, budget=600):
    seed = arg.split(":")[0]
    return Test(name=name, suite="proc", boot=f"run=fs prog=fuzz arg={arg}", disk=True, cpus=cpus,
                icount=False, budget=budget, wall=budget + 60, fsck=True,
                # a child's random debug_write may print anything but a line the kernel
                # or the fuzzer's own checks print
                forbid=DEFAULT_FORBID + [r"^FAIL user/tests/fuzz", r"^fuzz \d+: FAIL"],
                expect=[r"^init: pid 1, starting fuzz$", r"^init: fuzz exited with status 0$"],
                auth=[rf"^fuzz {seed}: ok$"], end=r"^init: fuzz exited")


TESTS += [fuzz_test(f"fuzz-seed{s}", f"{s}:50000") for s in (1, 2)]
if os.environ.get("MV6_FUZZ"):
    TESTS.append(fuzz_test("fuzz-custom", os.environ["MV6_FUZZ"], int(os.environ.get("MV6_FUZZ_CPUS") or 2),
                           budget=3600))
