"""Lab 02's graded tests, at stage 2: the server loop (servers/lib/server.c) and the
process server (servers/proc/) that runs on it.

The structure test comes first: the privileged test task srvkill stops the process
server and its clients must get E_DEAD at once (no kernel-hosted copy answers); the
other tests count only if it passes. Points are decided by verdict lines (`auth`):
trusted test programs (user/usertests.c, user/tests/proctest.c, labs/02-proc/loopcli.c,
...) print them only after every check passed. The server-loop tests judge the loop
through loopsrv, a fixture server built on it (it prints no verdict itself: loopcli,
which does not link the student's code, judges from its answers).
"""

from testlib import Test, DEFAULT_FORBID

FORBID = DEFAULT_FORBID + [r"FAIL", r"exec \S+ failed"]
STRUCTURE = "proc-structure"


def test(**kw):
    # Until the grader checks verdict lines (auth=), `expect` carries them as text.
    if "auth" not in Test.__dataclass_fields__:
        kw.pop("auth")
    return Test(suite="lab02", lab="02", stage=2, forbid=FORBID, deps=[STRUCTURE], **kw)


def loop(name, group, case, points, cpus=1, budget=1):
    """A server-loop case: loopcli judges loopsrv (labs/02-proc/), no file system."""
    return test(name=name, boot=f"run={group}", cpus=cpus, budget=budget, points=points,
                expect=[rf"^loop: {case} ok\b", r"^loop: ok$"], auth=[rf"^loop: {case} ok$"])


def fixture(name, group, program, points, budget=1):
    """An older kernel-suite fixture on the server loop, now at stage 2."""
    return test(name=name, boot=f"run={group}", budget=budget, points=points,
                expect=[rf"^{program}: ok\b"], auth=[rf"^{program}: ok$"])


def prog(name, program, case, points, group="fs", budget=1, **kw):
    """init runs program with one argument, the case; its verdict is "PROGRAM: CASE ok"."""
    return test(name=name, boot=f"run={group} prog={program} arg={case}", disk=group == "fs",
                expect=[rf"^init: pid 1, starting {program}$", rf"^{program}: {case} ok\b",
                        rf"^init: {program} exited with status 0$"],
                auth=[rf"^{program}: {case} ok$"], end=rf"^init: {program} exited", budget=budget,
                points=points, **kw)


TESTS = [
    Test(name=STRUCTURE, suite="lab02", lab="02", stage=2, boot="run=sk kill=proc prog=nop", disk=True,
         forbid=FORBID, expect=[r"^srvkill: proc's clients get E_DEAD \(@NONCE@\)$", r"^srvkill: ok @NONCE@$"],
         **({"auth": [r"^srvkill: proc stopped, its clients get E_DEAD$"]}
            if "auth" in Test.__dataclass_fields__ else {}),
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
    prog("proc-forktree", "usertests", "forktree", 5),
    prog("proc-exec", "usertests", "exec", 6),
    prog("proc-orphans", "usertests", "orphans", 3),
    prog("proc-zombies", "proctest", "orphans", 4),
    prog("proc-kill", "usertests", "kill", 4),
    prog("proc-killrules", "proctest", "killrules", 5),
    prog("proc-forkloop", "usertests", "forkloop", 4, budget=2),
    # Children killed by their faults: only the kernel's death notice (task_watch)
    # tells the process server; without it the parent's wait never returns.
    prog("proc-badmemory", "usertests", "badmemory", 7),
    prog("proc-clock", "usertests", "clock", 1),
    prog("proc-sleepers", "proctest", "sleepers", 5),
    prog("proc-concurrent", "proctest", "concurrent", 8),
    prog("proc-pipelines", "proctest", "pipelines", 6),
    prog("proc-ps", "proctest", "ps", 4),
    prog("proc-halfmade", "proctest", "halfmade", 3),
    prog("proc-nofs", "proctest", "nofs", 3, group="os"),
]
