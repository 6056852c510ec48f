"""Lab 02's graded tests, at stage 2: the server loop (servers/lib/server.c) and the
process server (servers/proc/) that runs on it.

The structure test comes first: the privileged test task srvkill stops the process
server and its clients must get E_DEAD at once (no kernel-hosted copy answers); the
other tests count only if it passes. Points are decided by verdict lines (`auth`):
trusted test programs (user/usertests.c, user/tests/proctest.c, labs/02-proc/loopcli.c,
...) print them only after every check passed. The server-loop tests judge the loop
through loopsrv, a fixture server built on it (it is not keyed and prints no verdict:
loopcli, which does not link the student's code, judges from its answers).
"""

from testlib import Test, DEFAULT_FORBID

FORBID = DEFAULT_FORBID + [r"FAIL", r"exec \S+ failed"]
STRUCTURE = "proc-structure"


def test(**kw):
    kw.setdefault("deps", [STRUCTURE])
    return Test(suite="lab02", lab="02", stage=2, forbid=FORBID, **kw)


def loop(name, group, case, points, cpus=1, budget=1):
    """A server-loop case: loopcli judges loopsrv (labs/02-proc/), no file system."""
    return test(name=name, boot=f"run={group}", cpus=cpus, budget=budget, points=points,
                auth=[rf"^loop: {case} ok$", r"^loop: ok$"])


def fixture(name, group, program, points, budget=1):
    """An older kernel-suite fixture on the server loop, now at stage 2."""
    return test(name=name, boot=f"run={group}", budget=budget, points=points, auth=[rf"^{program}: ok$"])


def prog(name, program, case, points, auth, group="fs", budget=1):
    """init runs program with one argument, the case."""
    return test(name=name, boot=f"run={group} prog={program} arg={case}", disk=group == "fs",
                expect=[rf"^init: pid 1, starting {program}$", rf"^init: {program} exited with status 0$"],
                auth=auth, end=rf"^init: {program} exited", budget=budget, points=points)


def usertests(case, points, budget=1):
    return prog(f"proc-{case}", "usertests", case, points,
                [rf"^test {case}: ok$", r"^usertests: ALL 1 TESTS OK$"], budget=budget)


def proctest(name, case, points, group="fs"):
    return prog(name, "proctest", case, points, [rf"^proctest: {case} ok$"], group=group)


TESTS = [
    test(name=STRUCTURE, deps=[], boot="run=sk kill=proc prog=nop", disk=True,
         auth=[r"^srvkill: proc's clients get E_DEAD$", r"^srvkill: ok$"],
         end=r"^srvkill: (ok|FAIL)", budget=1.5, points=4),
    # Exercise 1: the server loop.
    loop("loop-workers", "loopw", "workers 3", 6),
    loop("loop-workers-smp2", "loopw5", "workers 5", 4, cpus=2),
    loop("loop-sleep", "loops", "sleep 4", 6),
    loop("loop-defer", "loopd", "defer 2", 5),
    loop("loop-notify", "loopn", "notify 2", 3),
    fixture("loop-bulk", "bulk", "bulk", 2),
    fixture("loop-outstanding", "outstanding", "outstanding", 2),
    # Exercise 2: the process server.
    usertests("forktree", 5),
    usertests("exec", 6),
    usertests("orphans", 3),
    proctest("proc-zombies", "orphans", 4),
    usertests("kill", 4),
    proctest("proc-killrules", "killrules", 5),
    usertests("forkloop", 4, budget=2),
    # Children killed by their faults: only the kernel's death notice (task_watch)
    # tells the process server; without it the parent's wait never returns.
    usertests("badmemory", 7),
    usertests("clock", 1),
    proctest("proc-sleepers", "sleepers", 5),
    proctest("proc-concurrent", "concurrent", 8),
    proctest("proc-pipelines", "pipelines", 6),
    proctest("proc-ps", "ps", 4),
    proctest("proc-halfmade", "halfmade", 3),
    proctest("proc-nofs", "nofs", 3, group="os"),
]
